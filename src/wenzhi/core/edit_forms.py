"""The platform's edit pages, for the one test that saves every edit form back unchanged.

Rule (docs/STYLE.md): every edit form, sent back exactly as a browser would send it without a change, changes
nothing — not the row, not its history. ``core/tests/test_edit_forms.py`` finds every page whose URL name ends
in ``_edit`` (and every page registered here under another name) and fails for a page nobody registered, so a new
module's edit pages join the test by registering a case in ``<app>/tests/edit_forms.py``::

    from wenzhi.core.edit_forms import register_edit_form

    register_edit_form("projects:project_edit", roles=("city_admin",), make=make_project)

``make(ctx)`` creates the row to edit with every field filled (an empty field cannot show that a save lost it);
``ctx.users[role]`` are core's test users (one per role) and ``ctx.orgs`` its organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

EDIT_SUFFIX = "_edit"


@dataclass(frozen=True)
class EditFormCase:
    """How to test one edit page: the row it edits and each role that edits through it."""

    url_name: str
    roles: tuple[str, ...]
    make: Callable[[Any], Any]
    url_kwargs: Callable[[Any], dict] | None = None

    def kwargs_for(self, obj) -> dict:
        return self.url_kwargs(obj) if self.url_kwargs else {"pk": obj.pk}


_cases: dict[str, EditFormCase] = {}


def register_edit_form(url_name: str, *, roles: Iterable[str], make: Callable[[Any], Any],
                       url_kwargs: Callable[[Any], dict] | None = None) -> EditFormCase:
    """Register an edit page (``namespace:name``) with the fixture that makes the row it edits."""
    case = EditFormCase(url_name=url_name, roles=tuple(str(r) for r in roles), make=make, url_kwargs=url_kwargs)
    _cases[url_name] = case
    return case


def edit_form_cases() -> dict[str, EditFormCase]:
    return dict(_cases)


def edit_page_names() -> list[str]:
    """Every URL name (with its namespaces) in the URLconf that ends in ``_edit``."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith(EDIT_SUFFIX):
                found.append(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))

"""What domain apps register with core in their ``AppConfig.ready()``; core never imports a domain app.

- navigation entries (``nav``), dashboard panels (``dashboard_panel``), demo-data generators (``demo_provider``)
  and API routes (``api_router``); searchable models register with ``wenzhi.core.search.register``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rest_framework.routers import DefaultRouter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazily translated string


@dataclass(frozen=True)
class NavEntry:
    """One item in the main navigation, shown to whoever ``core.permissions.can(user, action)`` allows.

    Without an action: every signed-in user (and visitors too when ``public``).
    """

    key: str
    label: StrOrPromise
    url_name: str
    action: str = ""
    order: int = 100
    public: bool = False
    children: tuple[NavEntry, ...] = field(default=())

    def visible_to(self, user) -> bool:
        if self.action:
            from .permissions import can

            return can(user, self.action)
        return self.public or bool(user.is_authenticated)


@dataclass(frozen=True)
class DashboardPanel:
    """A block on the home dashboard; ``render(request)`` returns the context for ``template``, or None to
    leave the panel out for this user (e.g. a breakdown by district means nothing to a park operator).

    Shown to whoever ``core.permissions.can(user, action)`` allows; without an action, to every signed-in user.
    """

    key: str
    title: StrOrPromise
    template: str
    render: Callable
    order: int = 100
    width: int = 6  # of 12 grid columns
    action: str = ""

    def visible_to(self, user) -> bool:
        if self.action:
            from .permissions import can

            return can(user, self.action)
        return bool(user.is_authenticated)


_nav: list[NavEntry] = []
_panels: list[DashboardPanel] = []
_demo: list[tuple[int, str, Callable, bool]] = []
api_router = DefaultRouter()


def nav(entry: NavEntry) -> None:
    if all(e.key != entry.key for e in _nav):
        _nav.append(entry)


def nav_for(user) -> list[NavEntry]:
    return sorted((e for e in _nav if e.visible_to(user)), key=lambda e: e.order)


def dashboard_panel(panel: DashboardPanel) -> None:
    if all(p.key != panel.key for p in _panels):
        _panels.append(panel)


def panels_for(user) -> list[DashboardPanel]:
    return sorted((p for p in _panels if p.visible_to(user)), key=lambda p: p.order)


def demo_provider(name: str, func: Callable, order: int = 100, *, atomic: bool = True) -> None:
    """``func(*, scale: float, stdout) -> dict`` generates labelled demo rows; run by ``wenzhi demo``.

    ``wenzhi demo`` runs each generator in one transaction; ``atomic=False`` leaves the generator to its own
    (one that writes through services which open a durable transaction, as the pages do)."""
    if all(n != name for _, n, _, _ in _demo):
        _demo.append((order, name, func, atomic))


def demo_providers() -> list[tuple[str, Callable]]:
    return [(n, f) for n, f, _ in demo_steps()]


def demo_steps() -> list[tuple[str, Callable, bool]]:
    """(name, generator, run in one transaction) in order."""
    return [(n, f, a) for _, n, f, a in sorted(_demo, key=lambda t: t[0])]


_entity_sources: list[Callable] = []


def entity_source(func: Callable) -> None:
    """``func() -> list[wenzhi.nlp.entities.Entity]``: registry rows that text may mention."""
    if func not in _entity_sources:
        _entity_sources.append(func)


def entities_for_linking() -> list:
    """Every entity the registered sources provide, plus the city's districts."""
    from wenzhi.nlp.entities import Entity

    from .choices import Level
    from .models import Organisation

    out = [Entity(id=f"district:{o.id}", kind="district", name=o.name)
           for o in Organisation.objects.filter(level=Level.DISTRICT)]
    for func in _entity_sources:
        out.extend(func())
    return out


_reference_loaders: list[Callable] = []


def reference_loader(func: Callable) -> None:
    """``func()`` loads an app's shipped reference tables idempotently (also run by data migrations)."""
    if func not in _reference_loaders:
        _reference_loaders.append(func)


def reference_loaders() -> list[Callable]:
    return list(_reference_loaders)


_derived_tables: dict[str, Callable] = {}


def derived_table(code: str, func: Callable) -> None:
    """``func()`` gives the statistics indicator ``code`` computed from an app's own rows, every year per
    district: ``{year: {district id: Decimal}}`` (culture consumption's cinema screens and box office)."""
    _derived_tables[code] = func


def derived_tables() -> dict[str, Callable]:
    return dict(_derived_tables)


_serve_checks: list[Callable] = []


def serve_check(func: Callable) -> None:
    """``func()`` is run by ``wenzhi serve`` when it starts and every few minutes while it runs, to (re)start
    helpers an app's data needs (the demo feed server); it must be quick and must not raise."""
    if func not in _serve_checks:
        _serve_checks.append(func)


def serve_checks() -> list[Callable]:
    return list(_serve_checks)


@dataclass(frozen=True)
class DetailSection:
    """A block another app adds to a detail page (e.g. media coverage on an enterprise's page) without the page's
    app knowing it: the page's template calls ``{% detail_sections obj %}`` (``core/templatetags/sections.py``).

    ``models`` are ``app_label.ModelName`` strings of the pages it appears on; ``render(request, obj)`` returns
    the context for ``template``, or None to leave the block out. Shown to whoever ``can(user, action, obj)``
    allows."""

    key: str
    models: tuple[str, ...]
    template: str
    render: Callable
    action: str = ""
    order: int = 100


_sections: list[DetailSection] = []


def detail_section(section: DetailSection) -> None:
    if all(s.key != section.key for s in _sections):
        _sections.append(section)


def sections_for(model_label: str) -> list[DetailSection]:
    return sorted((s for s in _sections if model_label in s.models), key=lambda s: s.order)


@dataclass(frozen=True)
class FastRoute:
    """A hot API write served before the middleware stack, URL resolution and DRF (``core.api.fastlane``)."""

    method: str
    pattern: re.Pattern
    handler: Callable
    joined: Callable | None = None
    allow: str = ""


_fast_routes: list[FastRoute] = []


def api_fast_route(method: str, pattern: str, handler: Callable, joined: Callable | None = None,
                   allow: str = "") -> None:
    """``handler(request, user, data, **groups)`` answers ``method`` on the path after /api/v1/ that ``pattern``
    matches whole, for a request signed with a valid API token and a JSON object ``data`` as its body, or returns
    None before it has changed anything, to leave the request to the full stack (the same endpoint's DRF view,
    which gives the same answer). For writes a rush sends thousands of times a minute: ticket orders and their
    payment. ``joined(data, **groups)`` may name rows to read with the token, in its statement (columns, LEFT
    JOINs on the user ``u``, parameters): the handler finds them in ``user.fast_row`` (None where not read).
    ``allow`` is the ``Allow`` header the view's answers carry (its methods), which the lane's carry too."""
    if all(r.pattern.pattern != pattern or r.method != method for r in _fast_routes):
        _fast_routes.append(FastRoute(method, re.compile(pattern), handler, joined, allow))


def api_fast_routes() -> list[FastRoute]:
    return _fast_routes

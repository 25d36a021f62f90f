"""What apps index: each registers a :class:`SearchType` in its ``AppConfig.ready()`` (core imports no app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class Document:
    """What one object contributes to the index: its title, its text, and where it sits and how it is filed.

    ``district_id``, ``park_id`` and ``enterprise_id`` are organisation ids (the same places
    ``core.permissions.place`` registers), so a district officer's search only reaches their district;
    ``public`` rows are found by everyone who may view the type. ``aliases`` (short names, former names) are
    indexed with the text.
    """

    title: str
    text: str = ""
    aliases: list[str] = field(default_factory=list)
    snippet: str = ""
    district_id: int | None = None
    park_id: int | None = None
    enterprise_id: int | None = None
    public: bool = False
    sector: str = ""
    category: str = ""
    kind: str = ""
    year: int | None = None


@dataclass(frozen=True)
class SearchType:
    """One kind of searchable object.

    ``rows()`` returns the rows to index (live rows only, with what ``document`` reads selected);
    ``document(row)`` builds the :class:`Document`; ``action`` is the permission a user needs to find these
    rows at all; ``url_name`` a route ending in ``<pk>/``; ``facets`` the filters offered beyond type and
    district (names of :class:`Document` fields).

    ``snippet(row)``, when given, writes a row's result line in the current language: the index keeps the line
    in the site's language, and a reader of another language gets it rewritten from the rows of their hits.
    ``extra_places(user, scope)``, when given, names the further places (``("p", organisation id)``, ...) whose
    rows of this type the user may find beyond their scope's own (an enterprise user's own park).
    ``follows`` pairs a model with the lookup from this type's model to it (``(Organisation, "district")``):
    rows whose document shows that row's name are indexed again when it is saved (a renamed district or park).
    """

    key: str
    label: StrOrPromise
    model: type[Model]
    action: str
    url_name: str
    rows: Callable[[], QuerySet]
    document: Callable[[Any], Document]  # called with a row of ``model``
    facets: tuple[str, ...] = ()
    order: int = 100
    # Users who find every row of the type whatever their organisation scope (media editors see every news
    # document although they belong to no district); None: the organisation scope alone decides.
    sees_all: Callable[[Any], bool] | None = None
    snippet: Callable[[Any], str] | None = None
    extra_places: Callable[[Any, Any], list[tuple[str, int]]] | None = None
    # Rank only this many of the most recently indexed matches (news: a million documents, where ranking
    # every match of a common pair of words costs more than finding them); None: rank every match.
    rank_newest: int | None = None
    follows: tuple[tuple[type[Model], str], ...] = ()


_types: dict[str, SearchType] = {}


def register(search_type: SearchType) -> None:
    """Register a searchable type (apps call this in ``ready()``); the same key twice must be the same model."""
    existing = _types.get(search_type.key)
    if existing is not None and existing.model is not search_type.model:
        raise ImproperlyConfigured(f"search type {search_type.key!r} registered for two models")
    _types[search_type.key] = search_type


def types() -> list[SearchType]:
    """Every registered type, in display order."""
    return sorted(_types.values(), key=lambda t: (t.order, t.key))


def get_type(key: str) -> SearchType:
    try:
        return _types[key]
    except KeyError:
        raise ImproperlyConfigured(f"unknown search type {key!r}") from None


def types_for_model(model: type[Model]) -> list[SearchType]:
    return [t for t in _types.values() if t.model is model or t.model._meta.concrete_model is model]

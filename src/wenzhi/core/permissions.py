"""The permission table: every action declared once, with the roles and the scope it needs, behind one gate.

Apps declare their actions in ``AppConfig.ready()`` (``declare("enterprise.change", ...)``) and the places their
rows sit in the organisation tree (``place(Enterprise, district="district", park="park", enterprise=...)``).
Then one function answers everywhere — services (which enforce it with :func:`require`), views, the API
(:class:`wenzhi.core.api.permissions.ActionPermission`), navigation and buttons (``{% can %}``)::

    can(user, "enterprise.change")              # may this user change enterprises at all?
    can(user, "enterprise.change", enterprise)  # ... and this one, inside their scope?
    restrict(Enterprise.objects.all(), user, "enterprise.view")   # the rows they may view

Never write a role set out by hand in a view, serializer or template: ask :func:`can`.
(Ideas from NetBox ``RestrictedQuerySet.restrict`` and Sentry's ``scope_map``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext

from .choices import Role
from .scoping import scope_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazily translated string

# Role sets used to declare actions. Declare with these names, never inline in views.
CITY = frozenset({Role.CITY_ADMIN})
CITY_DISTRICT = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})
OFFICIALS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.PARK_OPERATOR})
REGISTRY_READERS = OFFICIALS | {Role.ENTERPRISE_USER}
ENTERPRISE = frozenset({Role.ENTERPRISE_USER})
EVERY_ROLE = frozenset(Role.values)

ObjectCheck = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Action:
    """One thing a user may do: who (roles, or any signed-in user, or anyone) and where (the object check).

    ``object_check(user, obj)`` decides whether ``obj`` is inside the user's scope for this action; left unset,
    the object's registered :func:`place` decides (its district, park or enterprise against the user's scope).
    """

    name: str
    label: StrOrPromise
    roles: frozenset[str] = frozenset()
    any_user: bool = False  # every signed-in user, whatever their roles
    anonymous: bool = False  # also visitors who are not signed in
    object_check: ObjectCheck | None = None

    def allows_role(self, user) -> bool:
        if self.anonymous:
            return True
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
            return False
        if self.any_user or user.is_superuser:
            return True
        return user.has_role(*self.roles)


@dataclass(frozen=True)
class Placement:
    """Where a model's rows sit: lookups (FKs to Organisation) to the district, park and enterprise."""

    district: str | None = "district"
    park: str | None = "park"
    enterprise: str | None = None


_table: dict[str, Action] = {}
_placements: dict[type, Placement] = {}


def declare(name: str, *, label: StrOrPromise, roles: Iterable[str] = (), any_user: bool = False, anonymous: bool = False,
            object_check: ObjectCheck | None = None) -> Action:
    """Declare an action once (apps call this in ``ready()``); declaring a name twice differently is an error."""
    action = Action(name=name, label=label, roles=frozenset(roles), any_user=any_user, anonymous=anonymous,
                    object_check=object_check)
    existing = _table.get(name)
    if existing is not None and existing != action:
        raise ImproperlyConfigured(f"permission action {name!r} declared twice with different rules")
    _table[name] = action
    return action


def action(name: str) -> Action:
    """The declared action ``name``; an undeclared name is a programming error, never a silent 'no'."""
    try:
        return _table[name]
    except KeyError:
        raise ImproperlyConfigured(f"undeclared permission action {name!r}") from None


def actions() -> list[Action]:
    """Every declared action, by name (the authorization-matrix tests walk this)."""
    return [_table[k] for k in sorted(_table)]


def place(model: type[Model], *, district: str | None = "district", park: str | None = "park",
          enterprise: str | None = None) -> None:
    """Register where ``model``'s rows sit in the organisation tree (the same lookups selectors scope by)."""
    _placements[model] = Placement(district=district, park=park, enterprise=enterprise)


def placement(model: type[Model]) -> Placement:
    for klass in model.__mro__:
        if klass in _placements:
            return _placements[klass]
    raise ImproperlyConfigured(f"{model.__name__} has no placement: call core.permissions.place() for it")


def _lookup_id(obj: Any, lookup: str) -> Any:
    """Follow ``a__b`` on an instance and return the final FK's id (None where a link is empty)."""
    parts = lookup.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def anywhere(user, obj: Any) -> bool:
    """Object check of an action on rows that belong to no organisation (city-wide directories, training
    programmes): the role decides alone. A named function, so declaring the action again is the same action."""
    return True


def in_scope(user, obj: Any) -> bool:
    """Whether ``obj`` lies inside ``user``'s scope, by the object's registered placement."""
    scope = scope_for(user)
    if scope.kind == "all":
        return True
    where = placement(type(obj))
    lookup = {"district": where.district, "park": where.park, "enterprise": where.enterprise}.get(scope.kind)
    if not lookup:
        return False
    return _lookup_id(obj, lookup) == scope.organisation_id


def can(user, name: str, obj: Any = None) -> bool:
    """The one gate: may ``user`` do action ``name`` (on ``obj``, when given)?"""
    act = action(name)
    if not act.allows_role(user):
        return False
    if obj is None:
        return True
    if act.object_check is not None:
        return bool(act.object_check(user, obj))
    if act.anonymous or act.any_user and not act.roles:
        return True
    return in_scope(user, obj)


def denial_message(name: str) -> str:
    """The Chinese sentence a refused user reads: which action, and who may do it."""
    return gettext("您没有权限执行“%(action)s”：您的角色或所属组织不在此操作的范围内。") % {
        "action": str(action(name).label)}


def require(user, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied with the action's name in the message unless :func:`can` says yes."""
    if not can(user, name, obj):
        raise PermissionDenied(denial_message(name))


def restrict(qs: QuerySet, user, name: str) -> QuerySet:
    """The rows of ``qs`` on which ``user`` may do ``name``: none without the role, else those in scope.

    Scope here is the model's placement; an action's own ``object_check`` (e.g. an enterprise user's view of the
    park it sits in) is for single objects, and its selector filters such rows itself."""
    from .scoping import scope_queryset

    act = action(name)
    if not act.allows_role(user):
        return qs.none()
    if act.anonymous or (act.any_user and not act.roles):
        return qs
    where = placement(qs.model)
    return scope_queryset(qs, user, district=where.district, park=where.park, enterprise=where.enterprise)


def requires(name: str):
    """Decorate a view function: 403 unless the user may do ``name`` at all (object checks stay in the view).

    The action is kept on the view as ``required_action`` so the authorization-matrix test can find it;
    anonymous visitors of a non-public action are sent to the login page.
    """
    from django.contrib.auth.views import redirect_to_login

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            act = action(name)
            if not act.anonymous and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, name)
            return view(request, *args, **kwargs)

        # Not functools.wraps: it would copy a class view's ``view_class`` and hide this action from the matrix test.
        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        wrapped.__module__ = view.__module__
        wrapped.required_action = name  # type: ignore[attr-defined]
        return wrapped

    return decorate

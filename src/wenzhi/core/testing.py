"""pytest fixtures shared by every app: organisations and one user per role, in two districts; and the
generator of the authorization matrix every app's ``tests/test_authorization.py`` runs."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from .choices import Level, Role


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language. Django keeps the active language per thread, so a test that
    activated another one (an English page, a command) would otherwise hand it to the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def reference_data(db):
    """The city and its districts; reloaded when a transactional test (live server) flushed them."""
    from . import hooks
    from .models import Organisation
    from .reference import load_divisions

    load_divisions(Organisation)
    for loader in hooks.reference_loaders():
        loader()


@pytest.fixture
def tianjin(reference_data):
    from .models import Organisation

    return Organisation.objects.get(level=Level.CITY)


@pytest.fixture
def heping(reference_data):
    from .models import Organisation

    return Organisation.objects.get(level=Level.DISTRICT, name="和平区")


@pytest.fixture
def binhai(reference_data):
    from .models import Organisation

    return Organisation.objects.get(level=Level.DISTRICT, name="滨海新区")


@pytest.fixture
def orgs(heping, binhai):
    """A park and an enterprise in each of 和平区 and 滨海新区."""
    from .services import organisation_create

    park_a = organisation_create(name="测试园区甲", level=Level.PARK, parent=heping, code="T-PARK-A")
    park_b = organisation_create(name="测试园区乙", level=Level.PARK, parent=binhai, code="T-PARK-B")
    ent_a = organisation_create(name="测试企业甲", level=Level.ENTERPRISE, parent=park_a, code="T-ENT-A")
    ent_b = organisation_create(name="测试企业乙", level=Level.ENTERPRISE, parent=park_b, code="T-ENT-B")
    return {"heping": heping, "binhai": binhai, "park_a": park_a, "park_b": park_b,
            "ent_a": ent_a, "ent_b": ent_b}


ROLE_ORG = {
    Role.CITY_ADMIN: "city",
    Role.DISTRICT_OFFICER: "heping",
    Role.PARK_OPERATOR: "park_a",
    Role.ENTERPRISE_USER: "ent_a",
    Role.EXPERT_REVIEWER: None,
    Role.MEDIA_EDITOR: None,
    Role.VENUE_OPERATOR: None,
    Role.PUBLIC: None,
}


@pytest.fixture
def users(orgs, tianjin):
    """One user per role (``users[role]``), plus ``users['other_district']`` in 滨海新区."""
    from .services import user_create

    out = {}
    for role, key in ROLE_ORG.items():
        org = tianjin if key == "city" else (orgs[key] if key else None)
        out[str(role)] = user_create(username=f"u_{role}", password="pw-Test-12345", roles=[role],
                                     organisation=org)
    out["other_district"] = user_create(username="u_district_b", password="pw-Test-12345",
                                        roles=[Role.DISTRICT_OFFICER], organisation=orgs["binhai"])
    return out


@pytest.fixture
def client_as(client, users):
    """``client_as(role)`` returns a test client signed in as that role's user."""

    def make(role: str):
        from django.test import Client

        c = Client()
        c.force_login(users[role])
        return c

    return make


# The authorization matrix, generated from the permission table ---------------------------------------------
#
# Every URL pattern of the project declares the action it needs: a function view with ``@requires("x.y")``
# (``required_action``), a list page with ``permission_action``, a DRF view with ``permission_classes =
# [ActionPermission]`` and ``permission_actions`` per DRF action. A route that declares nothing and is not in
# PUBLIC_ROUTES fails ``undeclared_routes()``. Each app's ``tests/test_authorization.py`` then turns its routes
# into one case per URL × user × method (ids like ``registry:enterprise_edit-district_officer-POST``) whose
# expected answer is computed from ``can(user, action, row)`` (pretix ``src/tests/control/test_permissions.py``).

MATRIX_USERS = [*(str(r) for r in Role), "other_district", "anonymous"]

# Routes that need no action: signing in and out, the language switch, the API's schema and docs, and Django's
# own password pages (their views check the user themselves). Everything else declares an action.
PUBLIC_ROUTES = {
    "login", "logout", "set_language", "healthz", "api-schema", "api-docs",
    "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete",
    "core:password_reset", "core:password_reset_done", "core:password_reset_confirm", "core:password_reset_complete",
}
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class MatrixRoute:
    """One named URL pattern and the action each HTTP method it accepts needs (None: declares none)."""

    name: str
    route: str
    app: str
    params: tuple[str, ...]
    methods: tuple[tuple[str, str | None], ...]
    is_api: bool


def _walk(patterns, prefix="", namespace=""):
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p


def _closure_methods(func) -> list[str] | None:
    """The methods a ``require_http_methods``-decorated function view accepts (None: not restricted)."""
    import inspect

    while func is not None:
        try:
            nonlocals = inspect.getclosurevars(func).nonlocals
        except TypeError:
            return None
        if "request_method_list" in nonlocals:
            return [m.upper() for m in nonlocals["request_method_list"]]
        func = getattr(func, "__wrapped__", None) or nonlocals.get("view") or nonlocals.get("func") \
            or nonlocals.get("view_func")
    return None


def _drf_methods(callback) -> list[tuple[str, str | None]]:
    from .api.permissions import ActionPermission

    cls = callback.cls
    allowed = {m.upper() for m in cls.http_method_names} - {"HEAD", "OPTIONS"}
    declared = any(isinstance(p, type) and issubclass(p, ActionPermission) for p in cls.permission_classes)
    mapping = getattr(cls, "permission_actions", {}) if declared else {}
    actions = getattr(callback, "actions", None)
    out = []
    if actions:  # a viewset route: {"get": "list", "post": "create"}
        for method, drf_action in actions.items():
            if method.upper() in allowed:
                out.append((method.upper(), mapping.get(drf_action)))
    else:
        for method in sorted(allowed):
            if hasattr(cls, method.lower()):
                out.append((method, mapping.get(method.lower())))
    return out


def _methods(callback) -> list[tuple[str, str | None]]:
    if hasattr(callback, "cls"):  # Django REST framework
        return _drf_methods(callback)
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        action = getattr(view_class, "permission_action", None)
        return [(m.upper(), action) for m in view_class.http_method_names
                if m not in ("head", "options") and hasattr(view_class, m)]
    action = getattr(callback, "required_action", None)
    methods = _closure_methods(callback) or ["GET", "POST"]
    return [(m, action) for m in methods if m in ("GET", *WRITE_METHODS)]


def _app_of(callback) -> str:
    target = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    module = getattr(target, "__module__", "") or ""
    parts = module.split(".")
    return parts[1] if parts[0] == "wenzhi" and len(parts) > 1 else "external"


def project_routes() -> list[MatrixRoute]:
    """Every named URL pattern of the project (pages and API, every app), one per name, with its actions."""
    import re

    from django.urls import get_resolver

    out: dict[str, MatrixRoute] = {}
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.lstrip("^").startswith(SKIPPED_PREFIXES) or "format" in pattern.pattern.regex.groupindex:
            continue
        if name in out:
            continue
        callback = pattern.callback
        params = tuple(pattern.pattern.regex.groupindex)
        is_api = hasattr(callback, "cls")
        out[name] = MatrixRoute(name=name, route=re.sub(r"[\^$]", "", route), app=_app_of(callback),
                                params=params, methods=tuple(_methods(callback)), is_api=is_api)
    return list(out.values())


def undeclared_routes() -> list[str]:
    """Routes (and methods) that name no permission action and are not public: each is a failure."""
    problems = []
    for r in project_routes():
        if r.name in PUBLIC_ROUTES:
            continue
        if not r.methods:
            problems.append(f"{r.name} ({r.route}): no method found")
        for method, act in r.methods:
            if act is None:
                problems.append(f"{r.name} ({r.route}) {method}: no permission action declared")
    return problems


def matrix_params(app: str, samples: dict[str, str]) -> list:
    """The pytest params of ``app``'s routes: one per route × user × method (GET and each write it accepts).

    ``samples`` maps a route name with a row id to the key of the row (in the test's world) to request.
    """
    params = []
    for r in sorted(project_routes(), key=lambda r: r.name):
        if r.app != app or r.name in PUBLIC_ROUTES:
            continue
        for method, act in r.methods:
            for user in MATRIX_USERS:
                params.append(pytest.param(r, user, method, act, samples.get(r.name),
                                           id=f"{r.name}-{user}-{method}"))
    return params


def missing_samples(app: str, samples: dict[str, str]) -> list[str]:
    """Routes of ``app`` with a row id in the URL but no sample row to request in the matrix."""
    return [r.name for r in project_routes() if r.app == app and r.params and r.name not in samples
            and r.name not in PUBLIC_ROUTES]


@contextmanager
def module_data(django_db_blocker):
    """Rows built once for a whole test module, inside a transaction rolled back at its end; each test's own
    transaction (pytest-django's ``db``) nests inside it, so a test's writes are undone after it."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # services' durable blocks nest in it, as in Django's TestCase (a private flag the stubs do not declare)
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_users(orgs: dict, city) -> dict:
    """One user per role (scoped as in the ``users`` fixture) and the other district's officer."""
    from .services import user_create

    out = {}
    for role, key in ROLE_ORG.items():
        org = city if key == "city" else (orgs[key] if key else None)
        out[str(role)] = user_create(username=f"m_{role}", password=None, roles=[role], organisation=org)
    out["other_district"] = user_create(username="m_district_b", password=None,
                                        roles=[Role.DISTRICT_OFFICER], organisation=orgs["binhai"])
    return out


def build_orgs() -> dict:
    """The reference divisions and a park and an enterprise organisation in each of 和平区 and 滨海新区."""
    from . import hooks
    from .models import Organisation
    from .reference import load_divisions
    from .services import organisation_create

    load_divisions(Organisation)
    for loader in hooks.reference_loaders():
        loader()
    heping = Organisation.objects.get(level=Level.DISTRICT, name="和平区")
    binhai = Organisation.objects.get(level=Level.DISTRICT, name="滨海新区")
    park_a = organisation_create(name="矩阵园区甲", level=Level.PARK, parent=heping, code="M-PARK-A")
    park_b = organisation_create(name="矩阵园区乙", level=Level.PARK, parent=binhai, code="M-PARK-B")
    ent_a = organisation_create(name="矩阵企业甲", level=Level.ENTERPRISE, parent=park_a, code="M-ENT-A")
    return {"city": Organisation.objects.get(level=Level.CITY), "heping": heping, "binhai": binhai,
            "park_a": park_a, "park_b": park_b, "ent_a": ent_a}


def matrix_clients(users: dict) -> dict:
    """A signed-in test client per matrix user (and an anonymous one)."""
    from django.test import Client

    clients = {}
    for key in MATRIX_USERS:
        client = Client()
        if key != "anonymous":
            client.force_login(users[key])
        clients[key] = client
    return clients


def check_matrix_case(route: MatrixRoute, user_key: str, method: str, act: str, row, users: dict,
                      clients: dict) -> None:
    """Request ``route`` as ``user_key`` and assert the answer the permission table predicts.

    Allowed: neither 403 nor 404 (nor a server error). Refused because the role lacks the action: 403. Refused
    for the row (outside the user's scope): 403 or 404. Anonymous and refused: the login page, or 401/403 (API).
    """
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from .permissions import action, can

    assert act is not None, f"{route.name} {method} declares no permission action"
    if route.params:
        assert row is not None, f"{route.name}: no sample row"
        url = reverse(route.name, kwargs={p: row.pk for p in route.params})
    else:
        url = reverse(route.name)
    user = AnonymousUser() if user_key == "anonymous" else users[user_key]
    client = clients[user_key]
    kwargs = {"content_type": "application/json", "data": {}} if route.is_api and method != "DELETE" else {}
    if method == "POST" and not route.is_api:
        kwargs = {"data": {}}
    response = getattr(client, method.lower())(url, **kwargs)
    got = response.status_code
    where = f"{method} {url} as {user_key} (action {act})"
    assert got < 500, f"{where}: server error {got}"
    declared = action(act)
    if can(user, act, row):
        assert got not in (401, 403, 404), f"{where}: allowed by the table but answered {got}"
        assert not (got == 302 and "/login/" in response["Location"]), f"{where}: allowed but sent to login"
    elif user_key == "anonymous" and not declared.anonymous:
        if route.is_api:
            assert got in (401, 403), f"{where}: anonymous should get 401/403, got {got}"
        else:
            assert got == 302 and "/login/" in response["Location"], f"{where}: expected the login page, got {got}"
    elif not declared.allows_role(user):
        assert got == 403, f"{where}: the role lacks the action, expected 403, got {got}"
    else:
        assert got in (403, 404), f"{where}: the row is outside the user's scope, expected 403/404, got {got}"

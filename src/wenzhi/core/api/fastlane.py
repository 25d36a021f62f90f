"""The API's fast lane: hot writes answered before the middleware stack, URL resolution and DRF.

A ticket rush sends thousands of ``POST /api/v1/orders/`` a minute. Through the full stack each one cost about
15 ms of CPU before and around its service (every middleware, resolving the path against every page of every
app, DRF's authentication, content negotiation, serializers); the service itself, a few SQL statements, is the
smaller part. Apps mark such routes with :func:`wenzhi.core.hooks.api_fast_route`; the lane answers them when
the request is the plain case — a valid API token of an active account, a JSON object body, an allowed host —
by calling the same service the DRF view calls. Anything else (no token, a bad one, a cookie session, a body
DRF would parse differently) goes on to the full stack, which gives the errors.

Under ``wenzhi serve`` (``config/wsgi.py``) :class:`FastLaneApplication` answers in front of Django's WSGI handler, with
what the handler and the security middleware do for every request; inside the handler (the test client,
``runserver``) :class:`ApiFastLaneMiddleware` answers after the security middleware. Either way the answer is
the view's: the same JSON renderer, the same error bodies (``core.api.errors``), the same headers.
"""

from __future__ import annotations

import io
import json
import secrets
from datetime import datetime

import orjson
from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost, PermissionDenied, ValidationError
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.db import connection
from django.http import HttpResponse
from django.urls import set_script_prefix
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from .. import hooks, pgsql
from ..auth import demo_login_refused
from ..hooks import FastRoute
from .errors import exception_handler

PREFIX = "/api/v1/"
_renderer = JSONRenderer()


_USER_FIELDS = ("id", "is_superuser", "is_active", "is_demo", "must_change_password")  # in the model's order


def token_user(request, joined: tuple[str, str, list] | None = None):
    """The active account whose API token signs ``request`` (``Authorization: Token <key>``), as DRF's token
    authentication finds it; None for anything DRF would refuse or treat otherwise.

    One plain SELECT (the ORM's compiling of the same query cost more than the rest of an order): the user comes
    back with the fields the permission table reads, the others load on first use. On PostgreSQL a route's
    ``joined`` (columns, LEFT JOINs with ``u`` the user, their parameters) is read in the same statement and its
    values set on the user as ``fast_row``; a route serves without it where it is None (SQLite)."""
    kind, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if kind.lower() != "token" or not key or " " in key:
        return None
    postgresql = pgsql.is_postgresql()
    columns, join, params = joined if joined and postgresql else ("", "", [])
    user_model, sql = _token_sql(columns, join)
    if postgresql:
        found = pgsql.rows(sql, [*params, key])
        row = found[0] if found else None
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
    if row is None:
        return None
    width = len(_USER_FIELDS)
    user = pgsql.loaded(user_model, _USER_FIELDS, [row[0], *map(bool, row[1:width])])
    if not user.is_active or demo_login_refused(user) or user.must_change_password:
        return None
    user.fast_row = row[width:] if columns else None
    return user


_token_sqls: dict[tuple[str, str], tuple[type, str]] = {}


def _token_sql(columns: str, join: str) -> tuple[type, str]:
    """The user model and :func:`token_user`'s statement with a route's ``columns`` and ``join``, written once."""
    found = _token_sqls.get((columns, join))
    if found is None:
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        user_model = get_user_model()
        found = _token_sqls[(columns, join)] = (user_model, (
            f"SELECT {', '.join('u.' + f for f in _USER_FIELDS)}{', ' + columns if columns else ''} FROM "
            f"{Token._meta.db_table} t JOIN {user_model._meta.db_table} u ON u.id = t.user_id {join} "
            "WHERE t.key = %s"))
    return found


def render(data, plain: bool = False) -> bytes:
    """The bytes DRF's ``JSONRenderer`` writes for ``data`` (compact, non-ASCII as UTF-8, U+2028 and U+2029
    escaped, datetimes as its encoder writes them). ``plain``: the caller's ``data`` has no float (orjson and
    ``json`` may write a float's digits differently), so orjson writes it where it holds only what both write
    alike — dicts with str keys, lists, str, int, bool, None, datetimes; anything else (a Decimal, a lazy
    string, a str subclass such as DRF's ErrorDetail) goes to DRF's renderer, as does all that is not plain."""
    if plain and data is not None:  # DRF writes no body for None
        try:
            body = orjson.dumps(data, default=_datetime, option=_ORJSON)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return _renderer.render(data)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body
    return _renderer.render(data)


_ORJSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS


def _datetime(obj) -> str:
    """A datetime as DRF's ``JSONEncoder`` writes it (``isoformat``, UTC as ``Z``); anything else refused."""
    if type(obj) is not datetime:
        raise TypeError
    text = obj.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def json_response(data, status: int = 200, plain: bool = False) -> HttpResponse:
    """``data`` as the API renders it (:func:`render`; ``plain``: no float in it), with its length (the full
    stack's CommonMiddleware adds it there)."""
    body = render(data, plain)
    response = HttpResponse(body, status=status, content_type="application/json")
    response.headers["Content-Length"] = str(len(body))
    return response


def error_response(exc: ValidationError | PermissionDenied) -> HttpResponse:
    """A service's refusal as the API answers it everywhere (400 naming the field, 403 naming the action)."""
    response = exception_handler(exc, {})
    return json_response(response.data, response.status_code)


def _json_object(request) -> dict | None:
    if not request.content_type == "application/json":
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


# What the full stack adds to every API answer after the view: DRF's Vary (Accept), LocaleMiddleware's
# (Accept-Language) and SessionMiddleware's (Cookie), then X-Frame-Options and Content-Language.
_VARY = "Accept, Accept-Language, Cookie"
LANE = "wenzhi.core.api.fastlane.ApiFastLaneMiddleware"


def serve(request, path: str) -> tuple[HttpResponse, FastRoute] | None:
    """The lane's answer to ``request`` (``path`` after /api/v1/) and the route that gave it, or None to leave the
    request to the full stack: a route's plain case (a host ``ALLOWED_HOSTS`` takes, a JSON object, a valid token),
    answered in the language of the request."""
    for route in hooks.api_fast_routes():
        match = route.pattern.fullmatch(path)
        if match is None or route.method != request.method:
            continue
        try:
            request.get_host()  # a host not allowed: the full stack answers 400
        except DisallowedHost:
            return None
        data = _json_object(request)
        joined = route.joined(data, **match.groupdict()) if route.joined and data is not None else None
        user = token_user(request, joined) if data is not None else None
        if user is None:
            return None
        translation.activate(translation.get_language_from_request(request))
        request.user = user
        response = route.handler(request, user, data, **match.groupdict())
        return None if response is None else (response, route)
    return None


class ApiFastLaneMiddleware:
    """The lane inside Django's handler (the test client, ``runserver``): after the security middleware, before
    the rest. Under ``wenzhi serve`` :class:`FastLaneApplication` answers the same requests before the handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PREFIX) and "HTTP_AUTHORIZATION" in request.META:
            served = serve(request, path[len(PREFIX):])
            if served is not None:
                response, route = served
                headers = _Headers.now()
                for name, value in headers.view(response, route.allow):
                    response.headers[name] = value
                return response
        return self.get_response(request)


class FastLaneApplication:
    """The WSGI application ``wenzhi serve`` runs: Django's, with the lane's routes answered before its handler
    builds the middleware chain around them.

    What the handler does for every request still happens: the script prefix, ``request_started`` (old and
    broken database connections closed, ``CONN_MAX_AGE``), a ``WSGIRequest``, the language of the request, and
    ``request_finished`` when the server closes the response. What the middleware before the lane does is done
    here from the same settings: HTTPS required where ``SECURE_SSL_REDIRECT`` is on (else the full stack
    redirects), the host checked against ``ALLOWED_HOSTS``, and the headers of ``SecurityMiddleware`` and
    ``ContentSecurityPolicyMiddleware``; the answer's headers are those of the full stack's (tests compare them).
    Everything else, and everything the lane leaves, goes to ``handler`` unchanged (the body it read put back)."""

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ, start_response):
        if (environ.get("REQUEST_METHOD") == "POST" and "HTTP_AUTHORIZATION" in environ
                and environ.get("PATH_INFO", "").startswith(PREFIX)):
            headers = _Headers.now()
            answered = self._answer(environ, headers) if headers.lane else None
            if answered is not None:
                response, header_list = answered
                start_response(f"{response.status_code} {response.reason_phrase}", header_list)
                return response
        return self.handler(environ, start_response)

    def _answer(self, environ, headers: _Headers) -> tuple[HttpResponse, list] | None:
        path = environ["PATH_INFO"][len(PREFIX):]
        if not any(r.pattern.fullmatch(path) for r in hooks.api_fast_routes()):
            return None
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        secure = request.is_secure()
        if headers.ssl_redirect and not secure:
            return None
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        served = serve(request, request.path_info[len(PREFIX):])
        if served is None:
            if hasattr(request, "_body"):  # the handler reads the body again
                environ["wsgi.input"] = io.BytesIO(request._body)
            return None
        response, route = served
        # close() sends request_finished, as the handler's answers do
        response._handler_class = WSGIHandler  # type: ignore[attr-defined]
        return response, [*headers.view(response, route.allow), *headers.security(secure)]


class _Headers:
    """The headers of a lane's answer that come from settings, worked out once per settings object."""

    _current: tuple[object, _Headers] | None = None

    @classmethod
    def now(cls) -> _Headers:
        wrapped = settings._wrapped  # type: ignore[misc]  # override_settings puts another in place
        if cls._current is None or cls._current[0] is not wrapped:
            cls._current = (wrapped, cls())
        return cls._current[1]

    def __init__(self):
        from ..middleware import csp_header

        names = settings.MIDDLEWARE
        self.lane = LANE in names
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.xframe = [("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper())] if (
            "django.middleware.clickjacking.XFrameOptionsMiddleware" in names) else []
        name, value = csp_header("\0")  # the nonce's place
        self.csp = (name, value.split("\0")) if value and (
            "wenzhi.core.middleware.ContentSecurityPolicyMiddleware" in names) else None
        self.sts: list[tuple[str, str]] = []
        self.always: list[tuple[str, str]] = []
        if "django.middleware.security.SecurityMiddleware" in names:  # its process_response, in its order
            if settings.SECURE_HSTS_SECONDS:
                self.sts.append(("Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}" + (
                    "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else "") + (
                    "; preload" if settings.SECURE_HSTS_PRELOAD else "")))
            if settings.SECURE_CONTENT_TYPE_NOSNIFF:
                self.always.append(("X-Content-Type-Options", "nosniff"))
            policy = settings.SECURE_REFERRER_POLICY
            if policy:
                self.always.append(("Referrer-Policy", ",".join(
                    [v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy)))
            if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
                self.always.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))

    def view(self, response: HttpResponse, allow: str) -> list[tuple[str, str]]:
        """The headers of the view's answer after DRF, CommonMiddleware, XFrameOptionsMiddleware and
        LocaleMiddleware, in the order the full stack sends them."""
        return [("Content-Type", response["Content-Type"]), ("Vary", _VARY), *([("Allow", allow)] if allow else []),
                *self.xframe, ("Content-Length", response["Content-Length"]),
                ("Content-Language", translation.get_language())]

    def security(self, secure: bool) -> list[tuple[str, str]]:
        """What ``ContentSecurityPolicyMiddleware`` and then ``SecurityMiddleware`` add."""
        csp = [(self.csp[0], secrets.token_urlsafe(16).join(self.csp[1]))] if self.csp else []
        return [*csp, *(self.sts if secure else []), *self.always]

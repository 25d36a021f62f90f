"""The API's fast lane: hot writes answered before the rest of the middleware stack, URL resolution and DRF.

A ticket rush sends thousands of ``POST /api/v1/orders/`` a minute. Through the full stack each one costs about
15 ms of CPU before and around its service (every middleware, resolving the path against every page of every
app, DRF's authentication, content negotiation, serializers); the service itself, a few SQL statements, is the
smaller part. Apps mark such routes with :func:`wenzhi.core.hooks.api_fast_route`; this middleware, placed
early in ``MIDDLEWARE``, answers them when the request is the plain case — a valid API token of an active
account, a JSON object body — by calling the same service the DRF view calls. Anything else (no token, a bad
one, a cookie session, a body DRF would parse differently) goes on to the full stack, which gives the errors.

The answer is what the DRF view answers: the same JSON renderer, the same error bodies (``core.api.errors``).
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import HttpResponse
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from .. import hooks, pgsql
from ..auth import demo_login_refused
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
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    kind, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if kind.lower() != "token" or not key or " " in key:
        return None
    user_model = get_user_model()
    columns, join, params = joined if joined and pgsql.is_postgresql() else ("", "", [])
    sql = (f"SELECT {', '.join('u.' + f for f in _USER_FIELDS)}{', ' + columns if columns else ''} FROM "
           f"{Token._meta.db_table} t JOIN {user_model._meta.db_table} u ON u.id = t.user_id {join} WHERE t.key = %s")
    if pgsql.is_postgresql():
        found = pgsql.rows(sql, [*params, key])
        row = found[0] if found else None
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
    if row is None:
        return None
    width = len(_USER_FIELDS)
    user = user_model.from_db(DEFAULT_DB_ALIAS, _USER_FIELDS, [row[0], *map(bool, row[1:width])])
    if not user.is_active or demo_login_refused(user) or user.must_change_password:
        return None
    user.fast_row = row[width:] if columns else None  # type: ignore[attr-defined]
    return user


def json_response(data, status: int = 200) -> HttpResponse:
    """``data`` as the API renders it, with its length (the full stack's CommonMiddleware adds it there)."""
    body = _renderer.render(data)
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


class ApiFastLaneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PREFIX) and "HTTP_AUTHORIZATION" in request.META:
            response = self._serve(request, path[len(PREFIX):])
            if response is not None:
                return response
        return self.get_response(request)

    def _serve(self, request, path: str) -> HttpResponse | None:
        for route in hooks.api_fast_routes():
            match = route.pattern.fullmatch(path)
            if match is None or route.method != request.method:
                continue
            data = _json_object(request)
            joined = route.joined(data, **match.groupdict()) if route.joined and data is not None else None
            user = token_user(request, joined) if data is not None else None
            if user is None:
                return None
            translation.activate(translation.get_language_from_request(request))
            request.user = user
            return route.handler(request, user, data, **match.groupdict())
        return None

"""Authorization matrix: every URL and API endpoint × every role (and anonymous).

The sweep covers every route any app registers: no page may answer 500, anonymous users are sent to the
login page (or get 401 from the API) unless a page is public, and routes with an id answer 403/404 for
a row that does not exist. Core's own pages have an explicit expected status per role.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from wenzhi.core.choices import Role

ROLES = [r.value for r in Role]
SKIP_PREFIXES = ("admin/", "i18n/", "static/", "media/")
# Pages anyone may read without signing in.
PUBLIC = re.compile(r"^(login/|core/password-reset/|healthz|api/schema/|api/docs/|logout/|.*public.*|registry/directories/published.*)")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _sample(route: str) -> str | None:
    route = route.lstrip("^").rstrip("$")
    if "(?P<format>" in route or route.endswith(".<drf_format_suffix:format>"):
        return None
    route = re.sub(r"<int:\w+>|<pk>|<str:pk>|\(\?P<pk>[^)]*\)", "987654", route)
    route = re.sub(r"<slug:\w+>|<str:\w+>|<\w+>", "x-unknown", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "987654", route)
    if any(ch in route for ch in "()[]*+?\\"):
        return None
    return "/" + route


def all_routes():
    seen = set()
    for route, _ in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        url = _sample(route)
        if url and url not in seen:
            seen.add(url)
            yield url


@pytest.mark.django_db
def test_every_route_for_every_role_never_errors(users, client_as, client):
    routes = list(all_routes())
    assert len(routes) > 10
    problems = []
    for url in routes:
        anon = client.get(url)
        if anon.status_code >= 500:
            problems.append(f"anonymous GET {url} -> {anon.status_code}")
        elif not PUBLIC.match(url.lstrip("/")):
            if url.startswith("/api/"):
                ok = anon.status_code in (401, 404)
            else:
                ok = anon.status_code in (302, 404) and (anon.status_code == 404 or "/login/" in anon.url)
            if not ok:
                problems.append(f"anonymous GET {url} -> {anon.status_code}, expected login")
        for role in ROLES:
            resp = client_as(role).get(url)
            if resp.status_code >= 500:
                problems.append(f"{role} GET {url} -> {resp.status_code}")
            if "987654" in url and resp.status_code == 200 and not url.startswith("/api/v1/") :
                problems.append(f"{role} GET {url} -> 200 for a row that does not exist")
    assert not problems, "\n".join(problems)


CORE_MATRIX = {
    # url: statuses per role, in ROLES order:
    # city_admin, district_officer, park_operator, enterprise_user, expert_reviewer, media_editor, public
    "/": [200] * 7,
    "/about/": [200] * 7,
    "/core/organisations/": [200, 200, 200, 403, 403, 403, 403],
    "/core/search/?q=测试": [200] * 7,
    "/core/account/": [200] * 7,
    "/core/account/password/": [200] * 7,
    "/core/accounts/": [200, 200, 403, 403, 403, 403, 403],
    "/core/accounts/new/": [200, 200, 403, 403, 403, 403, 403],
    "/api/v1/users/": [200, 200, 403, 403, 403, 403, 403],
    "/api/v1/me/": [200] * 7,
    "/api/v1/organisations/": [200] * 7,
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(CORE_MATRIX))
def test_core_matrix(url, users, client_as):
    got = [client_as(role).get(url).status_code for role in ROLES]
    assert got == CORE_MATRIX[url]


@pytest.mark.django_db
def test_other_districts_park_is_404_for_district_officer_page_and_api(users, orgs, client_as):
    c = client_as("district_officer")
    assert c.get(f"/core/organisations/{orgs['park_b'].id}/").status_code == 404
    assert c.get(f"/api/v1/organisations/{orgs['park_b'].id}/").status_code == 404
    assert c.get(f"/core/organisations/{orgs['park_a'].id}/").status_code == 200
    # Roles without an organisation scope see no organisations through the API.
    assert client_as("public").get("/api/v1/organisations/").json()["count"] == 0

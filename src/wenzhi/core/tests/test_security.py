"""Headers and sign-in rules a security review checks: the CSP on every answer, no demo login in production."""

import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from wenzhi.core.choices import Role
from wenzhi.core.services import user_create


@pytest.mark.parametrize("url", ["/login/", "/", "/api/v1/me/", "/no-such-page/", "/api/schema/", "/api/docs/"])
def test_every_answer_has_a_content_security_policy(users, url):
    client = Client()
    client.force_login(users["city_admin"])
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_inline_style_of_a_page_carries_the_nonce(users):
    client = Client()
    client.force_login(users["city_admin"])
    response = client.get("/api/docs/")
    nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "<script>" not in response.content.decode()  # start-up code comes as a file


@pytest.fixture
def demo_user(tianjin):
    return user_create(username="demo_admin", password="wenzhi-demo-2026", roles=[Role.CITY_ADMIN],
                       organisation=tianjin, is_demo=True)


def _login(username, password):
    return Client().post("/login/", {"username": username, "password": password})


@override_settings(WENZHI_DEMO_ACCOUNTS=False)
def test_demo_accounts_cannot_sign_in_where_they_are_off(demo_user, users):
    response = _login("demo_admin", "wenzhi-demo-2026")
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
    assert _login(users["city_admin"].username, "pw-Test-12345").status_code == 302  # real accounts still can


@override_settings(WENZHI_DEMO_ACCOUNTS=True)
def test_demo_accounts_sign_in_on_a_demo_instance(demo_user):
    assert _login("demo_admin", "wenzhi-demo-2026").status_code == 302


def test_an_open_demo_session_ends_when_demo_accounts_are_turned_off(demo_user):
    client = Client()
    client.force_login(demo_user)
    assert client.get("/").status_code == 200
    with override_settings(WENZHI_DEMO_ACCOUNTS=False):
        assert client.get("/").status_code == 302  # back to the login page


def test_demo_tokens_are_refused_where_demo_accounts_are_off(demo_user):
    token = Token.objects.create(user=demo_user)
    client = Client(headers={"Authorization": f"Token {token.key}"})
    assert client.get("/api/v1/me/").status_code == 200
    with override_settings(WENZHI_DEMO_ACCOUNTS=False):
        response = client.get("/api/v1/me/")
        assert response.status_code == 401

import json

import pytest
from django.urls import reverse

from wenzhi.core.choices import Level, Role
from wenzhi.core.models import Organisation, User
from wenzhi.core.scoping import scope_for


@pytest.mark.django_db
def test_reference_data_has_tianjin_and_16_districts():
    assert Organisation.objects.get(level=Level.CITY).name == "天津市"
    names = set(Organisation.objects.filter(level=Level.DISTRICT).values_list("name", flat=True))
    assert len(names) == 16
    assert {"和平区", "滨海新区", "蓟州区"} <= names


def test_scope_per_role(users, orgs):
    assert scope_for(users["city_admin"]).kind == "all"
    s = scope_for(users["district_officer"])
    assert (s.kind, s.organisation_id) == ("district", orgs["heping"].id)
    assert scope_for(users["park_operator"]).kind == "park"
    assert scope_for(users["enterprise_user"]).kind == "enterprise"
    assert scope_for(users["public"]).kind == "none"


def test_organisation_list_is_scoped(client_as, orgs):
    page = client_as("district_officer").get(reverse("core:organisation_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "测试园区甲" in body and "测试园区乙" not in body
    other = client_as("district_officer").get(reverse("core:organisation_detail", args=[orgs["park_b"].id]))
    assert other.status_code == 404


def test_organisation_export_csv_is_scoped(client_as):
    resp = client_as("district_officer").get(reverse("core:organisation_list") + "?export=csv")
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    assert "测试园区甲" in text and "测试园区乙" not in text


def test_organisation_export_xlsx(client_as):
    import io

    from openpyxl import load_workbook

    resp = client_as("city_admin").get(reverse("core:organisation_list") + "?export=xlsx&q=测试园区")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    assert {r[0] for r in rows[1:]} == {"测试园区甲", "测试园区乙"}


def test_home_requires_login(client, db):
    resp = client.get("/")
    assert resp.status_code == 302 and resp.url.startswith("/login/")


def test_dashboard_shows_the_panels_a_user_may_see(client_as, monkeypatch):
    from wenzhi.core import hooks, panels

    def chart(request):
        return panels.chart("chart-test", {"series": [{"type": "pie", "data": [{"name": "x", "value": 1234,
                                                                                 "url": "/somewhere/"}]}]})

    monkeypatch.setattr(hooks, "_panels", [
        hooks.DashboardPanel("test_chart", "图", "core/panels/chart.html", chart, action="organisation.view"),
        hooks.DashboardPanel("test_figures", "数", "core/panels/figures.html",
                             lambda request: panels.figures(panels.figure("企业", 25000, "/list/")), action="dashboard.view"),
        hooks.DashboardPanel("test_none", "无", "core/panels/figures.html", lambda request: None,
                             action="dashboard.view"),
    ])
    body = client_as("city_admin").get("/").content.decode()
    data = body.split('id="chart-test-data">')[1].split("</script>")[0]
    assert json.loads(data)["series"][0]["data"][0]["url"] == "/somewhere/"
    assert 'data-panel="test_figures"' in body and '<a href="/list/">25,000</a>' in body
    assert 'data-panel="test_none"' not in body
    expert = client_as("expert_reviewer").get("/").content.decode()
    assert 'data-panel="test_chart"' not in expert and 'data-panel="test_figures"' in expert


def test_login_rate_limited(client, users):
    for _ in range(4):
        r = client.post("/login/", {"username": "u_public", "password": "wrong-password"})
        assert r.status_code == 200
        assert "用户名或密码不正确" in r.content.decode()
    assert client.post("/login/", {"username": "u_public", "password": "wrong"}).status_code == 429
    locked = client.post("/login/", {"username": "u_public", "password": "pw-Test-12345"})
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()


def test_passwords_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    u = User(username="x")
    u.set_password("a-Long-pass-123")
    assert u.password.startswith("argon2$")


def test_language_switch_to_english(client_as):
    c = client_as("city_admin")
    assert "工作台" in c.get("/").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get("/").content.decode()
    assert "Dashboard" in body


def test_api_errors_are_json_with_code(client, users):
    r = client.get("/api/v1/me/")
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated" and "登录" in r.json()["message"]
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert r.status_code == 401 and r.json()["code"] == "authentication_failed"


def test_api_token_and_scope(client, users, orgs):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["district_officer"])
    r = client.get("/api/v1/organisations/?level=park", HTTP_AUTHORIZATION=f"Token {token.key}")
    names = {o["name"] for o in r.json()["results"]}
    assert names == {"测试园区甲"}
    r = client.get(f"/api/v1/organisations/{orgs['park_b'].id}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_api_malformed_body_is_400(client, users):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["city_admin"])
    r = client.post("/api/v1/organisations/", data="{not json", content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code in (400, 405)
    assert "code" in r.json()


def test_schema_and_docs(client_as):
    c = client_as("city_admin")
    assert c.get("/api/schema/").status_code == 200
    assert c.get("/api/docs/").status_code == 200


def test_production_refuses_debug_and_default_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("WENZHI_DEBUG", "1")
    monkeypatch.setenv("WENZHI_SECRET_KEY", "x" * 50)
    sys.modules.pop("wenzhi.config.settings.production", None)
    sys.modules.pop("wenzhi.config.settings.base", None)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        importlib.import_module("wenzhi.config.settings.production")
    monkeypatch.setenv("WENZHI_DEBUG", "0")
    monkeypatch.setenv("WENZHI_SECRET_KEY", "")
    sys.modules.pop("wenzhi.config.settings.production", None)
    sys.modules.pop("wenzhi.config.settings.base", None)
    with pytest.raises(ImproperlyConfigured, match="WENZHI_SECRET_KEY"):
        importlib.import_module("wenzhi.config.settings.production")
    sys.modules.pop("wenzhi.config.settings.production", None)
    sys.modules.pop("wenzhi.config.settings.base", None)


def test_roles_are_known():
    assert set(Role.values) == {"city_admin", "district_officer", "park_operator", "enterprise_user",
                                "expert_reviewer", "media_editor", "venue_operator", "public"}


@pytest.mark.parametrize("url, message", [("mysql://x@y/z", "无法识别"), ("sqlite:///", "缺少 SQLite")])
def test_bad_database_url_is_a_clear_error(url, message):
    from django.core.exceptions import ImproperlyConfigured

    from wenzhi.config.settings.base import database_from_url

    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url)


def test_wenzhi_command_reports_bad_database_url(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": "mysql://nobody@nowhere/x", "DJANGO_SETTINGS_MODULE": "wenzhi.config.settings.local"}
    proc = subprocess.run([sys.executable, "-m", "wenzhi.config.cli", "check"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert "DATABASE_URL 无法识别" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_api_docs_use_local_assets(client_as):
    body = client_as("city_admin").get("/api/docs/").content.decode()
    assert "swagger-ui" in body
    assert "cdn." not in body and "unpkg" not in body and "jsdelivr" not in body

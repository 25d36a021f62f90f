"""Account administration: scope, roles, audit, deactivation, password reset and the forced first change."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from wenzhi.core import services
from wenzhi.core.choices import Role
from wenzhi.core.models import AccountEvent, User

pytestmark = pytest.mark.django_db
PW = "pw-Test-12345"


def _form(org, roles, **extra):
    data = {"display_name": "新同事", "email": "", "organisation": org.code if org else "", "roles": roles}
    data.update(extra)
    return data


# --- scope -----------------------------------------------------------------------------------------------

def test_district_officer_lists_only_its_parks_and_enterprises_users(users, client_as):
    page = client_as("district_officer").get("/core/accounts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "u_park_operator" in text and "u_enterprise_user" in text
    for foreign in ("u_city_admin", "u_district_b", "u_expert_reviewer", ">u_district_officer<"):
        assert foreign not in text


def test_city_admin_lists_every_account(users, client_as):
    text = client_as("city_admin").get("/core/accounts/?is_active=1").content.decode()
    assert all(u.username in text for u in users.values())


def test_role_filter(users, client_as):
    text = client_as("city_admin").get("/core/accounts/?role=district_officer").content.decode()
    assert "u_district_b" in text and "u_park_operator" not in text


@pytest.mark.parametrize("target", ["city_admin", "other_district", "district_officer", "expert_reviewer"])
def test_district_officer_gets_404_for_accounts_outside_its_scope(users, client_as, target):
    c = client_as("district_officer")
    pk = users[target].pk
    if target == "district_officer":  # its own account is not administered here
        assert c.get(f"/core/accounts/{pk}/").status_code == 404
        return
    for url in (f"/core/accounts/{pk}/", f"/core/accounts/{pk}/edit/", f"/core/accounts/{pk}/reset-password/"):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/core/accounts/{pk}/deactivate/").status_code == 404
    assert c.get(f"/api/v1/users/{pk}/").status_code == 404
    assert c.patch(f"/api/v1/users/{pk}/", {"display_name": "x"}, content_type="application/json").status_code == 404
    assert User.objects.get(pk=pk).is_active


def test_park_operator_and_enterprise_user_have_no_account_pages(users, client_as):
    for role in ("park_operator", "enterprise_user", "public"):
        c = client_as(role)
        assert c.get("/core/accounts/").status_code == 403
        assert c.get(f"/core/accounts/{users['enterprise_user'].pk}/").status_code == 403
        assert c.get("/api/v1/users/").status_code == 403
    nav = client_as("park_operator").get("/").content.decode()
    assert 'data-nav="accounts"' not in nav
    assert 'data-nav="accounts"' in client_as("district_officer").get("/").content.decode()


# --- create, roles, audit ----------------------------------------------------------------------------------

def test_district_officer_creates_a_park_operator_and_history_shows_it(users, orgs, client_as):
    c = client_as("district_officer")
    resp = c.post("/core/accounts/new/", {**_form(orgs["park_a"], [Role.PARK_OPERATOR]), "username": "newpark"})
    assert resp.status_code == 200
    temporary = resp.context["password"]
    user = User.objects.get(username="newpark")
    assert user.check_password(temporary) and user.must_change_password
    assert user.organisation == orgs["park_a"] and user.roles == [Role.PARK_OPERATOR]
    detail = c.get(f"/core/accounts/{user.pk}/").content.decode()
    assert "创建账号" in detail and "园区运营方" in detail and "测试园区甲" in detail


def test_district_officer_cannot_grant_city_admin(users, orgs, client_as, tianjin):
    c = client_as("district_officer")
    offered = c.get("/core/accounts/new/").context["form"].fields["roles"].choices
    assert [v for v, _ in offered] == [Role.PARK_OPERATOR, Role.ENTERPRISE_USER]
    resp = c.post("/core/accounts/new/", {**_form(orgs["ent_a"], [Role.CITY_ADMIN]), "username": "sneaky"})
    assert resp.status_code == 200 and resp.context["form"].errors["roles"]
    assert not User.objects.filter(username="sneaky").exists()
    with pytest.raises(ValidationError, match="您不能授予“市级管理员”角色。"):
        services.user_set_roles(actor=users["district_officer"], user=users["enterprise_user"],
                                roles=[Role.CITY_ADMIN], organisation=tianjin)
    assert User.objects.get(pk=users["enterprise_user"].pk).roles == [Role.ENTERPRISE_USER]
    api = c.post("/api/v1/users/", {"username": "sneaky", "roles": ["city_admin"], "organisation": orgs["ent_a"].pk},
                 content_type="application/json")
    assert api.status_code == 400
    assert "您不能授予“市级管理员”角色。" in str(api.json()["errors"]["roles"])
    assert not User.objects.filter(username="sneaky").exists()


def test_role_must_fit_the_organisation_level(users, orgs, client_as):
    c = client_as("city_admin")
    resp = c.post("/core/accounts/new/", {**_form(orgs["park_a"], [Role.ENTERPRISE_USER]), "username": "mismatch"})
    assert "“企业用户”角色须属于企业组织，所选组织“测试园区甲”是园区。" in resp.content.decode()
    assert not User.objects.filter(username="mismatch").exists()


def test_district_officer_cannot_place_an_account_in_another_district(users, orgs, client_as):
    c = client_as("district_officer")
    resp = c.post("/core/accounts/new/", {**_form(orgs["ent_b"], [Role.ENTERPRISE_USER]), "username": "foreign"})
    assert "在您可管理的组织中找不到代码或名称为“T-ENT-B”的组织。" in resp.content.decode()
    api = c.post("/api/v1/users/", {"username": "foreign", "roles": ["enterprise_user"],
                                    "organisation": orgs["ent_b"].pk}, content_type="application/json")
    assert api.status_code == 400 and not User.objects.filter(username="foreign").exists()


def test_role_change_is_audited_in_human_terms(users, orgs, client_as):
    target = users["enterprise_user"]
    c = client_as("district_officer")
    resp = c.post(f"/core/accounts/{target.pk}/edit/", _form(orgs["park_a"], [Role.PARK_OPERATOR],
                                                               display_name=target.display_name))
    assert resp.status_code == 302
    target.refresh_from_db()
    assert target.roles == [Role.PARK_OPERATOR] and target.organisation == orgs["park_a"]
    event = AccountEvent.objects.get(user=target, kind=AccountEvent.Kind.CHANGED)
    assert event.actor == users["district_officer"]
    page = c.get(f"/core/accounts/{target.pk}/").content.decode()
    assert "企业用户 → 园区运营方" in page.replace("\n", "")
    assert "测试企业甲 → 测试园区甲" in page.replace("\n", "")
    assert "park_operator" not in page.split('id="history"', 1)[1]  # labels, not role codes


def test_edit_form_saved_unchanged_writes_nothing(users, client_as):
    target = users["enterprise_user"]
    c = client_as("city_admin")
    form = c.get(f"/core/accounts/{target.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert c.post(f"/core/accounts/{target.pk}/edit/", data).status_code == 302
    assert not AccountEvent.objects.filter(user=target).exists()


def test_english_history_uses_english_labels(users, orgs, client_as):
    target = users["enterprise_user"]
    services.user_update(actor=users["city_admin"], user=target, roles=[Role.PARK_OPERATOR], organisation=orgs["park_a"])
    c = client_as("city_admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get(f"/core/accounts/{target.pk}/").content.decode()
    assert "Park operator" in page and "Enterprise user" in page


# --- deactivate ------------------------------------------------------------------------------------------

def test_deactivated_user_cannot_log_in_and_can_be_reactivated(users, client_as):
    target = users["enterprise_user"]
    signed_in = client_as("enterprise_user")
    assert signed_in.get("/").status_code == 200
    c = client_as("district_officer")
    assert c.post(f"/core/accounts/{target.pk}/deactivate/", {"reason": "离职"}).status_code == 302
    assert "/login/" in signed_in.get("/").url  # an open session ends too
    target.refresh_from_db()
    assert not target.is_active and User.objects.filter(pk=target.pk).exists()
    login = Client().post("/login/", {"username": target.username, "password": PW})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session
    assert "该账号已停用" in login.content.decode()  # the owner is told why, not "wrong password"
    wrong = Client().post("/login/", {"username": target.username, "password": "not-the-password"})
    assert "该账号已停用" not in wrong.content.decode()  # a guesser learns nothing
    event = AccountEvent.objects.get(user=target, kind=AccountEvent.Kind.DEACTIVATED)
    assert event.reason == "离职"
    c.post(f"/core/accounts/{target.pk}/reactivate/")
    assert Client().post("/login/", {"username": target.username, "password": PW}).status_code == 302


def test_deactivated_user_token_stops_working(users, client_as):
    from rest_framework.authtoken.models import Token

    target = users["park_operator"]
    token = Token.objects.create(user=target)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200
    assert client_as("city_admin").post(f"/api/v1/users/{target.pk}/deactivate/").status_code == 200
    assert api.get("/api/v1/me/").status_code == 401


def test_city_admin_cannot_deactivate_itself(users, client_as):
    me = users["city_admin"]
    resp = client_as("city_admin").post(f"/api/v1/users/{me.pk}/deactivate/")
    assert resp.status_code == 400 and "不能停用本人的账号" in str(resp.json())
    me.refresh_from_db()
    assert me.is_active


# --- must change the password ------------------------------------------------------------------------------

def test_new_account_must_change_password_at_first_login(users, orgs, client_as):
    c = client_as("district_officer")
    temporary = c.post("/core/accounts/new/", {**_form(orgs["ent_a"], [Role.ENTERPRISE_USER]),
                                                "username": "firstlogin"}).context["password"]
    browser = Client()
    resp = browser.post("/login/", {"username": "firstlogin", "password": temporary}, follow=True)
    assert resp.redirect_chain[-1][0].startswith("/core/account/password/")
    assert "请先设置您自己的密码" in resp.content.decode()
    assert browser.get("/registry/enterprises/").status_code == 302
    api = browser.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    assert "修改初始密码" in api.json()["message"]
    resp = browser.post("/core/account/password/?next=/registry/enterprises/", {
        "old_password": temporary, "new_password1": "Jinmen-Culture-2026", "new_password2": "Jinmen-Culture-2026"})
    assert resp.status_code == 302 and resp["Location"] == "/registry/enterprises/"
    assert browser.get("/registry/enterprises/").status_code == 200
    assert browser.get("/api/v1/me/").status_code == 200
    assert not User.objects.get(username="firstlogin").must_change_password


def test_token_of_a_must_change_account_is_refused(users):
    from rest_framework.authtoken.models import Token

    target = users["park_operator"]
    target.must_change_password = True
    target.save()
    token = Token.objects.create(user=target)
    resp = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/organisations/")
    assert resp.status_code == 403 and resp.json()["code"] == "password_change_required"


def test_demo_accounts_are_not_forced_to_change(reference_data):
    from wenzhi.core.demo import demo_accounts

    demo_accounts()
    assert User.objects.filter(is_demo=True).exists()
    assert not User.objects.filter(is_demo=True, must_change_password=True).exists()


# --- own password ----------------------------------------------------------------------------------------

def test_own_password_change_with_wrong_old_password_is_refused(users, client_as):
    c = client_as("expert_reviewer")
    assert "修改密码" in c.get("/core/account/").content.decode()
    resp = c.post("/core/account/password/", {"old_password": "wrong", "new_password1": "Jinmen-Culture-2026",
                                               "new_password2": "Jinmen-Culture-2026"})
    assert resp.status_code == 200 and "旧密码不正确" in resp.content.decode()
    assert users["expert_reviewer"].__class__.objects.get(pk=users["expert_reviewer"].pk).check_password(PW)
    resp = c.post("/core/account/password/", {"old_password": PW, "new_password1": "Jinmen-Culture-2026",
                                               "new_password2": "Jinmen-Culture-2026"})
    assert resp.status_code == 302
    assert c.get("/core/account/").status_code == 200  # still signed in
    assert User.objects.get(pk=users["expert_reviewer"].pk).check_password("Jinmen-Culture-2026")
    assert AccountEvent.objects.filter(user=users["expert_reviewer"], kind="password_changed").exists()


# --- reset -----------------------------------------------------------------------------------------------

def test_official_reset_with_temporary_password(users, client_as):
    target = users["enterprise_user"]
    resp = client_as("district_officer").post(f"/core/accounts/{target.pk}/reset-password/", {"method": "temporary"})
    target.refresh_from_db()
    assert target.check_password(resp.context["password"]) and not target.check_password(PW)
    assert target.must_change_password
    assert AccountEvent.objects.filter(user=target, kind="password_reset").exists()


def test_official_reset_by_mail_and_the_link_sets_the_password(users, client_as, django_capture_on_commit_callbacks):
    target = users["enterprise_user"]
    target.email = "ent@example.cn"
    target.save()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client_as("district_officer").post(f"/core/accounts/{target.pk}/reset-password/", {"method": "email"})
    assert resp.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ent@example.cn"]
    target.refresh_from_db()
    assert target.must_change_password and not target.has_usable_password()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line).strip()
    path = link.split("testserver", 1)[1]
    browser = Client()
    form_page = browser.get(path, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = browser.post(form_page.redirect_chain[-1][0], {"new_password1": "Haihe-River-2026",
                                                          "new_password2": "Haihe-River-2026"})
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Haihe-River-2026") and not target.must_change_password


def test_reset_by_mail_needs_an_email(users, client_as):
    target = users["enterprise_user"]
    resp = client_as("city_admin").post(f"/api/v1/users/{target.pk}/reset-password/", {"method": "email"},
                                        content_type="application/json")
    assert resp.status_code == 400 and "没有登记电子邮箱" in str(resp.json())
    assert not mail.outbox


def test_forgot_password_mail(users):
    target = users["park_operator"]
    target.email = "park@example.cn"
    target.save()
    resp = Client().post("/core/password-reset/", {"email": "PARK@example.cn"})
    assert resp.status_code == 302
    assert len(mail.outbox) == 1 and "/core/password-reset/" in mail.outbox[0].body
    assert "重置密码" in mail.outbox[0].subject
    Client().post("/core/password-reset/", {"email": "nobody@example.cn"})
    assert len(mail.outbox) == 1


# --- API -------------------------------------------------------------------------------------------------

def test_api_create_update_and_scope(users, orgs, client_as):
    c = client_as("district_officer")
    listed = {u["username"] for u in c.get("/api/v1/users/").json()["results"]}
    assert listed == {"u_park_operator", "u_enterprise_user"}
    resp = c.post("/api/v1/users/", {"username": "api-user", "roles": ["enterprise_user"],
                                     "organisation": orgs["ent_a"].pk, "email": "a@example.cn"},
                  content_type="application/json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["must_change_password"] and body["temporary_password"]
    created = User.objects.get(username="api-user")
    assert created.check_password(body["temporary_password"])
    patched = c.patch(f"/api/v1/users/{created.pk}/", {"display_name": "王五"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["display_name"] == "王五"
    refused = c.patch(f"/api/v1/users/{created.pk}/", {"is_active": False, "is_superuser": True},
                      content_type="application/json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"is_active", "is_superuser"}
    assert c.delete(f"/api/v1/users/{created.pk}/").status_code in (403, 405)  # never deleted
    assert User.objects.filter(pk=created.pk).exists()
    kinds = list(AccountEvent.objects.filter(user=created).values_list("kind", flat=True))
    assert sorted(kinds) == ["changed", "created"]


def test_api_reset_password_returns_the_temporary_password(users, client_as):
    target = users["park_operator"]
    resp = client_as("city_admin").post(f"/api/v1/users/{target.pk}/reset-password/", {},
                                        content_type="application/json")
    assert resp.status_code == 200
    target.refresh_from_db()
    assert target.check_password(resp.json()["temporary_password"]) and target.must_change_password


def test_permission_table_encodes_the_account_scope(users, orgs, heping):
    from wenzhi.core.permissions import can

    second = services.user_create(username="heping2", password=PW, roles=[Role.DISTRICT_OFFICER],
                                  organisation=heping)
    officer = users["district_officer"]
    assert can(officer, "account.change", users["enterprise_user"])
    assert can(officer, "account.reset_password", users["park_operator"])
    for foreign in (second, users["city_admin"], users["other_district"], users["expert_reviewer"]):
        assert not can(officer, "account.change", foreign), foreign
    assert not can(users["park_operator"], "account.view", users["enterprise_user"])
    assert can(users["city_admin"], "account.deactivate", second)
    assert can(users["public"], "account.change_own_password")


def test_organisation_found_by_part_of_its_name_when_unique(users, orgs, client_as):
    c = client_as("district_officer")
    c.post("/core/accounts/new/", {**_form(None, [Role.ENTERPRISE_USER], organisation="企业甲"), "username": "part"})
    assert User.objects.get(username="part").organisation == orgs["ent_a"]
    resp = c.post("/core/accounts/new/", {**_form(None, [Role.ENTERPRISE_USER], organisation="测试"),
                                          "username": "vague"})
    assert "有多个组织的名称含有“测试”" in resp.content.decode()


def test_stale_edit_is_refused(users, client_as):
    target = users["enterprise_user"]
    c = client_as("city_admin")
    form = c.get(f"/core/accounts/{target.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    services.user_update(actor=users["district_officer"], user=User.objects.get(pk=target.pk), display_name="甲")
    resp = c.post(f"/core/accounts/{target.pk}/edit/", {**data, "display_name": "乙"})
    assert resp.status_code == 409
    assert "已被他人修改" in resp.content.decode()
    assert User.objects.get(pk=target.pk).display_name == "甲"


def test_api_stale_patch_is_refused(users, client_as):
    target = users["enterprise_user"]
    c = client_as("city_admin")
    version = c.get(f"/api/v1/users/{target.pk}/").json()["version"]
    services.user_update(actor=users["district_officer"], user=User.objects.get(pk=target.pk), display_name="甲")
    resp = c.patch(f"/api/v1/users/{target.pk}/", {"display_name": "乙", "version": version},
                   content_type="application/json")
    assert resp.status_code == 409
    assert "已被他人修改" in resp.json()["message"]
    assert User.objects.get(pk=target.pk).display_name == "甲"
    fresh = c.get(f"/api/v1/users/{target.pk}/").json()["version"]
    ok = c.patch(f"/api/v1/users/{target.pk}/", {"display_name": "乙", "version": fresh},
                 content_type="application/json")
    assert ok.status_code == 200 and ok.json()["display_name"] == "乙"


def test_api_deactivate_with_odd_body_and_reason(users, client_as):
    target = users["park_operator"]
    c = client_as("district_officer")
    assert c.post(f"/api/v1/users/{target.pk}/deactivate/", [], content_type="application/json").status_code == 200
    assert c.post(f"/api/v1/users/{target.pk}/reactivate/", {"reason": "复职"},
                  content_type="application/json").json()["is_active"]
    assert AccountEvent.objects.filter(user=target, kind="reactivated", reason="复职").exists()


def test_api_own_password_change(users, client_as):
    c = client_as("media_editor")
    wrong = c.post("/api/v1/me/password/", {"old_password": "nope", "new_password": "Jinmen-Culture-2026"},
                   content_type="application/json")
    assert wrong.status_code == 400 and "原密码不正确" in str(wrong.json()["errors"])
    weak = c.post("/api/v1/me/password/", {"old_password": PW, "new_password": "12345678"},
                  content_type="application/json")
    assert weak.status_code == 400 and "new_password" in weak.json()["errors"]
    ok = c.post("/api/v1/me/password/", {"old_password": PW, "new_password": "Jinmen-Culture-2026"},
                content_type="application/json")
    assert ok.status_code == 200
    assert User.objects.get(pk=users["media_editor"].pk).check_password("Jinmen-Culture-2026")
    assert c.get("/api/v1/me/").status_code == 200  # the session that changed it stays signed in

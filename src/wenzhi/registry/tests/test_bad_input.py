"""Bad input on the registry's write paths, pages and API: a foreign row, a role without the action, fields that
may not be written (mass assignment), stale data and no-op edits. Each is refused with a clear Chinese message
and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenzhi.core import hooks
from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.permissions import action, can

from .. import services
from ..models import Enterprise, Park
from ..workflows import PARK_TRANSITIONS

pytestmark = pytest.mark.django_db


def _snapshot(ent):
    ent = Enterprise.all_objects.get(pk=ent.pk)
    return {f.attname: getattr(ent, f.attname) for f in Enterprise._meta.concrete_fields}, ent.history.count()


def _patch(client, ent, body):
    return client.patch(f"/api/v1/enterprises/{ent.pk}/", body, content_type="application/json")


def test_park_operator_api_patch_of_identity_fields_is_400_naming_them_and_writes_nothing(registry, client_as):
    ent = registry["ent_a"]
    before = _snapshot(ent)
    r = _patch(client_as("park_operator"), ent, {"name": "改名有限公司", "ownership": "foreign",
                                                 "credit_code": "", "park": registry["park_b"].organisation_id})
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"name", "ownership", "credit_code", "park"}
    assert "修改企业登记信息" in r.json()["errors"]["name"][0]
    assert _snapshot(ent) == before


def test_park_operator_keeps_the_profile_through_the_api(registry, client_as):
    ent = registry["ent_a"]
    r = _patch(client_as("park_operator"), ent, {"address": "天津市和平区新华路 9 号"})
    assert r.status_code == 200 and r.json()["address"] == "天津市和平区新华路 9 号"


def test_extra_and_read_only_fields_are_400_naming_them(registry, client_as):
    ent = registry["ent_a"]
    before = _snapshot(ent)
    r = _patch(client_as("city_admin"), ent, {"address": "新地址", "culture_category": "01", "is_demo": True,
                                              "bogus": 1})
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"culture_category", "is_demo", "bogus"}
    assert _snapshot(ent) == before
    r = client_as("city_admin").post("/api/v1/enterprises/", {"name": "天津多字段文化有限公司",
                                                               "district": ent.district_id, "intelligent": True},
                                     content_type="application/json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["intelligent"]
    assert not Enterprise.objects.filter(name="天津多字段文化有限公司").exists()


def test_moving_an_enterprise_out_of_the_officers_district_is_refused(registry, client_as, orgs):
    ent = registry["ent_a"]
    before = _snapshot(ent)
    r = _patch(client_as("district_officer"), ent, {"district": orgs["binhai"].id, "park": None})
    assert r.status_code == 403 and "管辖范围" in r.json()["message"]
    assert _snapshot(ent) == before
    r = _patch(client_as("city_admin"), ent, {"district": orgs["binhai"].id, "park": orgs["park_b"].id})
    assert r.status_code == 200 and r.json()["district"] == orgs["binhai"].id


def test_a_foreign_row_is_404_on_page_and_api(registry, client_as):
    ent_b = registry["ent_b"]
    before = _snapshot(ent_b)
    c = client_as("district_officer")
    assert _patch(c, ent_b, {"address": "x"}).status_code == 404
    assert c.post(reverse("registry:enterprise_edit", args=[ent_b.pk]), {"address": "x"}).status_code == 404
    assert c.post(reverse("registry:enterprise_tags", args=[ent_b.pk]), {"srdi": "on", "reason": "x"}
                  ).status_code == 404
    assert c.post(f"/api/v1/parks/{registry['park_b'].pk}/transition/",
                  {"transition": "submit_rectification", "reason": "x"}, content_type="application/json"
                  ).status_code == 404
    assert _snapshot(ent_b) == before


def test_a_role_without_the_action_gets_403_naming_it(registry, client_as):
    r = client_as("enterprise_user").post("/api/v1/enterprises/", {"name": "天津新文化有限公司"},
                                          content_type="application/json")
    assert r.status_code == 403 and "登记企业" in r.json()["message"]
    page = client_as("park_operator").post(reverse("registry:enterprise_tags", args=[registry["ent_a"].pk]),
                                           {"srdi": "on", "reason": "x"})
    assert page.status_code == 403 and "设置企业标签" in page.content.decode()
    assert not Enterprise.objects.get(pk=registry["ent_a"].pk).srdi


def test_a_stale_api_patch_is_409_and_writes_nothing(registry, client_as, users):
    ent = registry["ent_a"]
    read = client_as("district_officer").get(f"/api/v1/enterprises/{ent.pk}/").json()["updated_at"]
    services.enterprise_update(actor=users["city_admin"], enterprise=ent, data={"address": "市里先改的地址"})
    before = _snapshot(ent)
    r = _patch(client_as("district_officer"), ent, {"address": "区里后改的地址", "updated_at": read})
    assert r.status_code == 409 and r.json()["code"] == "conflict" and "已被他人修改" in r.json()["message"]
    assert _snapshot(ent) == before
    fresh = client_as("district_officer").get(f"/api/v1/enterprises/{ent.pk}/").json()["updated_at"]
    assert _patch(client_as("district_officer"), ent, {"address": "区里后改的地址", "updated_at": fresh}
                  ).status_code == 200


def test_a_stale_page_edit_is_409_and_writes_nothing(registry, client_as, users):
    ent = registry["ent_a"]
    c = client_as("enterprise_user")
    url = reverse("registry:enterprise_edit", args=[ent.pk])
    form = c.get(url).content.decode()
    version = version_of(Enterprise.objects.get(pk=ent.pk))
    assert f'name="version" value="{version}"' in form
    services.enterprise_update(actor=users["district_officer"], enterprise=ent, data={"address": "区里先改的地址"})
    before = _snapshot(ent)
    r = c.post(url, {"address": "企业后改的地址", "legal_form": "", "industry_code": ent.industry_code,
                     "business_scope": ent.business_scope, "former_names_text": "", "version": version})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert _snapshot(ent) == before


def test_a_patch_that_changes_nothing_writes_no_history(registry, client_as):
    ent = Enterprise.objects.get(pk=registry["ent_a"].pk)
    before = _snapshot(ent)
    r = _patch(client_as("city_admin"), ent, {"name": ent.name, "address": ent.address, "park": ent.park_id})
    assert r.status_code == 200
    assert _snapshot(ent) == before
    assert _patch(client_as("city_admin"), ent, {}).status_code == 200
    assert _snapshot(ent) == before


def test_services_enforce_the_table_themselves(registry, users):
    ent = registry["ent_a"]
    with pytest.raises(PermissionDenied, match="修改企业登记信息"):
        services.enterprise_update(actor=users["park_operator"], enterprise=ent, data={"name": "改名有限公司"})
    with pytest.raises(PermissionDenied):
        services.enterprise_set_tags(actor=users["other_district"], enterprise=ent, tags={"srdi": True})
    with pytest.raises(PermissionDenied):
        services.enterprise_delete(actor=users["district_officer"], enterprise=ent, reason="x")
    park = Park.objects.get(pk=registry["park_a"].pk)
    stale = version_of(park)
    services.park_update(actor=users["district_officer"], park=park, data={"operator": "新运营方"})
    with pytest.raises(StaleEdit):
        services.park_update(actor=users["city_admin"], park=park, data={"operator": "另一个运营方"}, version=stale)
    with pytest.raises(PermissionDenied):
        services.park_update(actor=users["park_operator"], park=park, data={"operator": "自己改"})


def test_each_park_step_is_an_action_of_the_table(registry, users):
    for step in PARK_TRANSITIONS.values():
        assert action(step.action).roles, step.key
    park = registry["park_a"]
    assert can(users["park_operator"], "park.submit_rectification", park)
    assert not can(users["park_operator"], "park.warn", park)
    assert not can(users["other_district"], "park.submit_rectification", park)
    with pytest.raises(PermissionDenied, match="警告并限期整改"):
        services.park_transition(actor=users["district_officer"], park=park, transition="warn", reason="评价不合格")


def test_district_officers_see_the_import_menu_and_button(registry, users, client_as):
    keys = {e.key for e in hooks.nav_for(users["district_officer"])}
    assert "registry_imports" in keys and "registry_imports" not in {e.key for e in hooks.nav_for(users["park_operator"])}
    page = client_as("district_officer").get(reverse("registry:enterprise_list")).content.decode()
    assert reverse("registry:import_new") in page

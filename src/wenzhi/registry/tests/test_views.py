import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .. import services
from ..models import Enterprise


def test_enterprise_detail_shows_evidence_and_history(registry, client_as, users):
    ent = registry["ent_b"]
    services.enterprise_override_classification(actor=users["city_admin"], enterprise=ent,
                                                culture_subcategory="032", sector="creative_design",
                                                reason="主营数字设计，经实地核查")
    page = client_as("city_admin").get(reverse("registry:enterprise_detail", args=[ent.pk])).content.decode()
    assert "变更记录" in page and "主营数字设计，经实地核查" in page
    assert "人工认定" in page and "虚拟现实" in page  # intelligent evidence


def test_enterprise_user_edits_own_profile_through_the_form(registry, client_as):
    ent = registry["ent_a"]
    c = client_as("enterprise_user")
    url = reverse("registry:enterprise_edit", args=[ent.pk])
    assert "name=\"credit_code\"" not in c.get(url).content.decode()  # officials only
    r = c.post(url, {"address": "天津市和平区南京路 1 号", "legal_form": "有限责任公司", "founded_on": "2015-03-01",
                     "industry_code": "9999", "business_scope": "广告设计", "former_names_text": ""})
    assert r.status_code == 200 and "不在 GB/T 4754-2017 小类中" in r.content.decode()
    r = c.post(url, {"address": "天津市和平区南京路 1 号", "legal_form": "有限责任公司", "founded_on": "2015-03-01",
                     "industry_code": "7492", "business_scope": "品牌设计", "former_names_text": "天津旧名有限公司",
                     "reason": "地址变更"})
    assert r.status_code == 302
    ent.refresh_from_db()
    assert ent.address == "天津市和平区南京路 1 号" and ent.culture_subcategory == "032"
    assert ent.former_names == ["天津旧名有限公司"]
    assert ent.history.first().history_change_reason == "地址变更"


def test_list_filters_export_and_search_are_scoped(registry, client_as):
    from wenzhi.core import search

    search.rebuild()  # the rows were written in this test's transaction, whose commit never comes
    c = client_as("district_officer")
    page = c.get(reverse("registry:enterprise_list")).content.decode()
    assert registry["ent_a"].name in page and registry["ent_b"].name not in page
    csv_body = b"".join(c.get(reverse("registry:enterprise_list"), {"export": "csv"}).streaming_content).decode()
    assert registry["ent_a"].credit_code in csv_body and registry["ent_b"].credit_code not in csv_body
    assert registry["ent_c"].credit_code not in csv_body
    results = c.get(reverse("core:search"), {"q": "滨海"}).content.decode()
    assert registry["ent_b"].name not in results
    admin = client_as("city_admin")
    page = admin.get(reverse("registry:enterprise_list"), {"sector": "animation_games"}).content.decode()
    assert registry["ent_b"].name in page and registry["ent_a"].name not in page
    assert registry["ent_b"].name in admin.get(reverse("core:search"), {"q": "滨海乙"}).content.decode()
    xlsx = admin.get(reverse("registry:enterprise_list"), {"export": "xlsx", "district": registry["ent_b"].district_id})
    rows = list(load_workbook(io.BytesIO(xlsx.content), read_only=True).active.values)
    assert rows[0][0] == "企业名称" and {r[0] for r in rows[1:]} == {registry["ent_b"].name, registry["ent_c"].name}


def test_park_page_actions_follow_the_state_machine(registry, client_as):
    park = registry["park_a"]
    admin = client_as("city_admin")
    page = admin.get(reverse("registry:park_detail", args=[park.pk])).content.decode()
    assert 'data-transition="warn"' in page and 'data-transition="accept_rectification"' not in page
    r = admin.post(reverse("registry:park_transition", args=[park.pk]), {"transition": "warn", "reason": "评价 61 分"})
    assert r.status_code == 302
    park.refresh_from_db()
    assert park.status == "warned"
    operator_page = client_as("park_operator").get(reverse("registry:park_detail", args=[park.pk])).content.decode()
    assert 'data-transition="submit_rectification"' in operator_page and 'data-transition="revoke"' not in operator_page
    assert "评价 61 分" in operator_page and "变更记录" in operator_page  # the park's change history


def test_park_evaluation_form(registry, client_as):
    park = registry["park_a"]
    r = client_as("district_officer").post(reverse("registry:park_evaluate", args=[park.pk]), {
        "year": 2018, "score_management": 15, "score_clustering": 20, "score_performance": 18,
        "score_innovation": 10, "score_public_service": 10, "reason": "合格"})
    assert r.status_code == 302
    assert park.evaluations.get(year=2018).outcome == "pass"


def test_talent_personal_fields_only_for_city_and_district(registry, client_as):
    url = reverse("registry:talent_detail", args=[registry["talent_a"].pk])
    assert "13800000000" in client_as("district_officer").get(url).content.decode()
    page = client_as("park_operator").get(url).content.decode()
    assert "13800000000" not in page and "仅市级、区级工作人员可见" in page
    api = client_as("park_operator").get(f"/api/v1/talents/{registry['talent_a'].pk}/").json()
    assert "phone" not in api and "birth_year" not in api
    assert client_as("city_admin").get(f"/api/v1/talents/{registry['talent_a'].pk}/").json()["phone"]


@pytest.mark.django_db
def test_public_directory_page_and_xlsx_without_login(registry, users, client):
    admin = users["city_admin"]
    directory = registry["directory"]
    services.directory_entry_add(actor=admin, directory=directory, enterprise=registry["ent_b"])
    services.directory_entry_add(actor=admin, directory=directory, project_name="津门文化海外推广项目")
    url = reverse("registry:public_directory", args=[directory.pk])
    assert client.get(url).status_code == 404  # not yet published
    services.directory_publish(actor=admin, directory=directory)
    page = client.get(url).content.decode()
    assert registry["ent_b"].name in page and "津门文化海外推广项目" in page
    assert directory.name in client.get(reverse("registry:public_directories")).content.decode()
    r = client.get(url, {"export": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content), read_only=True).active.values)
    assert rows[0][:2] == ("序号", "名称")
    assert [row[:2] for row in rows[1:]] == [(1, registry["ent_b"].name), (2, "津门文化海外推广项目")]
    assert rows[1][3] == registry["ent_b"].credit_code


def test_dashboard_panels_for_officials(registry, client_as):
    page = client_as("city_admin").get("/").content.decode()
    assert 'data-panel="registry_figures"' in page and "chart-registry-district" in page
    district_page = client_as("district_officer").get("/").content.decode()
    assert "chart-registry-district" not in district_page and 'data-panel="registry_figures"' in district_page
    assert 'data-panel="registry_figures"' not in client_as("media_editor").get("/").content.decode()


def test_enterprise_user_nav_leads_to_own_enterprise(registry, client_as):
    r = client_as("enterprise_user").get(reverse("registry:my_enterprise"))
    assert r.status_code == 302 and r["Location"].endswith(f"/enterprises/{registry['ent_a'].pk}/")
    assert Enterprise.objects.count() == 3


def test_officials_register_enterprises_parks_and_directories(orgs, client_as, users):
    from ..models import Directory, Park
    from .factories import valid_credit_code

    officer = client_as("district_officer")
    r = officer.post(reverse("registry:enterprise_create"), {
        "name": "天津新登记数字文化有限公司", "credit_code": "91310110666007217A", "district": orgs["heping"].pk})
    assert r.status_code == 200 and "第 18 位应为 T" in r.content.decode()
    r = officer.post(reverse("registry:enterprise_create"), {
        "name": "天津新登记数字文化有限公司", "credit_code": "", "district": orgs["binhai"].pk})
    assert r.status_code == 200  # another district is not a choice
    code = valid_credit_code()
    r = officer.post(reverse("registry:enterprise_create"), {
        "name": "天津新登记数字文化有限公司", "credit_code": code, "district": orgs["heping"].pk,
        "park": orgs["park_a"].pk, "industry_code": "", "business_scope": "数字内容服务；动漫设计"})
    assert r.status_code == 302
    e = Enterprise.objects.get(credit_code=code)
    assert e.culture_subcategory == "024" and e.organisation.parent == orgs["park_a"]
    admin = client_as("city_admin")
    r = admin.post(reverse("registry:park_create"), {"name": "新园区", "district": orgs["binhai"].pk,
                                                     "level": "district", "kind": "maker_base",
                                                     "status": "candidate"})
    assert r.status_code == 302 and Park.objects.get(name="新园区").status == "candidate"
    r = admin.post(reverse("registry:directory_create"), {"kind": "srdi", "year": 2019, "name": "2019 年专精特新名录"})
    assert r.status_code == 302 and not Directory.objects.get(name="2019 年专精特新名录").published


def test_enterprise_list_shows_grouped_figures_and_exports_plain_numbers(registry, client_as):
    from decimal import Decimal

    from ..services import enterprise_figure_set

    enterprise_figure_set(actor=None, enterprise=registry["ent_a"], year=2024, revenue=Decimal("123456.70"),
                          employees=1234)
    client = client_as("city_admin")
    page = client.get(reverse("registry:enterprise_list")).content.decode()
    assert "<td>123,456.70</td>" in page and "<td>1,234</td>" in page
    csv_text = b"".join(client.get(reverse("registry:enterprise_list"), {"export": "csv"}).streaming_content)
    assert "123456.70" in csv_text.decode("utf-8-sig") and "123,456.70" not in csv_text.decode("utf-8-sig")
    detail = client.get(reverse("registry:enterprise_detail", args=[registry["ent_a"].pk])).content.decode()
    assert '<td class="num">123,456.70</td><td class="num">1,234</td>' in detail

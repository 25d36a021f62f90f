"""Dashboard panels the registry adds for each role: figures an official acts on, scoped to the viewer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from wenzhi.core.models import ImportRecord

from ..choices import ParkStatus
from ..models import Enterprise, EnterpriseYearFigure, Park
from ..services import enterprise_figure_set
from .factories import EnterpriseFactory


@pytest.mark.django_db
def test_enterprise_user_dashboard_shows_own_enterprise(users, orgs):
    from wenzhi.registry.services import enterprise_create

    ent = enterprise_create(actor=users["city_admin"], name="天津文智演示传媒有限公司", district=orgs["heping"],
                            business_scope="动漫设计；网络游戏开发")
    Enterprise.objects.filter(pk=ent.pk).update(organisation=users["enterprise_user"].organisation)
    EnterpriseYearFigure.objects.create(enterprise=ent, year=2025, revenue="1234.50", employees=56)
    c = Client()
    c.force_login(users["enterprise_user"])
    body = c.get("/").content.decode()
    assert "天津文智演示传媒有限公司" in body and "1,234.50" in body
    assert 'data-panel="registry_figures"' not in body and 'data-panel="registry_changes"' not in body


def _panel(body: str, key: str) -> str:
    """The HTML of one dashboard panel (empty when the page does not show it)."""
    start = body.find(f'data-panel="{key}"')
    return "" if start < 0 else body[start:body.find("</section>", start)]


@pytest.fixture
def above_scale(registry, users):
    for ent, revenue in ((registry["ent_a"], "123456.78"), (registry["ent_b"], "20000.00")):
        Enterprise.objects.filter(pk=ent.pk).update(above_scale=True, intelligent=ent is registry["ent_b"])
        enterprise_figure_set(actor=users["city_admin"], enterprise=ent, year=2024, revenue=Decimal(revenue),
                              employees=1200)
    return registry


def test_city_figures_show_above_scale_revenue_and_intelligent_share(above_scale, client_as):
    body = client_as("city_admin").get("/").content.decode()
    figures = _panel(body, "registry_figures")
    # 123,456.78 + 20,000.00 万元 = 14.35 亿元, of 2024; one intelligent enterprise of three = 33.3 %
    assert "14.35" in figures and "2024" in figures
    assert "?tag=above_scale" in figures and "?tag=intelligent" in figures
    assert "33.3%" in figures


def test_district_officer_sees_own_district_only(above_scale, client_as):
    body = client_as("district_officer").get("/").content.decode()
    figures = _panel(body, "registry_figures")
    # 和平区 has one enterprise (ent_a), above scale, not intelligent: 12.35 亿元, share 0.0 %
    assert "12.35" in figures and "0.0%" in figures
    # the breakdown is by park inside the district, each bar opening the list filtered by that park
    assert "chart-registry-park" in body and "chart-registry-district" not in body
    assert f"?park={above_scale['park_a'].organisation_id}" in _panel(body, "registry_by_area")
    changes = _panel(body, "registry_changes")
    assert above_scale["ent_a"].name in changes and above_scale["ent_b"].name not in changes


def test_city_breakdown_links_each_district(above_scale, client_as, orgs):
    body = client_as("city_admin").get("/").content.decode()
    area = _panel(body, "registry_by_area")
    assert f"?district={orgs['heping'].id}" in area and f"?district={orgs['binhai'].id}" in area
    assert "?sector=" in _panel(body, "registry_by_sector")


def test_park_operator_has_no_area_breakdown(registry, client_as):
    body = client_as("park_operator").get("/").content.decode()
    assert 'data-panel="registry_figures"' in body and 'data-panel="registry_by_area"' not in body
    assert 'data-panel="registry_imports"' not in body  # park operators do not import


def test_warned_parks_are_listed_with_links(registry, client_as):
    Park.objects.filter(pk=registry["park_b"].pk).update(status=ParkStatus.WARNED,
                                                         status_changed_on=dt.date(2025, 3, 1))
    city = _panel(client_as("city_admin").get("/").content.decode(), "registry_parks")
    assert registry["park_b"].name in city and f"/registry/parks/{registry['park_b'].pk}/" in city
    assert "?status=warned" in city and "2025-03-01" in city
    # the warned park is in 滨海新区: 和平区's officer has nothing to follow up
    district = _panel(client_as("district_officer").get("/").content.decode(), "registry_parks")
    assert registry["park_b"].name not in district


def test_imports_awaiting_commit(registry, users, client_as):
    from django.core.files.base import ContentFile

    record = ImportRecord.objects.create(kind="enterprise", original_name="heping-2025.xlsx",
                                         created_by=users["district_officer"], status=ImportRecord.Status.CHECKED,
                                         file=ContentFile(b"x", name="heping-2025.xlsx"))
    for role in ("city_admin", "district_officer"):
        panel = _panel(client_as(role).get("/").content.decode(), "registry_imports")
        assert "heping-2025.xlsx" in panel and f"/registry/imports/{record.pk}/" in panel


def test_figures_use_thousands_separators(registry, users, client_as, orgs, settings):
    settings.WENZHI_DASHBOARD_CACHE_SECONDS = 0
    Enterprise.objects.bulk_create([Enterprise(name=f"Bulk {i}", district=orgs["heping"]) for i in range(1000)])
    figures = _panel(client_as("city_admin").get("/").content.decode(), "registry_figures")
    assert ">1,003<" in figures


def test_recent_changes_name_the_change(registry, client_as, users):
    EnterpriseFactory(name="Tianjin Recent Change Co., Ltd.")
    panel = _panel(client_as("city_admin").get("/").content.decode(), "registry_changes")
    assert "Tianjin Recent Change Co., Ltd." in panel and "新增企业" in panel

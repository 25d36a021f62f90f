"""The analysis: figures by district and for the city (growth, year-to-date, share of GDP), the page with its
charts and drill-down, the xlsx export, the registry's structure, and bad parameters named."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from wenzhi.statistics import analysis

from .outputs_world import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reference_data):
    return fill()


def test_city_and_district_figures(data):
    result = analysis.indicator_analysis("value_added", "2018Q3")
    by_name = {r.name: r for r in result.rows}
    # 南开区 (weight 3): 2018Q3 is index 6 → (60 + 6) × 0.8; a year before (index 2) 62.
    assert by_name["南开区"].value == Decimal("52.80")
    assert by_name["南开区"].yoy == Decimal("-14.8")
    city_q3 = sum(r.value or Decimal(0) for r in result.rows)
    assert result.city.value == city_q3
    assert result.city.ytd == sum(analysis.indicator_analysis("value_added", q).city.value or Decimal(0)
                                  for q in ("2018Q1", "2018Q2", "2018Q3"))
    assert sum(r.share or Decimal(0) for r in result.rows) == pytest.approx(Decimal(100), abs=Decimal("0.3"))
    assert result.gdp_share is not None and Decimal(0) < result.gdp_share < Decimal(100)
    assert [p for p, _, _ in result.trend][-1] == "2018Q3"
    assert result.rows[0].name == "滨海新区"


def test_page_charts_drill_and_export(data, client_as):
    client = client_as("district_officer")
    url = reverse("statistics:analysis")
    page = client.get(url, {"indicator": "value_added", "period": "2018Q3"})
    assert page.status_code == 200
    html = page.content.decode()
    option = json.loads(html.split('id="chart-analysis-districts-data">')[1].split("</script>")[0])
    bars = option["series"][0]["data"]
    assert len(bars) == 4 and all("district=" in b["url"] for b in bars)
    drill = client.get(bars[0]["url"].split("#")[0])
    assert "历期数据" in drill.content.decode() and 'data-analysis="drill"' in drill.content.decode()
    from openpyxl import load_workbook

    export = client.get(reverse("statistics:analysis_export"), {"indicator": "value_added", "period": "2018Q3"})
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(sheet.values)
    assert rows[0][0] == "区" and rows[-1][0] == "全市" and len(rows) == 6
    first = analysis.indicator_analysis("value_added", "2018Q3").rows[0].value
    assert first is not None and rows[1][1] == pytest.approx(float(first))


def test_bad_parameters_are_named(data, client_as):
    page = client_as("city_admin").get(reverse("statistics:analysis"), {"indicator": "nonsense", "period": "2030Q1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "指标“nonsense”无效或没有数据" in html and "报告期“2030Q1”无效或没有数据" in html


def test_registry_structure_without_reentry(data, users):
    from wenzhi.registry import services
    from wenzhi.registry.models import Enterprise
    from wenzhi.registry.tests.factories import EnterpriseFactory

    admin = users["city_admin"]
    for sector, revenue in (("publishing", "300"), ("animation_games", "100")):
        ent = EnterpriseFactory()
        Enterprise.objects.filter(pk=ent.pk).update(sector=sector, above_scale=True)
        services.enterprise_figure_set(actor=admin, enterprise=ent, year=2018, revenue=Decimal(revenue),
                                       employees=10, value_added=Decimal(1))
    rows = analysis.registry_structure(2018, "sector")
    assert [(r["key"], r["revenue"], r["share"]) for r in rows] == [
        ("publishing", Decimal(300), Decimal("75.0")), ("animation_games", Decimal(100), Decimal("25.0"))]


def test_api_analysis(data, client_as):
    response = client_as("city_admin").get("/api/v1/statistics/analysis/", {"indicator": "value_added",
                                                                            "period": "2018Q3"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2018Q3" and len(body["districts"]) == 4
    bad = client_as("city_admin").get("/api/v1/statistics/analysis/", {"indicator": "nope"})
    assert bad.status_code == 400 and "nope" in bad.content.decode()


def test_structure_view(data, client_as):
    page = client_as("city_admin").get(reverse("statistics:analysis"), {"view": "structure"})
    assert page.status_code == 200 and "登记库暂无企业年度数据" in page.content.decode()


def test_page_names_the_indicator_in_english(data, client_as):
    client = client_as("district_officer")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("statistics:analysis"), {"indicator": "value_added", "period": "2018Q3"}).content.decode()
    assert "<h2>Culture industry value added · 2018Q3</h2>" in html
    assert ">Culture industry value added</option>" in html and "文化产业增加值" not in html

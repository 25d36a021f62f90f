"""District assessment: the efficacy-coefficient scoring, the scheme's bad input, results with contributions and
explanations, scoping for a district officer, the xlsx for the assessment office."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenzhi.statistics.assessment import services
from wenzhi.statistics.assessment.scoring import Criterion, score
from wenzhi.statistics.assessment.services import ItemInput

from .outputs_world import fill


def test_scoring_contributions_and_ties():
    districts = [(1, "甲区"), (2, "乙区"), (3, "丙区")]
    results = score(districts, [Criterion("规模", D(60), {1: D(100), 2: D(50), 3: D(0)}),
                                Criterion("增速", D(40), {1: D(5), 2: D(5)})])
    by = {r.name: r for r in results}
    assert by["甲区"].contributions[0].points == D("60.00") and by["丙区"].contributions[0].points == D("36.00")
    assert by["甲区"].contributions[1].score == D(100) and by["丙区"].contributions[1].points == D(0)
    assert [(r.name, r.total, r.rank) for r in results] == [("甲区", D("100.00"), 1), ("乙区", D("88.00"), 2),
                                                             ("丙区", D("36.00"), 3)]
    tie = score(districts[:2], [Criterion("x", D(100), {1: D(1), 2: D(1)})])
    assert [r.rank for r in tie] == [1, 1]


@pytest.fixture
def data(reference_data):
    return fill(quarters=[f"{y}Q{q}" for y in (2017, 2018) for q in (1, 2, 3, 4)])  # two whole years


@pytest.fixture
def scheme(data, users):
    return services.assessment_scheme_save(actor=users["city_admin"], year=2018, name="2018年度考核", items=[
        ItemInput("value_added", "level", "50"), ItemInput("value_added", "growth", "30"),
        ItemInput("screens", "level", "20")])


@pytest.mark.django_db
def test_bad_scheme_input_is_refused_whole(data, users):
    admin = users["city_admin"]
    with pytest.raises(ValidationError) as refused:
        services.assessment_scheme_save(actor=admin, year=2018, name="x", items=[
            ItemInput("value_added", "level", "abc"), ItemInput("nope", "level", "10"),
            ItemInput("screens", "level", "-5")])
    text = str(refused.value)
    assert "第1行：权重“abc”不是数字" in text and "第2行：指标“nope”不存在" in text and "第3行：权重须大于0" in text
    with pytest.raises(ValidationError, match="合计须为100，现为90"):
        services.assessment_scheme_save(actor=admin, year=2018, name="x", items=[ItemInput("value_added", "level", "90")])
    from wenzhi.statistics.assessment.models import AssessmentScheme

    assert not AssessmentScheme.objects.exists()


@pytest.mark.django_db
def test_results_explanations_and_scope(scheme, users, data):
    results = services.assessment_results(user=users["city_admin"], scheme=scheme)
    assert len(results) == 16  # every district is ranked; those without figures score nothing
    top = results[0]
    assert top.name == "滨海新区" and top.rank == 1
    assert sum(c.points for c in top.contributions) == pytest.approx(top.total, abs=D("0.02"))
    nankai = next(r for r in results if r.name == "南开区")
    text = services.explanation(nankai, 16)
    assert f"总分{nankai.total}分" in text and "相对薄弱的是文化产业增加值（同比增速）" in text
    idle = next(r for r in results if r.name == "蓟州区")
    assert idle.total == 0 and "无数据，不得分" in services.explanation(idle, 16)
    own = services.assessment_results(user=users["district_officer"], scheme=scheme)
    assert [r.name for r in own] == ["和平区"] and own[0].rank == next(r.rank for r in results if r.name == "和平区")


@pytest.mark.django_db
def test_pages_and_export(scheme, client_as):
    from openpyxl import load_workbook

    page = client_as("district_officer").get(reverse("statistics:assessment_detail", args=[scheme.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-district="和平区"' in html and 'data-district="滨海新区"' not in html
    export = client_as("city_admin").get(reverse("statistics:assessment_export", args=[scheme.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].values)
    assert rows[0][:3] == ("排名", "区", "总分") and rows[0][-1] == "说明" and len(rows) == 17
    assert rows[1][1] == "滨海新区" and "排第1名" in str(rows[1][-1])
    bad = client_as("city_admin").post(reverse("statistics:assessment_new"), {
        "year": "2019", "name": "x", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-indicator": "value_added", "items-0-measure": "level", "items-0-weight": "70"})
    assert bad.status_code == 200 and "各项权重合计须为100，现为70" in bad.content.decode()


@pytest.mark.django_db
def test_api_results(scheme, client_as):
    body = client_as("district_officer").get(f"/api/v1/statistics/assessments/{scheme.pk}/").json()
    assert [r["district"] for r in body["results"]] == ["和平区"]
    assert len(body["results"][0]["contributions"]) == 3 and body["results"][0]["explanation"]

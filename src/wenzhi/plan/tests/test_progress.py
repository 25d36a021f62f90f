"""Live progress against the plan's targets: from the registry's directories, parks and talents, from
statistics when it is there (and 暂无数据 naming the source when it is not), and from recorded figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps

from wenzhi.registry import services as registry
from wenzhi.registry.tests.factories import EnterpriseFactory, TalentFactory

from .. import progress
from ..choices import ProgressState
from ..models import Target, TargetReading

pytestmark = pytest.mark.django_db


def live(code: str) -> progress.Progress:
    return progress.target_progress(Target.objects.get(code=code))


def test_baseline_of_2016_is_loaded_as_history(reference_data):
    baseline = {r.target.code: r.value for r in TargetReading.objects.filter(is_baseline=True)}
    assert baseline["value_added"] == Decimal(800) and baseline["units"] == Decimal(22640)
    assert baseline["above_scale_units"] == Decimal(1086) and baseline["parks"] == Decimal(35)
    assert baseline["special_funds"] == Decimal("4.4") and baseline["funded_projects"] == Decimal(218)
    assert baseline["social_capital"] == Decimal(130)
    assert TargetReading.objects.filter(is_baseline=True, period="2016").count() == len(baseline)


def test_targets_and_ten_tasks_are_loaded(reference_data):
    from ..models import Task

    assert Task.objects.count() == 10 and Task.objects.get(number=8).clause == "三(八)"
    screens = Target.objects.get(code="screens")
    assert (screens.target_low, screens.horizon, screens.unit) == (Decimal(500), 2020, "块")
    assert Target.objects.get(code="intelligent_parks").target_high == Decimal(3)


def test_statistics_absent_shows_no_data_and_names_the_source(reference_data, monkeypatch):
    monkeypatch.setattr(progress, "statistics_series", lambda code: None)
    screens = live("screens")
    assert screens.value is None and screens.state == ProgressState.NO_DATA
    # the indicator's name where statistics is installed, its code where it is not
    assert screens.source.startswith("统计：") and ("screens" in screens.source or "银幕" in screens.source)


def test_statistics_present_screens_box_office_growth_and_value_added(reference_data, monkeypatch):
    quarters = {
        "screens": [("2019Q4", Decimal(430)), ("2020Q1", Decimal(455)), ("2020Q2", Decimal(512))],
        "box_office": [(f"{y}Q{q}", Decimal(v)) for y, v in ((2017, 100), (2018, 116), (2019, 132))
                       for q in range(1, 5)] + [("2020Q1", Decimal(50))],
        "value_added": [(f"2018Q{q}", Decimal(220)) for q in range(1, 5)] + [("2019Q1", Decimal(230))],
    }
    monkeypatch.setattr(progress, "statistics_series", lambda code: quarters.get(code))
    screens = live("screens")
    assert (screens.value, screens.period, screens.state) == (Decimal(512), "2020Q2", ProgressState.MET)
    growth = live("box_office_growth")
    # yearly 400 → 464 → 528: +16.0 % then +13.8 %; 2020 has one quarter only and is left out
    assert growth.series == [("2018", Decimal("16.0")), ("2019", Decimal("13.8"))]
    assert (growth.value, growth.period, growth.state) == (Decimal("13.8"), "2019", ProgressState.BEHIND)
    assert "年均增长 14.9%" in growth.detail
    value_added = live("value_added")
    assert (value_added.value, value_added.period) == (Decimal(880), "2018")


def test_yearly_rolls_up_complete_years_only():
    series = [("2018Q1", Decimal(1)), ("2018Q2", Decimal(2)), ("2018Q3", Decimal(3)), ("2018Q4", Decimal(4)),
              ("2019Q1", Decimal(5)), ("2017", Decimal(9))]
    assert progress.yearly(series, stock=False) == [("2017", Decimal(9)), ("2018", Decimal(10))]
    assert progress.yearly(series, stock=True) == [("2017", Decimal(9)), ("2018", Decimal(4))]


def test_leading_enterprises_from_the_latest_published_directory(users, heping):
    admin = users["city_admin"]
    leading = live("leading_enterprises")
    assert leading.value is None and leading.state == ProgressState.NO_DATA
    directory = registry.directory_create(actor=admin, kind="leading", year=2019, name="2019 年领军企业名录")
    firms = [EnterpriseFactory(district=heping) for _ in range(4)]
    for firm in firms:
        registry.directory_entry_add(actor=admin, directory=directory, enterprise=firm)
    assert live("leading_enterprises").value is None  # not published yet
    registry.directory_publish(actor=admin, directory=directory)
    leading = live("leading_enterprises")
    assert (leading.value, leading.period, leading.state) == (Decimal(4), "2019", ProgressState.MET)
    assert leading.percent == 100


def test_intelligent_parks_and_platforms_from_the_intelligent_directory(users, orgs, heping):
    from wenzhi.registry.models import Park

    admin = users["city_admin"]
    park = Park.objects.create(organisation=orgs["park_a"], name="测试园区甲", level="municipal",
                               kind="industrial_park", district=heping)
    directory = registry.directory_create(actor=admin, kind="intelligent", year=2019, name="2019 年智能名录")
    registry.directory_entry_add(actor=admin, directory=directory, park=park)
    registry.directory_entry_add(actor=admin, directory=directory, enterprise=EnterpriseFactory(district=heping))
    parks = live("intelligent_parks")
    assert (parks.value, parks.state, parks.percent) == (Decimal(1), ProgressState.BEHIND, 50)
    registry.directory_entry_add(actor=admin, directory=directory, project_name="文化信息综合服务平台")
    assert live("intelligent_parks").state == ProgressState.MET


def test_high_end_talents_recognised_since_2018_accumulate(reference_data):
    for year in (2016, 2018, 2018, 2019):
        TalentFactory(category="high_end", year_recognised=year)
    TalentFactory(category="young", year_recognised=2019)
    talents = live("high_end_talents")
    assert talents.series == [("2018", Decimal(2)), ("2019", Decimal(3))]
    assert (talents.value, talents.state, talents.percent) == (Decimal(3), ProgressState.BEHIND, 3)


PROJECTS = apps.is_installed("wenzhi.projects")


@pytest.mark.skipif(PROJECTS, reason="the project library is installed: test_projects_present covers it")
def test_projects_absent_degrades(reference_data):
    from django.apps import apps

    funds = live("special_funds")
    assert funds.value is None and funds.state == ProgressState.NO_DATA
    # With the project library installed but empty the source is there and has no figure yet.
    assert funds.available == apps.is_installed("wenzhi.projects")


@pytest.mark.skipif(not PROJECTS, reason="the project library (wenzhi.projects) is not installed in this build")
def test_projects_present_sums_special_funds_and_social_capital(reference_data, heping):
    Project = progress._model("projects.Project")
    Funding = progress._model("projects.ProjectFunding")
    assert live("special_funds").value is None and live("special_funds").available
    projects = [Project.objects.create(name=f"测试项目{i}", owner=EnterpriseFactory(district=heping), district=heping)
                for i in range(2)]
    for project, year in zip(projects, (2018, 2019), strict=True):
        Funding.objects.create(project=project, source="special_fund", amount=Decimal("150000000"), year=year)
        Funding.objects.create(project=project, source="social_capital", amount=Decimal("2000000000"), year=year)
    assert (live("special_funds").value, live("special_funds").period) == (Decimal("3.00"), "2019")
    assert live("funded_projects").value == Decimal(2) and live("social_capital").value == Decimal("40.00")


def test_recorded_figures_for_brands(users):
    from .. import services

    target = Target.objects.get(code="intelligent_brands")
    services.reading_record(actor=users["city_admin"], target=target, period="2019", value=Decimal(1), note="梦娃")
    services.reading_record(actor=users["city_admin"], target=target, period="2020", value=Decimal(2))
    brands = live("intelligent_brands")
    assert (brands.value, brands.period, brands.state) == (Decimal(2), "2020", ProgressState.MET)


def test_a_figure_past_the_target_year_also_shows_the_target_year(reference_data, monkeypatch):
    series = [(f"{y}Q{q}", Decimal(400 + 10 * (y - 2019) + q)) for y in (2019, 2020, 2021) for q in range(1, 5)]
    monkeypatch.setattr(progress, "statistics_series", lambda code: series if code == "screens" else None)
    screens = live("screens")
    assert (screens.value, screens.period) == (Decimal(424), "2021Q4")
    assert screens.detail == "2020 年：414 块" and screens.state == ProgressState.BEHIND

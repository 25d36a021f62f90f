"""Demo statistics (labelled ``is_demo``): every district's quarterly report from 2016Q1 to the last complete
quarter, at every ``--scale``, consistent with the action plan's 2016 baseline (800亿元 value added in the
year, 22,640 units, 1,086 above designated size, 35 parks, 218 projects) and growing plausibly: screens pass
500 around 2020, box office grows by about a tenth a year after the 2020 closures.

Most reports are approved and locked, a few were late; 2020Q1–Q2 carry explained warnings (the epidemic);
the latest quarter is still open: some districts submitted, one has a draft with an error (规上 units above
all units), one has not started. Above-scale enterprises with an account report their yearly figures
(their number follows the registry, so ``--scale``). Written with bulk inserts (no per-row history).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from . import periods, validation
from .choices import SubmissionEventKind, SubmissionStatus
from .models import DataValue, Indicator, Period, ReportingForm, Submission, SubmissionEvent, ValidationResult
from .reference import load_catalogue

FIRST = "2016Q1"
SEASON = {1: 0.22, 2: 0.24, 3: 0.25, 4: 0.29}  # share of a year's flows per quarter
# District weights in the city's culture industry (市内六区 dense, 滨海新区 largest).
WEIGHTS = {"和平区": 9, "河东区": 5, "河西区": 9, "南开区": 8, "河北区": 5, "红桥区": 3, "东丽区": 5, "西青区": 6,
           "津南区": 4, "北辰区": 5, "武清区": 6, "宝坻区": 3, "滨海新区": 20, "宁河区": 2, "静海区": 3, "蓟州区": 4}
COVID = {"2020Q1": 0.55, "2020Q2": 0.85}
CINEMA_COVID = {"2020Q1": 0.15, "2020Q2": 0.02, "2020Q3": 0.45, "2020Q4": 0.8}


def _city_figures(code: str, rng: random.Random) -> dict[str, float]:
    """The city's figures for one quarter (flows for the quarter, stocks at its end)."""
    spec = periods.parse(code)
    years = spec.year - 2016 + (int(code[-1]) - 4) / 4  # 0 at the end of 2016: the baseline
    q = int(code[-1])
    covid = COVID.get(code, 1.0)
    value_added_year = 800 * 1.085 ** (spec.year - 2016)
    value_added = value_added_year * SEASON[q] * covid
    screens = 360 + 40 * years
    box_office_year = 80000 * 1.13 ** (spec.year - 2016)
    return {
        "value_added": value_added,
        "revenue": value_added * 3.1,
        "gdp": 17885 * 1.05 ** (spec.year - 2016) * SEASON[q] * (0.92 if code == "2020Q1" else 1.0),
        "employees": 300000 * 1.025 ** years,
        "units": 22640 * 1.04 ** years,
        "above_scale_units": 1086 * 1.05 ** years,
        "parks": 35 + 3.2 * years,
        "projects": 218 + 12 * years,
        "investment": 4.4 * 1.1 ** years * SEASON[q] * 4 * covid,
        "screens": screens,
        "box_office": box_office_year * SEASON[q] * CINEMA_COVID.get(code, 1.0),
        "performances": 4200 * 1.04 ** years * SEASON[q] * covid,
        "audiences": 210 * 1.05 ** years * SEASON[q] * covid,
        "consumption": 520 * 1.06 ** years * (0.6 if code == "2020Q1" else 1.0),
    }


def _district_value(code: str, city: float, share: float, indicator: Indicator, rng: random.Random) -> Decimal:
    if code == "consumption":
        raw = city * (0.85 + 0.4 * share / 0.2) * rng.uniform(0.97, 1.03)
    else:
        raw = city * share * rng.uniform(0.97, 1.03)
    return Decimal(str(round(raw, indicator.decimals))).quantize(Decimal(1).scaleb(-indicator.decimals))


def _periods(last: str) -> dict[str, Period]:
    out = {}
    for code in periods.range_codes(FIRST, last):
        spec = periods.parse(code)
        out[code], _ = Period.objects.get_or_create(code=code, defaults=dict(type=spec.type, start=spec.start,
                                                                             end=spec.end))
    return out


def _latest_quarter_plan(districts: list[Organisation]) -> dict[int, str]:
    """How each district stands in the latest quarter: approved, submitted, draft, invalid draft or missing."""
    names = [d.name for d in districts]
    plan = {d.id: "approved" for d in districts}
    for name, state in (("红桥区", "missing"), ("宁河区", "invalid"), ("静海区", "draft"), ("河北区", "submitted"),
                        ("武清区", "submitted"), ("蓟州区", "submitted")):
        if name in names:
            plan[districts[names.index(name)].id] = state
    return plan


def generate(*, scale: float = 1.0, stdout=None, today: dt.date | None = None) -> dict:
    """Generate the demo statistics; does nothing if demo reports already exist."""
    if Submission.objects.filter(is_demo=True).exists():
        return {"skipped": "演示统计数据已存在", "reports": Submission.objects.filter(is_demo=True).count()}
    load_catalogue()
    today = today or timezone.localdate()
    rng = random.Random(20161231)
    last = periods.last_complete("quarterly", today)
    with transaction.atomic():
        form = ReportingForm.objects.get(code="district_quarterly")
        districts = list(Organisation.objects.filter(level=Level.DISTRICT, is_active=True).order_by("code"))
        total_weight = sum(WEIGHTS.get(d.name, 4) for d in districts) or 1
        shares = {d.id: WEIGHTS.get(d.name, 4) / total_weight for d in districts}
        period_rows = _periods(last)
        plan = _latest_quarter_plan(districts)
        values, subs = _district_reports(form, districts, shares, period_rows, last, plan, rng, today)
        enterprise = _enterprise_reports(rng, scale, today)
        _results(form, subs, last, plan)
    return {"quarters": len(period_rows), "districts": len(districts), "values": values,
            "reports": len(subs), "enterprise_reports": enterprise, "last_quarter": last}


def _district_reports(form, districts, shares, period_rows, last, plan, rng, today) -> tuple[int, list[Submission]]:
    indicators = form.indicators()
    rows: list[DataValue] = []
    subs: list[Submission] = []
    now = timezone.now()
    for code, period in period_rows.items():
        city = _city_figures(code, rng)
        latest = code == last
        for d in districts:
            state = plan[d.id] if latest else "approved"
            if state == "missing":
                continue
            for ind in indicators:
                value = _district_value(ind.code, city[ind.code], shares[d.id], ind, rng)
                if state == "invalid" and ind.code == "above_scale_units":
                    value = Decimal(int(city["units"] * shares[d.id]) + 37)
                rows.append(DataValue(indicator=ind, organisation=d, district=d, period=period, form=form,
                                      value=value, is_demo=True, updated_at=now,
                                      comment=_comment(code, ind.code)))
            subs.append(_submission(form, d, period, state, rng, today))
    DataValue.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Submission.objects.bulk_create(subs, batch_size=1000, ignore_conflicts=True)
    subs = list(Submission.objects.filter(is_demo=True, form=form).select_related("period", "organisation"))
    SubmissionEvent.objects.bulk_create(_events(subs), batch_size=2000)
    return len(rows), subs


def _comment(period_code: str, code: str) -> str:
    if period_code in COVID and code == "value_added":
        return "受新冠肺炎疫情影响，文化场所阶段性停业（演示）" if period_code == "2020Q1" else "疫情后复工复产，环比回升（演示）"
    return ""


def _submission(form, district, period, state, rng, today) -> Submission:
    deadline = form.deadline(period)
    late = state == "approved" and rng.random() < 0.08
    submitted_on = deadline + dt.timedelta(days=rng.randint(2, 20)) if late else deadline - dt.timedelta(
        days=rng.randint(0, 10))
    submitted_on = min(submitted_on, today)
    submitted_at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(10, rng.randint(0, 59))))
    reported = state in ("approved", "submitted")
    status = {"approved": SubmissionStatus.APPROVED, "submitted": SubmissionStatus.SUBMITTED}.get(
        state, SubmissionStatus.DRAFT)
    approved_at = submitted_at + dt.timedelta(days=rng.randint(1, 6)) if state == "approved" else None
    return Submission(form=form, form_version=form.version, organisation=district, district=district, period=period,
                      status=status, submitted_at=submitted_at if reported else None,
                      on_time=(submitted_on <= deadline) if reported else None, approved_at=approved_at,
                      locked=state == "approved", is_demo=True, updated_at=approved_at or submitted_at)


def _events(subs: list[Submission]) -> list[SubmissionEvent]:
    out = []
    for s in subs:
        if s.submitted_at:
            out.append(SubmissionEvent(submission=s, kind=SubmissionEventKind.SUBMIT, at=s.submitted_at))
        if s.approved_at:
            out.append(SubmissionEvent(submission=s, kind=SubmissionEventKind.APPROVE, at=s.approved_at,
                                       comment="演示：审核通过"))
    return out


def _results(form, subs: list[Submission], last: str, plan: dict[int, str]) -> None:
    """Store validation results where demo reports break rules (2020's explained warnings, the invalid draft)."""
    for s in subs:
        if s.period.code in COVID or s.period.code == last:
            validation.refresh(s)
    for result in ValidationResult.objects.filter(period__code__in=list(COVID), importance="warning"):
        result.comment = "受新冠肺炎疫情影响，文化场所阶段性停业及恢复（演示）"
        result.save(update_fields=["comment"])


def _enterprise_reports(rng: random.Random, scale: float, today: dt.date) -> int:
    """Yearly reports of above-scale enterprises that have an account organisation (the registry decides how
    many: it follows ``--scale``)."""
    form = ReportingForm.objects.filter(code="enterprise_yearly").first()
    if form is None:
        return 0
    orgs = list(Organisation.objects.filter(level=Level.ENTERPRISE, enterprise__above_scale=True,
                                            enterprise__deleted_at__isnull=True).select_related("district")[:200])
    years = [y for y in range(2016, today.year) if dt.date(y, 12, 31) + dt.timedelta(days=form.close_days) < today]
    indicators = {i.code: i for i in form.indicators()}
    rows, subs = [], []
    for org in orgs:
        if org.district_id is None:
            continue
        base = rng.uniform(0.3, 6.0)  # 亿元 revenue
        for year in years:
            period = Period.objects.get_or_create(code=str(year), defaults=dict(
                type="yearly", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)))[0]
            revenue = base * 1.07 ** (year - 2016) * rng.uniform(0.9, 1.1)
            figures = {"revenue": revenue, "value_added": revenue * rng.uniform(0.25, 0.4),
                       "employees": int(revenue * rng.uniform(60, 140))}
            for code, ind in indicators.items():
                rows.append(DataValue(indicator=ind, organisation=org, district_id=org.district_id, period=period,
                                      form=form, value=Decimal(str(round(figures.get(code, 0), ind.decimals))),
                                      is_demo=True))
            subs.append(_submission(form, org, period, "approved", rng, today))
            subs[-1].district_id = org.district_id
    DataValue.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Submission.objects.bulk_create(subs, batch_size=1000, ignore_conflicts=True)
    return len(subs)

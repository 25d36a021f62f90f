"""Reads of statistics.

Two kinds:

- **Figures** (the public contract other modules code against: analysis, the bulletin, the plan tracker):
  :func:`indicator_series` and :func:`indicator_values` return aggregates over the districts' reports and the
  registry. They take no user: they are city-wide figures, and the calling page or service checks its own
  permission first (``statistics.analyse`` or the plan's action).
- **Rows for a user** (forms, reports, values, results, reminders), scoped by the caller's organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import restrict
from wenzhi.core.scoping import scope_for

from . import derived, periods
from .choices import Aggregation, PeriodType, ReporterKind, SubmissionStatus
from .models import DataValue, Indicator, Reminder, ReportingForm, Submission, SubmissionEvent

_PERIOD_RANK: dict[str, int] = {PeriodType.MONTHLY: 0, PeriodType.QUARTERLY: 1, PeriodType.YEARLY: 2}


def _district_id(district) -> int | None:
    return getattr(district, "pk", district)


def _stored_totals(indicator: Indicator, district_id: int | None) -> dict[str, dict[str, Decimal]]:
    """{period type: {period code: value}} over the districts' own reports (city total when no district)."""
    qs = DataValue.objects.filter(indicator=indicator, organisation__level=Level.DISTRICT)
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    agg = Avg("value") if indicator.aggregation == Aggregation.AVERAGE else Sum("value")
    rows = qs.values("period__code", "period__type").annotate(v=agg).order_by()
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        out[row["period__type"]][row["period__code"]] = Decimal(row["v"])
    return out


def roll_up(aggregation: str, values: list[Decimal]) -> Decimal:
    """Combine consecutive periods' values (in period order) by an indicator's rule."""
    if aggregation == Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    if aggregation == Aggregation.LAST:
        return values[-1]
    return sum(values, Decimal(0))


def _rolled(indicator: Indicator, finer: dict[str, Decimal], target_type: str) -> dict[str, Decimal]:
    """Finer periods rolled up into ``target_type``; only periods with every finer period reported."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code in finer:
        groups[periods.containing(code, target_type)].append(code)
    out = {}
    for parent, codes in groups.items():
        expected = periods.children(parent, periods.parse(next(iter(codes))).type)
        if len(codes) == len(expected):
            out[parent] = roll_up(indicator.aggregation, [finer[c] for c in expected])
    return out


def _quantize(indicator: Indicator, value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-indicator.decimals)) if indicator.decimals <= 4 else value


def indicator_series(code: str, *, district=None, period_type: str | None = None) -> list[tuple[str, Decimal]]:
    """The indicator's values period by period: ``[("2016Q1", Decimal("192.31")), …]`` ordered by period.

    ``district`` (an Organisation or its id) limits it to one district; without it, the city total over the
    districts (averaged for an ``average`` indicator, else added). ``period_type`` asks for monthly, quarterly
    or yearly periods; finer reports are rolled up by the indicator's rule (sum, average, last value), and a
    year appears only once all its quarters are in. Without it, the type the indicator is reported in (for
    registry-derived indicators: yearly). An unknown code raises ``Indicator.DoesNotExist``.
    """
    indicator = Indicator.objects.get(code=code)
    district_id = _district_id(district)
    by_type: dict[str, dict[str, Decimal]]
    if indicator.is_derived:
        by_type = {PeriodType.YEARLY: derived.yearly_totals(code, district_id=district_id)}
    else:
        by_type = _stored_totals(indicator, district_id)
    if not by_type:
        return []
    wanted = period_type or min(by_type, key=lambda t: _PERIOD_RANK[t])
    values = dict(by_type.get(wanted, {}))
    finer = [t for t in by_type if _PERIOD_RANK[t] < _PERIOD_RANK[wanted]]
    if finer:
        source = max(finer, key=lambda t: _PERIOD_RANK[t])
        for key, value in _rolled(indicator, by_type[source], wanted).items():
            values.setdefault(key, value)
    ordered = sorted(values.items(), key=lambda kv: periods.parse(kv[0]).start)
    return [(key, _quantize(indicator, value)) for key, value in ordered]


def indicator_values(code: str, period) -> dict[int, Decimal]:
    """``{district id: value}`` of one indicator in one period (a code such as ``"2018Q3"``, or a Period).

    A year asked of a quarterly indicator is rolled up from its quarters by the indicator's rule (districts
    missing a quarter are left out). Districts with no value are absent from the dict.
    """
    indicator = Indicator.objects.get(code=code)
    spec = periods.parse(getattr(period, "code", period))
    if indicator.is_derived:
        return derived.values_by_district(code, year=spec.year) if spec.type == PeriodType.YEARLY else {}
    qs = DataValue.objects.filter(indicator=indicator, organisation__level=Level.DISTRICT)
    direct = {row["district_id"]: row["value"] for row in
              qs.filter(period__code=spec.code).values("district_id", "value")}
    if direct:
        return {k: _quantize(indicator, Decimal(v)) for k, v in direct.items()}
    for child_type in (PeriodType.QUARTERLY, PeriodType.MONTHLY):
        if _PERIOD_RANK[child_type] >= _PERIOD_RANK[spec.type]:
            continue
        codes = periods.children(spec.code, child_type)
        per_district: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for row in qs.filter(period__code__in=codes).values("district_id", "period__code", "value"):
            per_district[row["district_id"]][row["period__code"]] = row["value"]
        out = {d: _quantize(indicator, roll_up(indicator.aggregation, [vals[c] for c in codes]))
               for d, vals in per_district.items() if len(vals) == len(codes)}
        if out:
            return out
    return {}


def indicator_catalogue(*, include_inactive: bool = False) -> QuerySet[Indicator]:
    """Indicators in catalogue order (readable by everyone who may see statistics)."""
    qs = Indicator.objects.all()
    return qs if include_inactive else qs.filter(active=True)


def reported_counts(period_codes: list[str]) -> dict[str, int]:
    """Number of district-level values stored per period (for completeness overviews)."""
    rows = (DataValue.objects.filter(period__code__in=period_codes, organisation__level=Level.DISTRICT)
            .values("period__code").annotate(n=Count("id")).order_by())
    return {r["period__code"]: r["n"] for r in rows}



# ------------------------------------------------------------------------------------- rows for a user


def expected_reporters(form: ReportingForm) -> QuerySet[Organisation]:
    """Who must report ``form``: every active district, or every active above-scale enterprise with an account
    organisation in the registry."""
    if form.reporter_kind == ReporterKind.DISTRICT:
        return Organisation.objects.filter(level=Level.DISTRICT, is_active=True).order_by("code", "id")
    return Organisation.objects.filter(level=Level.ENTERPRISE, is_active=True, enterprise__above_scale=True,
                                       enterprise__deleted_at__isnull=True).order_by("district__code", "name")


def _reporters_in_scope(form: ReportingForm, user) -> QuerySet[Organisation]:
    qs = expected_reporters(form)
    if user is None:
        return qs
    scope = scope_for(user)
    if scope.kind == "all":
        return qs
    if scope.kind == "district":
        return qs.filter(Q(id=scope.organisation_id) | Q(district_id=scope.organisation_id))
    if scope.kind == "enterprise":
        return qs.filter(id=scope.organisation_id or 0)
    return qs.none()


@dataclass
class CompletenessRow:
    organisation: Organisation
    submission: Submission | None
    late: bool  # the on-time deadline has passed and nothing was submitted

    @property
    def status_label(self) -> str:
        if self.submission is None:
            return str(gettext("未填报"))
        return str(self.submission.get_status_display())

    @property
    def reported(self) -> bool:
        return self.submission is not None and self.submission.status in REPORTED


@dataclass
class Completeness:
    form: ReportingForm
    period: str
    rows: list[CompletenessRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return sum(r.reported for r in self.rows)

    @property
    def on_time(self) -> int:
        return sum(bool(r.reported and r.submission and r.submission.on_time) for r in self.rows)

    @property
    def reporting_rate(self) -> Decimal | None:
        return _rate(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.expected)

    @property
    def late_rows(self) -> list[CompletenessRow]:
        return [r for r in self.rows if r.late]


REPORTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


def _rate(n: int, total: int) -> Decimal | None:
    return (Decimal(100) * n / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else None


def completeness(*, form: ReportingForm, period: str, user=None) -> Completeness:
    """Reporting and on-time status of every expected reporter of ``form`` for a period, within the user's
    scope (None: the whole city, for tasks and the bulletin)."""
    spec = periods.parse(period)
    reporters = list(_reporters_in_scope(form, user).select_related("district"))
    subs = {s.organisation_id: s for s in Submission.objects.filter(
        form=form, period__code=spec.code, organisation__in=[o.id for o in reporters]).select_related("period")}
    deadline_passed = spec.end + dt.timedelta(days=form.on_time_days) < timezone.localdate()
    rows = []
    for org in reporters:
        sub = subs.get(org.id)
        reported = sub is not None and sub.status in REPORTED
        rows.append(CompletenessRow(organisation=org, submission=sub, late=deadline_passed and not reported))
    return Completeness(form=form, period=spec.code, rows=rows)


def completeness_by_period(*, form: ReportingForm, period_codes: list[str], user=None) -> list[Completeness]:
    """:func:`completeness` for several periods (the overview table), newest first."""
    return [completeness(form=form, period=code, user=user) for code in period_codes]


@dataclass
class ReporterRecord:
    """One reporter's record over several periods: how many it reported, and how many on time."""

    organisation: Organisation
    expected: int
    reported: int
    on_time: int

    @property
    def reporting_rate(self) -> Decimal | None:
        return _rate(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.expected)


def completeness_by_reporter(*, form: ReportingForm, period_codes: list[str], user=None) -> list[ReporterRecord]:
    """Each reporter's reporting and on-time rate over ``period_codes`` (one query), within the user's scope."""
    reporters = list(_reporters_in_scope(form, user))
    counts: dict[int, tuple[int, int]] = {
        row["organisation_id"]: (row["n"], row["on_time_n"]) for row in Submission.objects.filter(
            form=form, period__code__in=period_codes, status__in=REPORTED,
            organisation__in=[o.id for o in reporters]).values("organisation_id").annotate(
            n=Count("id"), on_time_n=Count("id", filter=Q(on_time=True))).order_by()}
    return [ReporterRecord(organisation=o, expected=len(period_codes), reported=counts.get(o.id, (0, 0))[0],
                           on_time=counts.get(o.id, (0, 0))[1]) for o in reporters]


def late_reporters(*, form: ReportingForm, period) -> list[Organisation]:
    """Expected reporters of a period past its on-time deadline that have not submitted."""
    code = getattr(period, "code", period)
    return [r.organisation for r in completeness(form=form, period=code).late_rows]


def report_list(*, user) -> QuerySet[Submission]:
    """Reports (submissions) the user may see: own district's, own enterprise's, or all for the city."""
    qs = Submission.objects.select_related("form", "period", "organisation", "district", "submitted_by",
                                           "approved_by")
    return restrict(qs, user, "statistics.view")


def report_for(*, user, pk: int) -> Submission:
    """One report in the user's scope; outside it (or missing): Submission.DoesNotExist (→ 404)."""
    return report_list(user=user).get(pk=pk)


def report_values(submission: Submission) -> dict[str, DataValue]:
    """{indicator code: DataValue} stored for a report's organisation and period."""
    rows = DataValue.objects.filter(organisation_id=submission.organisation_id, period_id=submission.period_id)
    return {v.indicator.code: v for v in rows.select_related("indicator", "updated_by")}


def report_events(submission: Submission) -> QuerySet[SubmissionEvent]:
    return submission.events.select_related("actor")


def reminders_for(*, user) -> QuerySet[Reminder]:
    """Reminders sent to the user (in-app ones; the e-mail copies are the same text)."""
    return Reminder.objects.filter(recipient=user, channel="in_app").select_related("form", "period",
                                                                                    "organisation")


def reminders_sent(*, user) -> QuerySet[Reminder]:
    """Reminders the city has sent (audit list), scoped like reports."""
    return restrict(Reminder.objects.select_related("form", "period", "organisation", "recipient"), user,
                    "statistics.view")


def open_forms(*, user) -> QuerySet[ReportingForm]:
    """Active forms the user reports on (by the kind of organisation they act for) or, for the city, all."""
    qs = ReportingForm.objects.filter(active=True)
    scope = scope_for(user)
    if scope.kind == "all":
        return qs
    if scope.kind == "district":
        return qs.filter(reporter_kind=ReporterKind.DISTRICT)
    if scope.kind == "enterprise":
        return qs.filter(reporter_kind=ReporterKind.ENTERPRISE)
    return qs.none()

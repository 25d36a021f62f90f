"""Writes and reads of the district assessment: saving a year's scheme (indicators and weights adding up to 100),
and each district's result with its contributions and explanation, scoped to the reader."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.exceptions import check_version
from wenzhi.core.permissions import require
from wenzhi.core.scoping import scope_for

from .models import AssessmentItem, AssessmentScheme, Measure
from .scoring import Criterion, DistrictScore, score

FULL_WEIGHT = Decimal(100)


@dataclass(frozen=True)
class ItemInput:
    """One line of a scheme as entered: indicator code, measure and weight (text from a form or a number)."""

    indicator: str
    measure: str
    weight: object


def _clean_items(items: list[ItemInput]) -> list[tuple]:
    from wenzhi.statistics.models import Indicator

    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[it.indicator for it in items])}
    problems, out, seen = [], [], set()
    for line, item in enumerate(items, start=1):
        indicator = indicators.get(item.indicator)
        if indicator is None:
            problems.append(gettext("第%(n)s行：指标“%(code)s”不存在") % {"n": line, "code": item.indicator})
            continue
        if item.measure not in Measure.values:
            problems.append(gettext("第%(n)s行：考核内容“%(m)s”无效") % {"n": line, "m": item.measure})
            continue
        try:
            weight = Decimal(str(item.weight).strip())
        except (InvalidOperation, ValueError):
            problems.append(gettext("第%(n)s行：权重“%(w)s”不是数字") % {"n": line, "w": item.weight})
            continue
        if not weight.is_finite() or weight <= 0 or weight > FULL_WEIGHT:
            problems.append(gettext("第%(n)s行：权重须大于0且不超过100") % {"n": line})
            continue
        if (indicator.pk, item.measure) in seen:
            problems.append(gettext("第%(n)s行：指标“%(name)s”的同一考核内容重复") % {"n": line, "name": indicator.name})
            continue
        seen.add((indicator.pk, item.measure))
        out.append((indicator, item.measure, weight.quantize(Decimal("0.01"))))
    if not items:
        problems.append(gettext("至少需要一项考核指标"))
    total = sum((w for _, _, w in out), Decimal(0))
    if not problems and total != FULL_WEIGHT:
        problems.append(gettext("各项权重合计须为100，现为%(total)s") % {"total": total})
    if problems:
        raise ValidationError({"items": problems})
    return out


def assessment_scheme_save(*, actor, year: int, name: str, note: str = "", items: list[ItemInput],
                           scheme: AssessmentScheme | None = None, version: str | None = None) -> AssessmentScheme:
    """Create or change a year's scheme and its items in one step (nothing is written when any line is wrong)."""
    require(actor, "assessment.manage")
    cleaned = _clean_items(items)
    with transaction.atomic(durable=True):
        if scheme is not None:
            scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
            check_version(scheme, version, what=gettext("该考核方案"))
        else:
            scheme = AssessmentScheme(created_by=actor)
        before = (scheme.year, scheme.name, scheme.note,
                  [(i.indicator_id, i.measure, i.weight) for i in scheme.items.all()] if scheme.pk else None)
        scheme.year, scheme.name = year, (name or "").strip()
        scheme.note = (note or "").replace("\r\n", "\n").strip()
        after = (scheme.year, scheme.name, scheme.note, [(i.pk, m, w) for i, m, w in cleaned])
        if before == after:
            return scheme  # saved back unchanged
        scheme.updated_at = timezone.now()
        scheme.full_clean()
        scheme.save()
        scheme.items.all().delete()
        AssessmentItem.objects.bulk_create(AssessmentItem(scheme=scheme, indicator=i, measure=m, weight=w, order=n)
                                           for n, (i, m, w) in enumerate(cleaned))
    return scheme


def _values(indicator, year: int, measure: str, tables: dict) -> dict[int, Decimal]:
    from wenzhi.statistics.analysis import _table
    from wenzhi.statistics.growth import growth

    if indicator.pk not in tables:
        tables[indicator.pk] = _table(indicator)
    table = tables[indicator.pk]
    now = table.get(str(year), {})
    if measure == Measure.LEVEL:
        return now
    before = table.get(str(year - 1), {})
    rates = {pk: growth(v, before.get(pk)) for pk, v in now.items()}
    return {pk: r for pk, r in rates.items() if r is not None}


def assessment_results(*, user, scheme: AssessmentScheme) -> list[DistrictScore]:
    """Every district's score of ``scheme`` (the whole ranking is computed); a district officer gets their own
    district's row only."""
    from wenzhi.core.selectors import districts

    require(user, "assessment.view", scheme)
    criteria, tables = [], {}  # type: ignore[var-annotated]
    for item in scheme.items.select_related("indicator"):
        unit = "%" if item.measure == Measure.GROWTH else item.indicator.unit
        label = gettext("%(name)s（%(measure)s）") % {"name": item.indicator.display_name, "measure": item.get_measure_display()}
        criteria.append(Criterion(label=label, weight=item.weight,
                                  values=_values(item.indicator, scheme.year, item.measure, tables), unit=unit))
    results = score([(d.pk, d.name) for d in districts()], criteria)
    scope = scope_for(user)
    if not scope.is_city:
        results = [r for r in results if r.district == scope.organisation_id]
    return results


def explanation(result: DistrictScore, total_districts: int) -> str:
    """Why a district scored what it did: its rank, its strongest and weakest indicators, what it did not report."""
    parts = [gettext("总分%(total)s分，在%(n)s个区中排第%(rank)s名。")
             % {"total": result.total, "n": total_districts, "rank": result.rank}]
    scored = [c for c in result.contributions if c.value is not None and c.weight]
    if scored:
        best = max(scored, key=lambda c: (c.points / c.weight, c.weight))
        worst = min(scored, key=lambda c: (c.points / c.weight, -c.weight))
        parts.append(gettext("优势指标为%(label)s（得%(points)s分，权重%(weight)s）") %
                     {"label": best.label, "points": best.points, "weight": best.weight})
        if worst is not best:
            parts.append(gettext("；相对薄弱的是%(label)s（得%(points)s分，权重%(weight)s）。") %
                         {"label": worst.label, "points": worst.points, "weight": worst.weight})
        else:
            parts.append(gettext("。"))
    missing = [c.label for c in result.contributions if c.value is None]
    if missing:
        parts.append(gettext("%(labels)s无数据，不得分。") % {"labels": gettext("、").join(missing)})
    return "".join(parts)

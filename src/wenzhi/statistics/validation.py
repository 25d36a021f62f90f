"""The validation-rule engine: checks one report (organisation × period × form) against the active rules and
keeps one :class:`ValidationResult` per broken rule (a warning's explanation survives re-checks while the rule
stays broken; a rule satisfied again loses its result)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from . import expressions
from .models import DataValue, Indicator, Submission, ValidationResult, ValidationRule


@dataclass(frozen=True)
class CompiledRule:
    rule: ValidationRule
    left: expressions.Expression
    right: expressions.Expression

    @property
    def current_codes(self) -> list[str]:
        return self.left.current_codes + [c for c in self.right.current_codes if c not in self.left.current_codes]

    @property
    def terms(self) -> list[expressions.Term]:
        return self.left.terms + self.right.terms


def known_codes() -> set[str]:
    return set(Indicator.objects.values_list("code", flat=True))


def compile_rule(rule: ValidationRule, known: set[str] | None = None) -> CompiledRule:
    """Parse both sides; a ValidationError names the side (field) and the problem, e.g. an unknown code."""
    known = known_codes() if known is None else known
    parsed = {}
    for side in ("left", "right"):
        try:
            parsed[side] = expressions.parse(getattr(rule, side), known)
        except expressions.ExpressionError as exc:
            raise ValidationError({side: str(exc)}) from None
    if rule.operator not in expressions.COMPARE:
        raise ValidationError({"operator": gettext("比较运算符无效。")})
    return CompiledRule(rule, parsed["left"], parsed["right"])


def rules_for(form_codes: set[str]) -> list[CompiledRule]:
    """The active rules whose current-period terms all lie on a form with ``form_codes``."""
    known = known_codes()
    out = []
    for rule in ValidationRule.objects.filter(active=True):
        try:
            compiled = compile_rule(rule, known)
        except ValidationError:
            continue  # a rule broken by a later catalogue change is shown on the rules page, not applied
        if set(compiled.current_codes) <= form_codes:
            out.append(compiled)
    return out


def _values(organisation_id: int, period_codes: set[str]) -> dict[tuple[str, str], Decimal]:
    rows = DataValue.objects.filter(organisation_id=organisation_id, period__code__in=period_codes).values_list(
        "indicator__code", "period__code", "value")
    return {(code, period): value for code, period, value in rows}


def check(submission: Submission, *, overrides: dict[str, Decimal | None] | None = None) -> list[dict]:
    """Evaluate the rules for a report; ``overrides`` ({code: value}) stand in for stored current values (used
    to check an upload before writing it). Returns the broken rules as dicts (rule, importance, values, code)."""
    form_codes = {i.code for i in submission.form.indicators()}
    rules = rules_for(form_codes)
    period_code = submission.period.code
    needed = {expressions.resolve_period(period_code, t.offset) for r in rules for t in r.terms}
    values = _values(submission.organisation_id, needed | {period_code})
    for code, value in (overrides or {}).items():
        if value is None:
            values.pop((code, period_code), None)
        else:
            values[(code, period_code)] = value

    def lookup(term: expressions.Term) -> Decimal | None:
        return values.get((term.code, expressions.resolve_period(period_code, term.offset)))

    broken = []
    for compiled in rules:
        left, right = compiled.left.evaluate(lookup), compiled.right.evaluate(lookup)
        if left is None or right is None:
            continue
        if not expressions.COMPARE[compiled.rule.operator](left, right):
            codes = compiled.current_codes
            broken.append({"rule": compiled.rule, "importance": compiled.rule.importance, "left": left,
                           "right": right, "code": codes[0] if codes else None})
    return broken


def refresh(submission: Submission) -> list[ValidationResult]:
    """Re-check a report and store its results (call inside the writing transaction)."""
    broken = check(submission)
    existing = {r.rule_id: r for r in ValidationResult.objects.filter(
        organisation_id=submission.organisation_id, period_id=submission.period_id)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[b["code"] for b in broken if b["code"]])}
    keep = set()
    for b in broken:
        rule: ValidationRule = b["rule"]
        keep.add(rule.id)
        result = existing.get(rule.id) or ValidationResult(rule=rule, organisation_id=submission.organisation_id,
                                                           district_id=submission.district_id,
                                                           period_id=submission.period_id)
        result.importance = rule.importance
        result.left_value = _fit(b["left"])
        result.right_value = _fit(b["right"])
        result.indicator = indicators.get(b["code"]) if b["code"] else None
        result.save()
    stale = [rid for rid in existing if rid not in keep]
    ValidationResult.objects.filter(organisation_id=submission.organisation_id, period_id=submission.period_id,
                                    rule_id__in=stale).delete()
    return list(ValidationResult.objects.filter(organisation_id=submission.organisation_id,
                                                period_id=submission.period_id).select_related("rule", "indicator"))


def _fit(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


def results_for(submission: Submission) -> list[ValidationResult]:
    return list(ValidationResult.objects.filter(organisation_id=submission.organisation_id,
                                                period_id=submission.period_id)
                .select_related("rule", "indicator").order_by("importance", "rule__name"))


def blocking(results: list[ValidationResult]) -> list[ValidationResult]:
    """Results that stop a report from being submitted: errors, and warnings nobody explained."""
    return [r for r in results if r.importance == "error" or not r.explained]


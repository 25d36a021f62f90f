"""The shipped indicator catalogue, district and enterprise forms and validation rules, loaded idempotently."""

from __future__ import annotations

from django.db import transaction

from . import constants

DERIVED_CODES = {code for code, *_rest in constants.DERIVED_INDICATORS}


def load_catalogue(get_model=None) -> dict:
    """Create the standard indicators, forms (version 1) and rules where missing; never overwrite edits.

    ``get_model`` is a data migration's ``apps.get_model``; without it, the current models."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    Indicator, ReportingForm, FormVersion, FormIndicator, ValidationRule = (get_model("statistics", name) for name in (
        "Indicator", "ReportingForm", "FormVersion", "FormIndicator", "ValidationRule"))

    created = 0
    with transaction.atomic():
        for order, (code, name, unit, kind, aggregation, decimals, category) in enumerate(
                constants.INDICATORS + constants.DERIVED_INDICATORS):
            source = "derived" if code in DERIVED_CODES else "entered"
            _obj, new = Indicator.objects.get_or_create(code=code, defaults=dict(
                name=str(name), unit=str(unit), kind=kind, aggregation=aggregation, decimals=decimals,
                category=category, source=source, order=10 * (order + 1)))
            created += new
        by_code = {i.code: i for i in Indicator.objects.all()}
        for spec, codes in ((constants.DISTRICT_FORM, constants.DISTRICT_FORM_INDICATORS),
                            (constants.ENTERPRISE_FORM, constants.ENTERPRISE_FORM_INDICATORS)):
            code, name, period_type, reporter, open_days, on_time_days, close_days = spec
            form, new = ReportingForm.objects.get_or_create(code=code, defaults=dict(
                name=str(name), period_type=period_type, reporter_kind=reporter, open_days=open_days,
                on_time_days=on_time_days, close_days=close_days, version=1))
            if new:
                version = FormVersion.objects.create(form=form, number=1)
                FormIndicator.objects.bulk_create(
                    FormIndicator(version=version, indicator=by_code[c], order=i) for i, c in enumerate(codes))
                created += 1
        for name, left, operator, right, importance, message in constants.RULES:
            _rule, new = ValidationRule.objects.get_or_create(name=str(name), defaults=dict(
                left=left, operator=operator, right=right, importance=importance, message=str(message)))
            created += new
    return {"created": created}

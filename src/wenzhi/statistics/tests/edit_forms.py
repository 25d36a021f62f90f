"""Statistics' edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form


def make_indicator(ctx):
    from ..models import Indicator

    return Indicator.objects.create(code="roundtrip_amount", name="往返测试指标", unit="万元", kind="amount",
                                    aggregation="average", decimals=3, allow_negative=True, category="film",
                                    description="第一行说明\n第二行说明", order=999, active=True)


def make_form(ctx):
    from ..models import Indicator
    from ..services import form_create

    Indicator.objects.get_or_create(code="roundtrip_count", defaults=dict(name="往返计数", kind="count"))
    return form_create(actor=ctx.users[Role.CITY_ADMIN], code="roundtrip_form", name="往返测试报表",
                       indicator_codes=["screens", "roundtrip_count", "box_office"], period_type="monthly",
                       reporter_kind="enterprise", open_days=-3, on_time_days=10, close_days=40,
                       description="多行\n说明", active=True)


def make_rule(ctx):
    from ..models import ValidationRule

    return ValidationRule.objects.create(name="往返测试规则", left="abs(screens - prev_quarter(screens))",
                                         operator=">=", right="0.1 * units", importance="warning",
                                         message="往返测试提示", active=False)


def make_bulletin(ctx):
    from wenzhi.statistics.bulletin.services import bulletin_draft

    from .outputs_world import fill

    fill()
    return bulletin_draft(actor=ctx.users[Role.CITY_ADMIN], period="2018Q3")


def make_scheme(ctx):
    from wenzhi.statistics.assessment.services import ItemInput, assessment_scheme_save

    return assessment_scheme_save(actor=ctx.users[Role.CITY_ADMIN], year=2018, name="2018年度文化产业考核",
                                  note="第一行说明\n第二行说明", items=[
                                      ItemInput("value_added", "level", "60"), ItemInput("value_added", "growth", "25.5"),
                                      ItemInput("screens", "level", "14.5")])



register_edit_form("statistics:indicator_edit", roles=(Role.CITY_ADMIN,), make=make_indicator)
register_edit_form("statistics:form_edit", roles=(Role.CITY_ADMIN,), make=make_form)
register_edit_form("statistics:rule_edit", roles=(Role.CITY_ADMIN,), make=make_rule)
register_edit_form("statistics:bulletin_edit", make=make_bulletin, roles=(Role.CITY_ADMIN,))
register_edit_form("statistics:assessment_edit", make=make_scheme, roles=(Role.CITY_ADMIN,))

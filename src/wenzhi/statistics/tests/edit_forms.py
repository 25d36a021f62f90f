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


register_edit_form("statistics:indicator_edit", roles=(Role.CITY_ADMIN,), make=make_indicator)
register_edit_form("statistics:form_edit", roles=(Role.CITY_ADMIN,), make=make_form)
register_edit_form("statistics:rule_edit", roles=(Role.CITY_ADMIN,), make=make_rule)

"""Figures with thousands separators on pages, plain numbers in exports and inputs."""

from decimal import Decimal

import pytest
from django.utils import translation

from wenzhi.core.formatting import thousands
from wenzhi.core.listing import Column


@pytest.mark.parametrize("value, shown", [
    (1234567, "1,234,567"), (Decimal("1234.50"), "1,234.50"), (Decimal("12345678.9"), "12,345,678.9"),
    (0.4321, "0.43"), (-2500, "-2,500"), ("1200", "1,200"), (None, None), ("—", "—"), (True, True),
])
def test_thousands(value, shown):
    assert thousands(value) == shown


def test_list_cells_group_figures_but_not_years():
    assert Column("latest_revenue", "营业收入").display(Decimal("123456.70")) == "123,456.70"
    assert Column("participant_count", "学员人数").display(12000) == "12,000"
    assert Column("year_recognised", "入选年度").display(2018) == "2018"
    assert Column("code", "代码", number=False).display(120101) == "120101"
    with translation.override("zh-hans"):
        assert Column("published", "已发布").display(True) == "是"
    with translation.override("en"):
        assert Column("published", "已发布").display(True) == "Yes"

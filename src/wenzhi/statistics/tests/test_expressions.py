"""Validation-rule expressions: parsed by walking the syntax tree, never evaluated as Python."""

from decimal import Decimal

import pytest

from wenzhi.statistics.expressions import ExpressionError, Term, parse, resolve_period

KNOWN = {"value_added", "revenue", "units", "above_scale_units", "screens"}


def _eval(source: str, values: dict) -> Decimal | None:
    return parse(source, KNOWN).evaluate(lambda t: values.get((t.code, t.offset)))


def test_arithmetic_functions_and_period_terms():
    values = {("value_added", 0): Decimal(30), ("value_added", -1): Decimal(10), ("units", 0): Decimal(4)}
    assert _eval("abs(value_added - prev_quarter(value_added)) / prev_quarter(value_added)", values) == 2
    assert _eval("max(units, 2) * -1 + 0.5", values) == Decimal("-3.5")
    expr = parse("value_added - same_period_last_year(value_added)", KNOWN)
    assert expr.terms == [Term("value_added", 0), Term("value_added", "year")]
    assert expr.current_codes == ["value_added"]


def test_missing_values_and_division_by_zero_give_no_result():
    assert _eval("value_added / units", {("value_added", 0): Decimal(1)}) is None
    assert _eval("value_added / units", {("value_added", 0): Decimal(1), ("units", 0): Decimal(0)}) is None


@pytest.mark.parametrize(("source", "message"), [
    ("units +", "语法错误"),
    ("units <= 1", "不允许使用"),
    ("cinema_count", "不存在的指标“cinema_count”"),
    ("__import__('os').system('x')", "未知函数"),
    ("units.real", "不允许使用"),
    ("eval(units)", "未知函数“eval”"),
    ("prev_quarter(units + 1)", "参数应为一个指标代码"),
    ("abs(units, units)", "只接受一个参数"),
    ("units ** 2", "不允许使用"),
    ("", "不能为空"),
    ("1" * 400, "过长"),
    ("'text'", "不允许使用"),
])
def test_bad_expressions_are_refused_with_the_reason(source, message):
    with pytest.raises(ExpressionError, match=message):
        parse(source, KNOWN)


def test_period_offsets():
    assert resolve_period("2018Q1", -1) == "2017Q4"
    assert resolve_period("2018Q1", "year") == "2017Q1"
    assert resolve_period("2018-01", "year") == "2017-01"
    assert resolve_period("2018", -1) == "2017"

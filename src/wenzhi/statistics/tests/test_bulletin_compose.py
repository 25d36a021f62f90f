"""The machine-written bulletin over an in-memory source: every figure bound to a query, wording that follows
the data, the check that blocks a bulletin whose data changed, and the reviewer's edit rules."""

from decimal import Decimal as D

import pytest

from wenzhi.statistics.bulletin import check as checking
from wenzhi.statistics.bulletin.compose import NoData, compose
from wenzhi.statistics.bulletin.figures import evaluate

from .memory_world import world


def text_of(draft):
    return "\n".join(checking.render(p, draft.figures) for p in draft.paragraphs)


def test_every_figure_is_a_named_query_and_no_free_number():
    src = world()
    draft = compose(src, "2018Q3")
    assert draft.figures, "a bulletin with data prints figures"
    for paragraph in draft.paragraphs:
        assert checking.free_numbers(paragraph, checking.allowed_numbers("2018Q3")) == []
    for key, ref in draft.figures.items():
        assert evaluate(src, ref.query, ref.params).text == ref.text, key
    assert checking.check(draft.figures, src) == []


def test_headline_in_the_official_register_with_real_figures():
    src = world()
    text = text_of(compose(src, "2018Q3"))
    ytd = sum(src.data[("value_added", q)][d] for q in ("2018Q1", "2018Q2", "2018Q3") for d in (1, 2, 3, 4))
    assert f"2018年前三季度，全市文化产业实现增加值{ytd:.2f}亿元，同比增长" in text
    assert "其中第三季度实现增加值" in text
    assert "增加值总量居前三位的是滨海新区、河西区、南开区" in text
    assert "南开区同比下降" in text  # the laggard named
    assert "本期有1个区逾期报送统计数据：南开区" in text
    assert "占全市地区生产总值的比重为" in text
    assert "按营业收入排序，内容创作生产占" in text


def test_wording_follows_the_data_decline():
    text = text_of(compose(world(decline=True), "2018Q3"))
    assert "同比下降" in text and "有所回落" in text
    assert "保持较快增长势头" not in text


def test_record_is_told_when_the_quarter_is_the_highest():
    src = world()
    src.data[("value_added", "2018Q3")] = {d: D(1000) for d in (1, 2, 3, 4)}
    assert "单季增加值为有统计以来最高水平" in text_of(compose(src, "2018Q3"))


def test_no_data_for_the_period_is_an_error():
    with pytest.raises(NoData):
        compose(world(), "2020Q1")


def test_tampered_data_is_caught_figure_by_figure():
    src = world()
    draft = compose(src, "2018Q3")
    src.data[("value_added", "2018Q3")][4] += D(50)  # someone edits the stored data after drafting
    problems = checking.check(draft.figures, src)
    assert problems
    assert {p.query for p in problems} >= {"city_value", "city_cumulative", "city_yoy"}
    assert "通报中为" in problems[0].message() and "按当前数据应为" in problems[0].message()


def test_late_report_after_drafting_is_caught():
    src = world()
    draft = compose(src, "2018Q3")
    src.late["2018Q3"] = ["南开区", "和平区"]
    assert [p.query for p in checking.check(draft.figures, src)] == ["late_count", "late_reporters"]


def test_reviewer_edit_keeps_bindings():
    src = world()
    draft = compose(src, "2018Q3")
    text = checking.editable(draft.paragraphs, draft.figures).replace("一、总体情况", "一、全市总体情况")
    paragraphs, figures = checking.apply_edit(text, draft.figures, "2018Q3")
    assert paragraphs[0] == "一、全市总体情况"
    assert "{f1}" in paragraphs[1] and figures["f1"] == draft.figures["f1"]


def test_reviewer_edit_refuses_a_changed_number_an_unbound_number_and_an_unknown_placeholder():
    draft = compose(world(), "2018Q3")
    text = checking.editable(draft.paragraphs, draft.figures)
    shown = draft.figures["f1"].text
    with pytest.raises(checking.EditRefused, match=f"数字 f1 改为“999.99”，与其数据查询的结果“{shown}”不符"):
        checking.apply_edit(text.replace("{f1:" + shown + "}", "{f1:999.99}"), draft.figures, "2018Q3")
    with pytest.raises(checking.EditRefused, match="数字“15.5”没有绑定数据查询"):
        checking.apply_edit(text + "\n\n全年预计增长15.5%。", draft.figures, "2018Q3")
    with pytest.raises(checking.EditRefused, match="数字“三个区”|数字“三”"):
        checking.apply_edit(text + "\n\n另有三个区未报。", draft.figures, "2018Q3")
    with pytest.raises(checking.EditRefused, match="占位符 {f999} 不对应"):
        checking.apply_edit(text + "\n\n{f999}", draft.figures, "2018Q3")


def test_deleting_a_sentence_drops_its_figures_but_keeps_charts():
    draft = compose(world(), "2018Q3")
    chart_keys = frozenset(c.figure for c in draft.charts)
    assert chart_keys
    text = "\n\n".join(checking.editable([p], draft.figures) for p in draft.paragraphs[:2])
    _, figures = checking.apply_edit(text, draft.figures, "2018Q3", keep=chart_keys)
    assert chart_keys <= set(figures) and len(figures) < len(draft.figures)

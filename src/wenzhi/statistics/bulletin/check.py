"""The number-by-number check of a bulletin, and the rules a reviewer's edit must keep.

- ``check`` re-runs every stored figure's named query and lists each one whose answer differs from what the
  draft shows (or that has no answer any more): a bulletin with any difference cannot be issued.
- ``free_numbers`` finds numbers in the text that are not bound to a query (only the period's own years may be
  written out, as in "2018年第三季度").
- ``editable`` / ``apply_edit`` turn the stored paragraphs into text a reviewer edits, where each figure reads
  ``{f3:增长12.3%}``, and back: a figure whose shown text was changed, an unknown placeholder or a number typed
  into the text is refused with the paragraph and the figure named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from wenzhi.statistics import growth

from .figures import FigureRef, NoFigure, evaluate, queries
from .source import DataSource

TOKEN = re.compile(r"\{(f\d+)(?::([^{}]*))?\}")
DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
# Chinese numerals before a measure word ("三个区", "五项", "两成") are numbers too.
CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?=个区|个百分点|家|项|块|场|亿元|万元|万人|倍|成)")


@dataclass(frozen=True)
class Mismatch:
    """One figure the check found wrong: what the draft shows and what its query answers now."""

    key: str
    query: str
    label: str
    params: dict
    shown: str
    now: str

    def message(self) -> str:
        from django.utils.translation import gettext

        return gettext("数字 %(key)s（%(label)s，参数 %(params)s）：通报中为“%(shown)s”，按当前数据应为“%(now)s”") % {
            "key": self.key, "label": self.label, "params": _params(self.params),
            "shown": self.shown or gettext("（图表数据）"), "now": self.now}


def _params(params: dict) -> str:
    return "，".join(f"{k}={v}" for k, v in params.items())


def check(figures: dict[str, FigureRef], source: DataSource) -> list[Mismatch]:
    """Re-compute every figure; each whose value or printed text differs is a Mismatch (empty: all agree)."""
    labels = {name: str(q.label) for name, q in queries().items()}
    out = []
    for key in sorted(figures, key=lambda k: int(k[1:])):
        ref = figures[key]
        try:
            figure = evaluate(source, ref.query, dict(ref.params))
        except NoFigure:
            out.append(Mismatch(key, ref.query, labels.get(ref.query, ref.query), ref.params, ref.text,
                                gettext("（无数据）")))
            continue
        except KeyError:
            out.append(Mismatch(key, ref.query, ref.query, ref.params, ref.text, gettext("（未登记的查询）")))
            continue
        if figure.canonical != ref.value or figure.text != ref.text:
            now = figure.text or figure.canonical
            out.append(Mismatch(key, ref.query, labels.get(ref.query, ref.query), ref.params,
                                ref.text or ref.value, now))
    return out


def allowed_numbers(period: str) -> set[str]:
    """Numbers the text may write out: the years of the period and the year before (and the one before that
    for the sector structure, which may report the last complete year)."""
    year = growth.PeriodCode.parse(period).year
    return {str(year), str(year - 1), str(year - 2)}


def free_numbers(text: str, allowed: set[str]) -> list[str]:
    """Numbers in ``text`` (placeholders removed) that no query backs."""
    bare = TOKEN.sub("", text)
    found = [m.group(0) for m in DIGITS.finditer(bare) if m.group(0) not in allowed]
    found += [m.group(0) for m in CHINESE_NUMBER.finditer(bare)]
    return found


def render(paragraph: str, figures: dict[str, FigureRef]) -> str:
    """A paragraph as read: each placeholder replaced by its figure's text."""
    return TOKEN.sub(lambda m: figures[m.group(1)].text if m.group(1) in figures else m.group(0), paragraph)


def editable(paragraphs: list[str], figures: dict[str, FigureRef]) -> str:
    """The text a reviewer edits: paragraphs separated by blank lines, figures as ``{f3:增长12.3%}``."""
    def show(m: re.Match) -> str:
        ref = figures.get(m.group(1))
        return "{" + m.group(1) + ":" + (ref.text if ref else "") + "}"

    return "\n\n".join(TOKEN.sub(show, p) for p in paragraphs)


class EditRefused(ValueError):
    """A reviewer's edit broke a figure's binding: ``problems`` names each (paragraph, figure, what)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def apply_edit(text: str, figures: dict[str, FigureRef], period: str,
               keep: frozenset[str] = frozenset()) -> tuple[list[str], dict[str, FigureRef]]:
    """The paragraphs and figures after a reviewer's edit, or EditRefused listing every broken binding.

    A figure may be moved or deleted with its sentence; its shown text must stay what its query answered.
    ``keep``: figures outside the text (the charts' data) that stay bound."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    allowed = allowed_numbers(period)
    problems, used = [], set()
    for number, paragraph in enumerate(paragraphs, start=1):
        for m in TOKEN.finditer(paragraph):
            key, shown = m.group(1), m.group(2)
            ref = figures.get(key)
            if ref is None:
                problems.append(f"第{number}段：占位符 {{{key}}} 不对应任何数据查询")
            elif shown is not None and shown != ref.text:
                problems.append(f"第{number}段：数字 {key} 改为“{shown}”，与其数据查询的结果“{ref.text}”不符")
            used.add(key)
        problems += [f"第{number}段：数字“{n}”没有绑定数据查询，请使用数据占位符" for n in free_numbers(paragraph, allowed)]
    if not paragraphs:
        problems.append("通报正文不能为空")
    if problems:
        raise EditRefused(problems)
    stored = [TOKEN.sub(lambda m: "{" + m.group(1) + "}", p) for p in paragraphs]
    return stored, {k: v for k, v in figures.items() if k in used or k in keep}

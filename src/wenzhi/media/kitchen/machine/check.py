"""The number check of a machine-written story, run before approval.

1. Every stored figure's query runs again on today's data; a figure whose value or printed text differs (or that
   has no answer any more) is a mismatch, named with the query, its parameters, what the story shows and what the
   data says now.
2. Every number in the story — master title, lead and body, and each channel version — must be one a figure
   printed: a number typed in by hand, or cut short in a channel version, is named too. Percentages read out in
   the broadcast script (``百分之十二点三``) are read back and checked the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext

from ..channels import read_number
from .figures import FigureRef, NoFigure, evaluate, queries

DIGITS = re.compile(r"\d+(?:\.\d+)?")
SPOKEN_PERCENT = re.compile(r"百分之([零一二三四五六七八九十百千万点]+)")
# Chinese numerals before a measure word ("三个区", "五家") are numbers too.
CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?=个|家|项|座|场|部|亿元|万元|万人|倍|成)")


@dataclass(frozen=True)
class Problem:
    """One reason approval is refused: a figure that no longer matches the data, or an unbound number."""

    key: str
    message: str


def _params_text(params: dict) -> str:
    return "，".join(f"{k}={v}" for k, v in params.items())


def figure_mismatches(figures: list[FigureRef]) -> list[Problem]:
    labels = {name: str(q.label) for name, q in queries().items()}
    out = []
    for ref in figures:
        label = labels.get(ref.query, ref.query)
        try:
            figure = evaluate(ref.query, dict(ref.params))
            now_text, now_value = figure.text, figure.canonical
        except NoFigure:
            now_text, now_value = gettext("（无数据）"), None
        except KeyError:
            now_text, now_value = gettext("（未登记的查询）"), None
        if now_value != ref.value or now_text != ref.text:
            out.append(Problem(ref.key, gettext(
                "数字 %(key)s（%(label)s，%(params)s）：稿件中为“%(shown)s”，按当前数据应为“%(now)s”") % {
                "key": ref.key, "label": label, "params": _params_text(ref.params), "shown": ref.text, "now": now_text}))
    return out


def _numbers(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    found = DIGITS.findall(text)
    found += [m.group(0) for m in CHINESE_NUMBER.finditer(text)]
    return found


def unbound_numbers(texts: dict[str, str], figures: list[FigureRef]) -> list[Problem]:
    """Numbers in ``texts`` ({where: text}) that no figure printed."""
    allowed = {n for ref in figures for n in _numbers(ref.text)}
    spoken = {read_number(n) for n in allowed if DIGITS.fullmatch(n)}
    out = []
    for where, text in texts.items():
        for number in _numbers(text):
            if number not in allowed:
                out.append(Problem(where, gettext("%(where)s中的数字“%(n)s”没有对应的数据查询（请勿手工填写数字）")
                                   % {"where": where, "n": number}))
        for m in SPOKEN_PERCENT.finditer(text):
            if m.group(1) not in spoken:
                out.append(Problem(where, gettext("%(where)s中的“%(n)s”没有对应的数据查询") % {
                    "where": where, "n": m.group(0)}))
    return out


def story_texts(story) -> dict[str, str]:
    """Every text of a story by where it stands (master fields and each channel version)."""
    texts = {gettext("母稿标题"): story.title, gettext("母稿导语"): story.summary, gettext("母稿正文"): story.body}
    for version in story.versions.all():
        name = version.get_channel_display()
        texts[f"{name}"] = "\n".join((version.title, version.summary, version.body))
    return texts


def check_story(story) -> list[Problem]:
    """Everything that blocks approving a machine-written story (empty: every number agrees with the data)."""
    figures = [FigureRef.from_dict(f) for f in story.figures]
    return figure_mismatches(figures) + unbound_numbers(story_texts(story), figures)

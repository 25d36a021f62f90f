"""A call's scoring rubric: criteria with weights and maximum scores, one of them the intelligence criterion.

Each criterion is scored 0 … ``max_score``; a review's total is ``100 × Σ weight × score / max_score`` (0–100),
so calls with different maxima rank on the same scale.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The rubric a new call starts from (the plan asks that selection favour intelligent projects).
DEFAULT_RUBRIC: list[dict[str, Any]] = [
    {"key": "culture", "label": "文化内涵与社会效益", "weight": 0.25, "max_score": 10, "intelligence": False},
    {"key": "intelligence", "label": "智能化水平（人工智能、大数据、虚拟现实等）", "weight": 0.30, "max_score": 10,
     "intelligence": True},
    {"key": "market", "label": "市场前景与经济效益", "weight": 0.25, "max_score": 10, "intelligence": False},
    {"key": "feasibility", "label": "实施可行性与配套资金", "weight": 0.20, "max_score": 10, "intelligence": False},
]

# Shown through gettext: the default rubric's labels are source text too.
_DEFAULT_LABELS = (_("文化内涵与社会效益"), _("智能化水平（人工智能、大数据、虚拟现实等）"), _("市场前景与经济效益"),
                   _("实施可行性与配套资金"))


def rubric_errors(rubric: Any) -> list[str]:
    """What is wrong with a rubric, in Chinese (empty when it is fine)."""
    if not isinstance(rubric, list) or not rubric:
        return [gettext("评分细则至少要有一项")]
    errors = []
    keys = set()
    total = Decimal("0")
    for i, item in enumerate(rubric, start=1):
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            errors.append(gettext("评分细则第 %(n)s 项缺少代码或名称") % {"n": i})
            continue
        if item["key"] in keys:
            errors.append(gettext("评分细则代码“%(key)s”重复") % {"key": item["key"]})
        keys.add(item["key"])
        try:
            weight = Decimal(str(item.get("weight")))
            maximum = Decimal(str(item.get("max_score")))
        except ArithmeticError:
            errors.append(gettext("评分细则“%(label)s”的权重或满分不是数字") % {"label": item["label"]})
            continue
        if weight <= 0 or maximum <= 0:
            errors.append(gettext("评分细则“%(label)s”的权重和满分须大于 0") % {"label": item["label"]})
        total += weight
    if not errors and abs(total - 1) > Decimal("0.001"):
        errors.append(gettext("评分细则权重之和应为 1（现为 %(total)s）") % {"total": total})
    if not errors and not any(item.get("intelligence") for item in rubric):
        errors.append(gettext("评分细则须包含智能化水平评分项"))
    return errors


def weighted_total(rubric: list[dict[str, Any]], scores: dict[str, Decimal]) -> Decimal:
    """A review's total on the 0–100 scale from its per-criterion scores (missing criteria count 0)."""
    total = Decimal("0")
    for item in rubric:
        score = Decimal(str(scores.get(item["key"], 0) or 0))
        total += Decimal(str(item["weight"])) * score / Decimal(str(item["max_score"]))
    return (total * 100).quantize(Decimal("0.01"))

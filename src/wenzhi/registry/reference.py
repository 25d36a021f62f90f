"""Reference tables shipped in ``data/`` (GB/T 4754-2017, the 2018 culture classification, the mapping).

Read once per process from the package CSVs, so validation and classification work before and without the
database; the same rows are loaded into :class:`IndustryCode` and :class:`CultureCategory` for browsing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class IndustryClass:
    code: str
    name: str
    section: str
    division: str
    group: str


@dataclass(frozen=True)
class CultureMapping:
    """One GB/T 4754 小类 in the culture classification: ``inclusion`` is full or partial (only when the
    business scope shows cultural activity, the standard's * classes)."""

    industry_code: str
    industry_name: str
    inclusion: str
    category: str
    subcategory: str
    sector: str
    keywords: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def industry_rows() -> list[dict[str, str]]:
    return _rows("gbt4754_2017.csv")


@lru_cache(maxsize=1)
def _industry_classes() -> dict[str, IndustryClass]:
    return {r["code"]: IndustryClass(r["code"], r["name"], r["section"], r["division"], r["group"])
            for r in industry_rows() if r["level"] == "4"}


@lru_cache(maxsize=1)
def industry_names() -> dict[str, str]:
    """Every GB/T 4754-2017 code (门类 letter, 2-, 3- and 4-digit) → its name."""
    return {r["code"]: r["name"] for r in industry_rows()}


def industry_class(code: str) -> IndustryClass | None:
    return _industry_classes().get(str(code).strip())


@lru_cache(maxsize=1)
def culture_groups() -> list[dict[str, str]]:
    return _rows("culture_industry_2018_groups.csv")


@lru_cache(maxsize=1)
def culture_names() -> dict[str, str]:
    """Culture category (2-digit 大类) and subcategory (3-digit 中类) codes → names."""
    return {r["code"]: r["name"] for r in culture_groups()}


def culture_category_choices() -> list[tuple[str, str]]:
    return [(r["code"], f"{r['code']} {r['name']}") for r in culture_groups() if r["level"] == "大类"]


def culture_subcategory_choices() -> list[tuple[str, str]]:
    return [(r["code"], f"{r['code']} {r['name']}") for r in culture_groups() if r["level"] == "中类"]


@lru_cache(maxsize=1)
def culture_mapping() -> dict[str, CultureMapping]:
    """GB/T 4754 小类 code → its place in the 2018 culture classification (156 classes)."""
    out = {}
    for r in _rows("culture_gbt4754_mapping.csv"):
        out[r["gbt4754_class_code"]] = CultureMapping(
            industry_code=r["gbt4754_class_code"], industry_name=r["gbt4754_class_name"],
            inclusion=r["inclusion"], category=r["culture_category"], subcategory=r["culture_subcategory"],
            sector=r["sector"], keywords=tuple(r["partial_keywords"].split()))
    return out

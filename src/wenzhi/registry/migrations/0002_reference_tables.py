"""Load GB/T 4754-2017 and the 2018 culture classification from the shipped CSVs (idempotent, batched)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _read(name):
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load(apps, schema_editor):
    IndustryCode = apps.get_model("registry", "IndustryCode")
    CultureCategory = apps.get_model("registry", "CultureCategory")
    mapping = {r["gbt4754_class_code"]: r for r in _read("culture_gbt4754_mapping.csv")}
    existing = set(IndustryCode.objects.values_list("code", flat=True))
    rows = []
    for r in _read("gbt4754_2017.csv"):
        if r["code"] in existing:  # also skips the source's one duplicated code (374, see data/SOURCES.md)
            continue
        existing.add(r["code"])
        m = mapping.get(r["code"]) if r["level"] == "4" else None
        rows.append(IndustryCode(
            code=r["code"], level=int(r["level"]), level_name=r["level_name"], name=r["name"],
            section=r["section"], division=r["division"], group=r["group"], description=r["description"],
            culture_inclusion=m["inclusion"] if m else "", culture_subcategory=m["culture_subcategory"] if m else "",
            partial_keywords=m["partial_keywords"] if m else ""))
    IndustryCode.objects.bulk_create(rows, batch_size=500)
    groups = _read("culture_industry_2018_groups.csv")
    by_code = {c.code: c for c in CultureCategory.objects.all()}
    for r in groups:  # 大类 come first in the file, so a 中类's parent exists when it is created
        if r["code"] in by_code:
            continue
        by_code[r["code"]] = CultureCategory.objects.create(
            code=r["code"], level=r["level"], name=r["name"], domain=r["domain"],
            parent=by_code.get(r["parent_code"]) if r["parent_code"] else None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

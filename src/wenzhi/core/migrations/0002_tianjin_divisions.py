"""Load 天津市 and its 16 districts from the shipped NBS division table (idempotent)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "tianjin_divisions.csv"


def load(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    province = next(r for r in rows if r["level"] == "1")
    city, _ = Organisation.objects.get_or_create(level="city", code=province["code_6"],
                                                 defaults={"name": province["name"]})
    for r in rows:
        if r["level"] != "3":
            continue
        district, _ = Organisation.objects.get_or_create(
            level="district", code=r["code_6"], defaults={"name": r["name"], "parent": city})
        if district.district_id != district.id:
            district.district_id = district.id
            district.save(update_fields=["district"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Reference data shipped with core: 天津市 and its 16 districts (NBS division codes, see data/SOURCES.md)."""

import csv
from pathlib import Path

DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "tianjin_divisions.csv"


def load_divisions(Organisation) -> int:
    """Create the city and its districts if missing (idempotent); ``Organisation`` may be a migration model.

    Returns the number of rows created.
    """
    with DIVISIONS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    province = next(r for r in rows if r["level"] == "1")
    created = 0
    city, new = Organisation.objects.get_or_create(level="city", code=province["code_6"],
                                                   defaults={"name": province["name"]})
    created += new
    for r in rows:
        if r["level"] != "3":
            continue
        district, new = Organisation.objects.get_or_create(
            level="district", code=r["code_6"], defaults={"name": r["name"], "parent": city})
        created += new
        if district.district_id != district.id:
            district.district_id = district.id
            district.save(update_fields=["district"])
    return created


def township_names() -> dict[str, str]:
    """Township/street name → its district's 6-digit code (for reading addresses)."""
    with DIVISIONS_CSV.open(encoding="utf-8") as fh:
        return {r["name"]: r["district_code_6"] for r in csv.DictReader(fh) if r["level"] == "4"}

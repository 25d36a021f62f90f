"""Statistics data in the database for the outputs' tests: four districts' quarterly reports 2017Q1–2018Q3."""

from __future__ import annotations

from decimal import Decimal

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

QUARTERS = [f"{y}Q{q}" for y in (2017, 2018) for q in (1, 2, 3, 4)][:-1]
DISTRICTS = ("和平区", "河西区", "南开区", "滨海新区")


def fill(quarters=QUARTERS, names=DISTRICTS) -> dict[str, Organisation]:
    """value_added (南开区 falls in 2018, the others grow ~10 %), gdp, screens and box office for each district."""
    from wenzhi.statistics.models import DataValue, Indicator
    from wenzhi.statistics.services import period_get

    districts = {n: Organisation.objects.get(level=Level.DISTRICT, name=n) for n in names}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=["value_added", "gdp", "screens", "box_office"])}
    rows = []
    for index, code in enumerate(quarters):
        period = period_get(code)
        year = int(code[:4])
        for weight, (name, org) in enumerate(districts.items(), start=1):
            growth = Decimal("0.8") if (year == 2018 and name == "南开区") else Decimal("1.1") ** (year - 2017)
            figures = {"value_added": (Decimal(20 * weight + index) * growth).quantize(Decimal("0.01")),
                       "gdp": Decimal(2000 * weight), "screens": Decimal(40 + weight + index),
                       "box_office": Decimal(1000 * weight + 50 * index)}
            for key, value in figures.items():
                rows.append(DataValue(indicator=indicators[key], organisation=org, district=org, period=period,
                                      value=value))
    DataValue.objects.bulk_create(rows)
    return districts

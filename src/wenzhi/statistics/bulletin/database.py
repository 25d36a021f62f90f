"""The bulletin's data source over the statistics tables: each indicator's district values read at once
(``analysis.district_table``, the same figures as the contract ``selectors.indicator_series`` /
``indicator_values`` answers period by period), the registry's above-scale enterprises and the submissions.

One source serves one draft or one check: every read is remembered for its lifetime, so a bulletin costs one
query per indicator and period it mentions, and the check reads the data again with a fresh source.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache

from django.db.models import Sum
from django.utils import timezone

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from .source import IndicatorInfo

DISTRICT_FORM = "district_quarterly"


class DatabaseSource:
    """Reads of the live statistics data for the bulletin's queries (city-wide: callers check permission)."""

    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        # Bound per instance (not shared between sources): a check must see the data as it is now.
        self.indicator = cache(self._indicator)
        self.table = cache(self._table)
        self.district_values = cache(self._district_values)
        self.city_series = cache(self._city_series)
        self.district_series = cache(self._district_series)
        self.sector_values = cache(self._sector_values)
        self.late_reporters = cache(self._late_reporters)
        self._districts: list[tuple[int, str]] | None = None

    def _indicator(self, code: str) -> IndicatorInfo | None:
        from wenzhi.statistics.models import Indicator

        row = Indicator.objects.filter(code=code).values("name", "unit", "aggregation", "decimals").first()
        if row is None:
            return None
        return IndicatorInfo(code=code, name=row["name"], unit=row["unit"], rule=row["aggregation"],
                             places=row["decimals"])

    def districts(self) -> list[tuple[int, str]]:
        if self._districts is None:
            self._districts = list(Organisation.objects.filter(level=Level.DISTRICT)
                                   .order_by("code", "id").values_list("id", "name"))
        return self._districts

    def _table(self, code: str) -> dict[str, dict[int, Decimal]]:
        """Every period's district values of ``code`` in one read (``analysis.district_table``)."""
        from wenzhi.statistics.analysis import _table
        from wenzhi.statistics.models import Indicator

        indicator = Indicator.objects.filter(code=code).first()
        return _table(indicator) if indicator is not None else {}

    def _district_values(self, code: str, period: str) -> dict[int, Decimal]:
        return dict(self.table(code).get(period, {}))

    def city_value(self, code: str, period: str) -> Decimal | None:
        return self.city_series(code).get(period)

    def _city_series(self, code: str) -> dict[str, Decimal]:
        from wenzhi.statistics.analysis import _city_series
        from wenzhi.statistics.models import Indicator

        indicator = Indicator.objects.filter(code=code).first()
        return _city_series(indicator, self.table(code)) if indicator is not None else {}

    def _district_series(self, code: str, district: int) -> dict[str, Decimal]:
        return {p: values[district] for p, values in self.table(code).items() if district in values}

    def _sector_values(self, year: int) -> dict[str, Decimal]:
        """Revenue (万元) of the live above-scale enterprises by sector (八大门类) in ``year``."""
        from wenzhi.registry.choices import Sector
        from wenzhi.registry.models import EnterpriseYearFigure

        labels = dict(Sector.choices)
        rows = (EnterpriseYearFigure.objects
                .filter(year=year, enterprise__above_scale=True, enterprise__deleted_at__isnull=True,
                        revenue__isnull=False).exclude(enterprise__sector="")
                .values_list("enterprise__sector").annotate(v=Sum("revenue")).order_by())
        return {str(labels.get(sector, sector)): Decimal(v) for sector, v in rows if v}

    def _late_reporters(self, period: str) -> list[str]:
        """Districts that reported the district form late, or have not reported it though its deadline passed."""
        from wenzhi.statistics.choices import SubmissionStatus
        from wenzhi.statistics.models import Period, ReportingForm, Submission

        form = ReportingForm.objects.filter(code=DISTRICT_FORM).first()
        row = Period.objects.filter(code=period).first()
        if form is None or row is None:
            return []
        submitted = {s.district_id: s for s in Submission.objects.filter(form=form, period=row, organisation__level=Level.DISTRICT)}
        overdue = self.today > form.deadline(row)
        late = []
        for pk, name in self.districts():
            s = submitted.get(pk)
            if s is not None and s.on_time is False:
                late.append(name)
            elif overdue and (s is None or s.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)):
                late.append(name)
        return late

    def has_data(self, period: str) -> bool:
        from wenzhi.statistics.models import DataValue

        return DataValue.objects.filter(period__code=period, organisation__level=Level.DISTRICT).exists()

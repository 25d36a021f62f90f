"""Demo data of statistics' outputs (labelled ``is_demo``): the assessment scheme of the last complete year, the
bulletin of the quarter before the latest issued (when the PDF font is installed) and the latest quarter's draft.
Runs after the statistics demo; does nothing when its rows exist. Written through the same code as the pages."""

from __future__ import annotations

from django.utils import timezone


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    from wenzhi.core.documents import cjk_font_available

    from .analysis import periods_with_data
    from .assessment.models import AssessmentItem, AssessmentScheme
    from .bulletin import services
    from .bulletin.models import Bulletin, BulletinStatus
    from .models import Indicator

    if Bulletin.objects.filter(is_demo=True).exists() or AssessmentScheme.objects.filter(is_demo=True).exists():
        return {"skipped": "演示通报和考核方案已存在"}
    quarters = periods_with_data()
    out: dict = {"bulletins": 0, "schemes": 0}
    made = []
    if not quarters:
        return out
    year = timezone.localdate().year - 1
    scheme = AssessmentScheme.objects.create(year=year, name=f"{year}年度各区文化产业发展绩效考核（演示）",
                                             note="演示数据", is_demo=True)
    weights = (("value_added", "level", 30), ("value_added", "growth", 25), ("revenue", "level", 15),
               ("screens", "level", 10), ("box_office", "growth", 10), ("projects", "level", 10))
    codes = {i.code: i for i in Indicator.objects.filter(code__in=[w[0] for w in weights])}
    AssessmentItem.objects.bulk_create(AssessmentItem(scheme=scheme, indicator=codes[c], measure=m, weight=w, order=n)
                                       for n, (c, m, w) in enumerate(weights) if c in codes)
    out["schemes"] = 1
    if len(quarters) > 1 and cjk_font_available():
        earlier = services.write_draft(actor=None, period=quarters[1])
        Bulletin.objects.filter(pk=earlier.pk).update(status=BulletinStatus.APPROVED, approved_at=timezone.now())
        earlier.refresh_from_db()
        made.append(services.issue(actor=None, bulletin=earlier).pk)
    made.append(services.write_draft(actor=None, period=quarters[0]).pk)
    out["bulletins"] = Bulletin.objects.filter(pk__in=made).update(is_demo=True)
    return out

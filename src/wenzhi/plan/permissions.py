"""The plan tracker's rows in the platform permission table, declared once.

The plan is the city's: the city administrator keeps targets, tasks and milestones; district officers carry
the tasks out in their districts and record evidence; officials (city, district, park) read the tracker.
Targets and tasks belong to no district (``anywhere``); evidence is placed by the district that recorded it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.permissions import CITY, CITY_DISTRICT, OFFICIALS, anywhere, declare, place


def register() -> None:
    from .models import Evidence

    place(Evidence, district="district", park=None, enterprise=None)
    declare("plan.view", label=_("查看规划目标和任务"), roles=OFFICIALS, object_check=anywhere)
    declare("plan.change", label=_("修改规划目标和任务"), roles=CITY, object_check=anywhere)
    declare("plan.record", label=_("填报目标数据"), roles=CITY, object_check=anywhere)
    declare("plan.add_evidence", label=_("填报任务进展佐证"), roles=CITY_DISTRICT, object_check=anywhere)

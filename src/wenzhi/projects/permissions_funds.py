"""Funds, progress and promotion rows in the platform permission table, declared once.

Scope: funds and allocations are city-wide rows run by the city; grants and tranches sit in the applicant's
district and enterprise; progress reports in their project's district, park and owner; an enterprise user
reports progress for its own projects; investors (the public) send interest through the showcase.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.permissions import (
    CITY,
    CITY_DISTRICT,
    ENTERPRISE,
    OFFICIALS,
    REGISTRY_READERS,
    anywhere,
    declare,
    in_scope,
    place,
)


def own_project(user, project) -> bool:
    """An enterprise user reports for projects its enterprise owns."""
    from wenzhi.core.scoping import scope_for

    scope = scope_for(user)
    return scope.kind == "enterprise" and in_scope(user, project)


def own_message(user, message) -> bool:
    """An in-app message is read by the users of the organisation it was sent to."""
    return bool(user.organisation_id) and message.organisation_id == user.organisation_id


def register() -> None:
    from .models import Disbursement, Grant, InvestorInterest, ProgressReport

    place(Grant, district="district", park=None, enterprise="enterprise__organisation")
    place(Disbursement, district="grant__district", park=None, enterprise="grant__enterprise__organisation")
    place(ProgressReport, district="project__district", park="project__park",
          enterprise="project__owner__organisation")
    place(InvestorInterest, district="project__district", park="project__park",
          enterprise="project__owner__organisation")

    declare("fund.view", label=_("查看专项资金"), roles=CITY_DISTRICT, object_check=anywhere)
    declare("fund.manage", label=_("设立专项资金"), roles=CITY, object_check=anywhere)
    declare("allocation.propose", label=_("编制资金分配方案"), roles=CITY, object_check=anywhere)
    declare("allocation.adjust", label=_("调整资金分配方案"), roles=CITY, object_check=anywhere)
    declare("allocation.approve", label=_("批准资金分配方案"), roles=CITY, object_check=anywhere)
    declare("grant.view", label=_("查看资助安排与拨付"), roles=CITY_DISTRICT | ENTERPRISE)
    declare("disbursement.add", label=_("拨付资金"), roles=CITY)
    declare("leverage.view", label=_("查看资金撬动"), roles=OFFICIALS)

    declare("progress.view", label=_("查看进度报告"), roles=REGISTRY_READERS)
    declare("progress.report", label=_("填报进度报告"), roles=ENTERPRISE, object_check=own_project)
    declare("progress.monitor", label=_("进度监测与提醒"), roles=CITY_DISTRICT)
    declare("application.duplicates", label=_("查看疑似重复申报"), roles=CITY_DISTRICT)
    declare("message.view", label=_("查看站内消息"), any_user=True, object_check=own_message)

    declare("export_directory.view", label=_("查看文化出口重点项目目录"), anonymous=True)
    declare("export_directory.manage", label=_("管理文化出口重点项目目录"), roles=CITY, object_check=anywhere)
    declare("showcase.view_public", label=_("浏览项目展示"), anonymous=True)
    declare("showcase.manage", label=_("管理项目展示"), roles=CITY_DISTRICT)
    declare("interest.submit", label=_("提交投资意向"), anonymous=True)
    declare("interest.view", label=_("查看投资意向"), roles=CITY_DISTRICT | ENTERPRISE)
    declare("fair.view", label=_("查看项目推介会"), roles=CITY_DISTRICT, object_check=anywhere)
    declare("fair.manage", label=_("管理项目推介会"), roles=CITY, object_check=anywhere)

"""Statistics' rows in the platform permission table (``wenzhi.core.permissions``), declared once.

A district officer reports and sees its own district's figures; an enterprise user (an above-scale
enterprise) its own; the city administrator runs the catalogue, approves, locks and unlocks, and sees all.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import CITY, CITY_DISTRICT, anywhere, declare, in_scope, place

REPORTERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER})


def register() -> None:
    from .models import DataValue, Reminder, Submission, ValidationResult

    for model in (DataValue, Submission, ValidationResult, Reminder):
        place(model, district="district", park=None, enterprise="organisation")

    declare("statistics.view", label=_("查看统计报表"), roles=REPORTERS, object_check=in_scope)
    declare("statistics.catalogue", label=_("查看指标与报表目录"), roles=REPORTERS, object_check=anywhere)
    declare("statistics.manage", label=_("管理指标、报表与校验规则"), roles=CITY, object_check=anywhere)
    declare("statistics.enter", label=_("填报统计数据"), roles=REPORTERS, object_check=in_scope)
    declare("statistics.submit", label=_("上报统计报表"), roles=REPORTERS, object_check=in_scope)
    declare("statistics.approve", label=_("审核统计报表"), roles=CITY, object_check=in_scope)
    declare("statistics.unlock", label=_("解锁已审核报表"), roles=CITY, object_check=in_scope)
    declare("statistics.completeness", label=_("查看报送完整性与及时性"), roles=CITY_DISTRICT)
    declare("statistics.remind", label=_("催报"), roles=CITY)

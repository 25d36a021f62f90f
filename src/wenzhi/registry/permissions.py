"""The registry's rows in the platform permission table (``wenzhi.core.permissions``), declared once.

Services enforce these with ``require``; views, the API, navigation and buttons ask ``can``. Scope: an official
acts inside their city, district or park; an enterprise user on their own enterprise.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import (
    CITY,
    CITY_DISTRICT,
    ENTERPRISE,
    OFFICIALS,
    REGISTRY_READERS,
    action,
    anywhere,
    declare,
    in_scope,
    place,
)

# Who takes each step of a park's designation life cycle (the steps themselves: workflows.py).
PARK_STEP_ROLES = {
    "designate": CITY,
    "warn": CITY,
    "submit_rectification": frozenset({Role.PARK_OPERATOR, Role.DISTRICT_OFFICER}),
    "accept_rectification": CITY,
    "reject_rectification": CITY,
    "lift_warning": CITY,
    "upgrade": CITY,
    "revoke": CITY,
}


def _park_in_scope(user, park) -> bool:
    """A park as seen by scope: officials by its district or itself; an enterprise user the park it sits in."""
    from wenzhi.core.scoping import scope_for

    scope = scope_for(user)
    if scope.kind == "enterprise":
        from .selectors import enterprise_for_user

        ent = enterprise_for_user(user)
        return bool(ent and ent.park_id and ent.park_id == park.organisation_id)
    return in_scope(user, park)


def register() -> None:
    from .models import Enterprise, EnterpriseYearFigure, Park, Talent

    place(Enterprise, district="district", park="park", enterprise="organisation")
    place(EnterpriseYearFigure, district="enterprise__district", park="enterprise__park",
          enterprise="enterprise__organisation")
    place(Park, district="district", park="organisation", enterprise=None)
    place(Talent, district="district", park="employer__park", enterprise=None)

    from .workflows import PARK_TRANSITIONS

    declare("enterprise.view", label=_("查看企业"), roles=REGISTRY_READERS)
    declare("enterprise.view_own", label=_("查看本企业"), roles=ENTERPRISE)
    declare("enterprise.add", label=_("登记企业"), roles=CITY_DISTRICT)
    # Profile fields (address, legal form, founding date, business scope, industry code, former names): the
    # enterprise itself and the officials above it. Identity fields (name, credit code, ownership, district,
    # park) only city and district officials: a park operator keeps profiles, it does not re-register firms.
    declare("enterprise.change_profile", label=_("修改企业基本信息"), roles=REGISTRY_READERS)
    declare("enterprise.change", label=_("修改企业登记信息"), roles=CITY_DISTRICT)
    declare("enterprise.delete", label=_("删除企业"), roles=CITY)
    declare("enterprise.classify", label=_("调整企业归类"), roles=CITY_DISTRICT)
    declare("enterprise.tag", label=_("设置企业标签"), roles=CITY_DISTRICT)
    declare("enterprise.report_figures", label=_("填报企业年度数据"), roles=REGISTRY_READERS)
    declare("enterprise.view_history", label=_("查看企业变更记录"), roles=OFFICIALS)

    declare("park.view", label=_("查看园区"), roles=REGISTRY_READERS, object_check=_park_in_scope)
    declare("park.add", label=_("新建园区"), roles=CITY)
    declare("park.change", label=_("修改园区信息"), roles=CITY_DISTRICT)
    # One action per life-cycle step; "park.transition" (the page and endpoint) is open to whoever may take any.
    for key, step in PARK_TRANSITIONS.items():
        declare(step.action, label=step.label, roles=PARK_STEP_ROLES[key])
    declare("park.transition", label=_("园区动态管理"),
            roles=frozenset().union(*(action(t.action).roles for t in PARK_TRANSITIONS.values())))
    declare("park.evaluate", label=_("园区年度评价"), roles=CITY_DISTRICT)
    declare("park.view_history", label=_("查看园区变更记录"), roles=OFFICIALS)

    declare("talent.view", label=_("查看人才"), roles=OFFICIALS)
    declare("talent.view_personal", label=_("查看人才个人信息"), roles=CITY_DISTRICT)
    declare("talent.add", label=_("登记人才"), roles=CITY_DISTRICT)
    declare("talent.change", label=_("修改人才信息"), roles=CITY_DISTRICT)
    declare("training.view", label=_("查看培训项目"), roles=OFFICIALS, object_check=anywhere)

    declare("directory.view", label=_("查看名录"), any_user=True, object_check=_directory_visible)
    declare("directory.manage", label=_("管理名录"), roles=CITY, object_check=anywhere)
    declare("directory.publish", label=_("发布名录"), roles=CITY, object_check=anywhere)
    declare("directory.unpublish", label=_("撤回发布名录"), roles=CITY, object_check=anywhere)
    declare("directory.view_public", label=_("查看公开名录"), anonymous=True)

    declare("reference.view", label=_("查看参考分类"), roles=OFFICIALS)
    declare("import.run", label=_("批量导入"), roles=CITY_DISTRICT)
    # The officials' menu of the registry (an enterprise user has "本企业" instead of the lists).
    declare("registry.browse", label=_("浏览登记库"), roles=OFFICIALS)
    declare("registry.figures", label=_("查看登记库统计"), roles=OFFICIALS)


def _directory_visible(user, directory) -> bool:
    from wenzhi.core.scoping import scope_for

    return directory.published or scope_for(user).is_city

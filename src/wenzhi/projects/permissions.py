"""The project library's, calls' and reviews' rows in the platform permission table, declared once.

Scope: the city administrator everything; a district officer their district's projects and applications (and
the calls of their district); a park operator reads its park's projects; an enterprise user its own projects
and applications; an expert reviewer only the applications assigned to them; the public the notices and the
published lists.
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

EXPERT = frozenset({Role.EXPERT_REVIEWER})
CALL_READERS = REGISTRY_READERS | EXPERT
APPLICATION_READERS = CITY_DISTRICT | ENTERPRISE | EXPERT

# Who takes each step of a project's stage life cycle (the steps themselves: workflows.py).
PROJECT_STEP_ROLES = {
    "incubate": CITY_DISTRICT,
    "start_construction": CITY_DISTRICT,
    "complete": CITY_DISTRICT,
    "back_to_reserve": CITY_DISTRICT,
    "terminate": CITY,
}


def call_managed(user, call) -> bool:
    """A call is run by the city (city calls) or by its district (district calls)."""
    from wenzhi.core.scoping import scope_for

    scope = scope_for(user)
    if scope.is_city:
        return True
    return scope.kind == "district" and call.district_id is not None and call.district_id == scope.organisation_id


def _call_of(obj):
    """The call an object belongs to (a call, an application, a notice or an objection)."""
    for attr in ("notice", "call", "application"):
        if hasattr(obj, f"{attr}_id"):
            return _call_of(getattr(obj, attr))
    return obj


def managed(user, obj) -> bool:
    return call_managed(user, _call_of(obj))


def application_visible(user, application) -> bool:
    """City: all; district: its district's; enterprise: its own; expert: those assigned to them (an attachment
    is seen with its application)."""
    application = getattr(application, "application", application)
    if user.is_authenticated and user.has_role(Role.EXPERT_REVIEWER) \
            and application.assignments.filter(expert=user).exists():
        return True
    return in_scope(user, application)


def assigned(user, application) -> bool:
    return application.assignments.filter(expert_id=user.pk).exists()


def own_application(user, obj) -> bool:
    """An enterprise user's own application; for a call, whether the call is open to their enterprise (a city
    call, or their district's)."""
    from wenzhi.core.scoping import scope_for

    from .models import Call

    scope = scope_for(user)
    if scope.kind != "enterprise":
        return False
    if isinstance(obj, Call):
        return obj.district_id is None or obj.district_id == scope.district_id
    return obj.enterprise.organisation_id == scope.organisation_id


def register() -> None:
    from .models import Application, Project

    place(Project, district="district", park="park", enterprise="owner__organisation")
    place(Application, district="district", park=None, enterprise="enterprise__organisation")

    from .workflows import PROJECT_TRANSITIONS

    declare("projects.browse", label=_("浏览项目库"), roles=REGISTRY_READERS)
    declare("projects.figures", label=_("查看项目统计"), roles=OFFICIALS)
    declare("project.view", label=_("查看项目"), roles=REGISTRY_READERS)
    declare("project.add", label=_("新建项目"), roles=CITY_DISTRICT)
    declare("project.change", label=_("修改项目"), roles=CITY_DISTRICT)
    declare("project.override_intelligence", label=_("人工认定项目智能化"), roles=CITY_DISTRICT)
    declare("project.view_history", label=_("查看项目变更记录"), roles=OFFICIALS)
    declare("project.import", label=_("导入项目清单"), roles=CITY_DISTRICT)
    for key, step in PROJECT_TRANSITIONS.items():
        declare(step.action, label=step.label, roles=PROJECT_STEP_ROLES[key])
    declare("project.transition", label=_("项目阶段管理"),
            roles=frozenset().union(*(action(t.action).roles for t in PROJECT_TRANSITIONS.values())))

    declare("call.view", label=_("查看申报批次"), roles=CALL_READERS, object_check=anywhere)
    declare("call.manage", label=_("管理申报批次"), roles=CITY_DISTRICT, object_check=managed)
    declare("call.rank", label=_("查看评审排名"), roles=CITY_DISTRICT, object_check=managed)

    declare("application.view", label=_("查看申报"), roles=APPLICATION_READERS, object_check=application_visible)
    declare("application.apply", label=_("填报申报"), roles=ENTERPRISE, object_check=own_application)
    declare("application.district_review", label=_("区级初审推荐"), roles=CITY_DISTRICT)
    declare("application.assign", label=_("分配评审专家"), roles=CITY_DISTRICT, object_check=managed)
    declare("application.decide", label=_("作出入选决定"), roles=CITY_DISTRICT, object_check=managed)

    declare("review.score", label=_("专家评分"), roles=EXPERT, object_check=assigned)
    declare("review.declare_conflict", label=_("申报利益冲突"), roles=EXPERT)

    declare("notice.manage", label=_("管理公示"), roles=CITY_DISTRICT, object_check=managed)
    declare("notice.view_public", label=_("查看公示与入选名单"), anonymous=True)
    declare("objection.submit", label=_("提出异议"), anonymous=True)
    declare("objection.answer", label=_("答复异议"), roles=CITY_DISTRICT, object_check=managed)

"""The registry's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py).

Every field is filled, with the values a browser mangles most easily: a date, a park, a multi-line text.
"""

from __future__ import annotations

import datetime as dt

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

from ..choices import ParkKind, ParkLevel
from ..models import Park
from .factories import EnterpriseFactory


def _park(ctx) -> Park:
    org = ctx.orgs["park_a"]
    return Park.objects.filter(organisation=org).first() or Park.objects.create(
        organisation=org, name=org.name, level=ParkLevel.MUNICIPAL, kind=ParkKind.DEMONSTRATION_BASE,
        district=ctx.orgs["heping"], operator="天津测试运营有限公司", address="天津市和平区测试路 1 号",
        area_sqm=12000, description="第一行简介\n第二行简介", designated_on=dt.date(2018, 6, 1))


def make_enterprise(ctx):
    _park(ctx)
    ent = EnterpriseFactory(name="天津往返测试文化传媒有限公司", district=ctx.orgs["heping"], park=ctx.orgs["park_a"],
                            address="天津市和平区南京路 2 号", legal_form="有限责任公司", ownership="private",
                            founded_on=dt.date(2020, 5, 6), former_names=["天津旧名甲有限公司", "天津旧名乙有限公司"],
                            business_scope="动漫设计；游戏开发\n广告设计、制作")
    user = ctx.users[Role.ENTERPRISE_USER]
    user.organisation = ent.organisation
    user.save(update_fields=["organisation"])
    return ent


register_edit_form("registry:enterprise_edit", make=make_enterprise,
                   roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.PARK_OPERATOR, Role.ENTERPRISE_USER))
register_edit_form("registry:park_edit", make=_park, roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER))

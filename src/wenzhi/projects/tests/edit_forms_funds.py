"""The funds, progress and promotion edit pages in the platform-wide "saved back unchanged" test."""

from __future__ import annotations

from decimal import Decimal

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form
from wenzhi.registry.tests.factories import EnterpriseFactory


def make_showcased_project(ctx):
    from .. import services
    from ..services.promotion import showcase_save

    ent = EnterpriseFactory(name="天津往返展示文化有限公司", district=ctx.orgs["heping"])
    project = services.project_create(actor=None, name="往返展示项目", owner=ent, description="第一行\n第二行")
    showcase_save(actor=None, project=project, pitch="面向投资机构的推介：\n数字文博沉浸式体验。", seeking=Decimal("12345678.90"))
    return project


register_edit_form("projects:showcase_edit", make=make_showcased_project,
                   roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER))

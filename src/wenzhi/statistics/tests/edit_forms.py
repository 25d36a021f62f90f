"""Statistics' edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form


def make_bulletin(ctx):
    from wenzhi.statistics.bulletin.services import bulletin_draft

    from .outputs_world import fill

    fill()
    return bulletin_draft(actor=ctx.users[Role.CITY_ADMIN], period="2018Q3")


def make_scheme(ctx):
    from wenzhi.statistics.assessment.services import ItemInput, assessment_scheme_save

    return assessment_scheme_save(actor=ctx.users[Role.CITY_ADMIN], year=2018, name="2018年度文化产业考核",
                                  note="第一行说明\n第二行说明", items=[
                                      ItemInput("value_added", "level", "60"), ItemInput("value_added", "growth", "25.5"),
                                      ItemInput("screens", "level", "14.5")])


register_edit_form("statistics:bulletin_edit", make=make_bulletin, roles=(Role.CITY_ADMIN,))
register_edit_form("statistics:assessment_edit", make=make_scheme, roles=(Role.CITY_ADMIN,))

"""Dashboard panels: scoped figures and charts, shown to officials only."""

from decimal import Decimal

import pytest

from wenzhi.core import hooks

from .. import services
from .conftest import reviewed

pytestmark = pytest.mark.django_db


def _panel(key):
    return next(p for p in hooks._panels if p.key == key)


def test_panels_count_in_scope(world, rf):
    services.project_create(actor=None, name="人工智能大数据虚拟现实平台", owner=world["ent_a"], description="人工智能",
                            planned_investment=Decimal(300_000_000), completed_investment=Decimal(100_000_000))
    services.project_create(actor=None, name="印刷厂改造", owner=world["ent_b"], planned_investment=Decimal(100_000_000))
    request = rf.get("/")
    request.user = world["users"]["city_admin"]
    figures = _panel("projects_figures").render(request)
    text = str(figures)
    assert "4.00" in text and "1.00" in text  # 亿元 planned / completed
    request.user = world["users"]["district_officer"]
    assert "3.00" in str(_panel("projects_figures").render(request))  # only 和平区's project
    assert _panel("projects_by_district").render(request) is None
    share = _panel("projects_intelligent").render(request)
    assert "100.0" in str(share)


def test_panels_visible_to_officials_only(world):
    reviewed(world)
    keys = {p.key for p in hooks.panels_for(world["users"]["enterprise_user"])}
    assert "projects_figures" not in keys
    assert "projects_figures" in {p.key for p in hooks.panels_for(world["users"]["park_operator"])}

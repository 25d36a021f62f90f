"""Dashboard panels the registry adds for each role."""

import pytest


@pytest.mark.django_db
def test_enterprise_user_dashboard_shows_own_enterprise(users, orgs):
    from django.test import Client

    from wenzhi.registry.models import Enterprise, EnterpriseYearFigure
    from wenzhi.registry.services import enterprise_create

    ent = enterprise_create(actor=users["city_admin"], name="天津文智演示传媒有限公司", district=orgs["heping"],
                            business_scope="动漫设计；网络游戏开发")
    Enterprise.objects.filter(pk=ent.pk).update(organisation=users["enterprise_user"].organisation)
    EnterpriseYearFigure.objects.create(enterprise=ent, year=2025, revenue="1234.50", employees=56)
    c = Client()
    c.force_login(users["enterprise_user"])
    body = c.get("/").content.decode()
    assert "天津文智演示传媒有限公司" in body and "1,234.50" in body
    assert 'data-panel="organisations"' not in body

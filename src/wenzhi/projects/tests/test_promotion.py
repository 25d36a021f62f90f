"""Export directory, showcase with investor interest reaching owner and district, fairs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .. import services
from ..models import InboxMessage, InvestorInterest
from ..services import promotion as svc

pytestmark = pytest.mark.django_db


def _project(world, export=True):
    p = services.project_create(actor=None, name="津门非遗动漫出海项目", owner=world["ent_a"], stage="incubating")
    p.export_oriented = export
    p.save(update_fields=["export_oriented"])
    return p


def test_export_directory(world):
    admin = world["users"]["city_admin"]
    d = svc.export_directory_create(actor=admin, year=2026)
    assert "2026" in d.name
    with pytest.raises(ValidationError):
        svc.export_directory_create(actor=admin, year=2026)
    with pytest.raises(ValidationError) as exc:
        svc.export_entry_add(actor=admin, directory=d, project=_project(world, export=False))
    assert "未标记为文化出口项目" in exc.value.message_dict["project"][0]
    with pytest.raises(ValidationError):
        svc.export_directory_publish(actor=admin, directory=d)
    svc.export_entry_add(actor=admin, directory=d, project=_project(world), markets="东南亚、欧洲")
    assert svc.export_directory_publish(actor=admin, directory=d).published_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        svc.export_directory_create(actor=world["users"]["district_officer"], year=2027)


def test_interest_reaches_owner_and_district(world):
    p = _project(world)
    with pytest.raises(ValidationError):  # not on the showcase yet
        svc.interest_submit(project=p, investor_name="王经理", organisation="京津冀文化基金", email="w@example.com")
    svc.showcase_save(actor=world["users"]["district_officer"], project=p, pitch="非遗动漫内容出海，寻求 A 轮投资。",
                      seeking=Decimal(20000000))
    with pytest.raises(ValidationError) as exc:
        svc.interest_submit(project=p, investor_name="", organisation="京津冀文化基金", email="not-an-email")
    assert set(exc.value.message_dict) == {"investor_name", "email"}
    assert InvestorInterest.objects.count() == 0
    svc.interest_submit(project=p, investor_name="王经理", organisation="京津冀文化基金", email="w@example.com",
                        amount=Decimal(5000000), message="希望实地考察")
    orgs = set(InboxMessage.objects.filter(kind="interest").values_list("organisation", flat=True))
    assert orgs == {world["ent_a"].organisation_id, p.district_id}


def test_fair_with_projects_and_investors(world):
    admin = world["users"]["city_admin"]
    p = _project(world)
    fair = svc.fair_create(actor=admin, name="2026 京津冀文化产业项目推介会", held_on=dt.date(2026, 9, 1),
                           venue="天津梅江会展中心", projects=[p])
    with pytest.raises(ValidationError):
        svc.fair_add_project(actor=admin, fair=fair, project=p)
    svc.interest_submit(project=p, fair=fair, investor_name="李总", organisation="北京文投", email="l@example.com")
    assert fair.interests.count() == 1
    other = services.project_create(actor=None, name="不在推介会的项目", owner=world["ent_b"])
    with pytest.raises(ValidationError):
        svc.interest_submit(project=other, fair=fair, investor_name="李总", organisation="北京文投",
                            email="l@example.com")


def test_export_directory_list_searches_through_the_index(world, django_capture_on_commit_callbacks):
    """The directory list's ``q`` goes through core's search index: a directory is found by its name and by the
    projects, owners and markets it lists; the public finds published directories only, the city its drafts
    too; a bad year is a 400 naming the field."""
    from django.test import Client
    from django.urls import reverse

    admin = world["users"]["city_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        published = svc.export_directory_create(actor=admin, year=2025)
        svc.export_entry_add(actor=admin, directory=published, project=_project(world), markets="东南亚、中东欧")
        svc.export_directory_publish(actor=admin, directory=published)
        draft = svc.export_directory_create(actor=admin, year=2026, description="数字文旅出海")
    url = reverse("projects:export_directory_list")
    city, public = Client(), Client()
    city.force_login(admin)

    def found(client, query: dict) -> set[int]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {d.pk for d in response.context["directories"]}

    assert found(city, {"q": "中东欧"}) == {published.pk}  # a market of a listed project
    assert found(public, {"q": "非遗动漫"}) == {published.pk}  # a listed project's name
    assert found(city, {"q": "数字文旅"}) == {draft.pk}
    assert found(public, {"q": "数字文旅"}) == set()  # a draft is not public
    assert found(city, {"q": "出海", "year": 2026}) == {draft.pk}
    assert found(city, {"q": "没有这样的目录"}) == set()
    bad = city.get(url, {"year": "12"})
    assert bad.status_code == 400 and "年度" in bad.content.decode()

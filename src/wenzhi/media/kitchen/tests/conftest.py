"""Kitchen fixtures: a published key-project list in the database (built as rows, the way the projects app leaves
them once a list is published) and the statistics test world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wenzhi.core.choices import Role


def publish_list(year: int, picks: list[tuple[str, str, str]], *, level: str = "city") -> object:
    """A city call of ``year`` with its published final list: ``picks`` = [(title, district name, outcome)]."""
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation
    from wenzhi.projects.models import Application, Call, Decision, PublicNotice
    from wenzhi.registry.tests.factories import EnterpriseFactory

    now = timezone.now()
    call = Call.objects.create(name=f"{year}年度重点项目", year=year, level=level, opens_at=now - dt.timedelta(days=90),
                               closes_at=now - dt.timedelta(days=60), review_deadline=now - dt.timedelta(days=30),
                               rubric=[])
    for rank, (title, district_name, outcome) in enumerate(picks, start=1):
        district = Organisation.objects.get(level=Level.DISTRICT, name=district_name)
        ent = EnterpriseFactory(district=district)
        ent.sector = "creative_design" if rank % 2 else "animation_games"
        type(ent).objects.filter(pk=ent.pk).update(sector=ent.sector)
        app = Application.objects.create(call=call, enterprise=ent, district=district, title=title,
                                         planned_investment=Decimal(50_000_000), status="decided")
        Decision.objects.create(application=app, outcome=outcome, reason="测试", rank=rank)
    today = timezone.localdate()
    PublicNotice.objects.create(call=call, title=f"{year}公示", opens_on=today - dt.timedelta(days=20),
                                closes_on=today - dt.timedelta(days=10), status="published", published_at=now)
    return call


@pytest.fixture
def editor(users):
    return users[Role.MEDIA_EDITOR]


@pytest.fixture
def admin(users):
    return users[Role.CITY_ADMIN]


@pytest.fixture
def citizen(users):
    return users[Role.PUBLIC]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """Requests in English leave English active in this thread: give the tests that follow the default back."""
    from django.utils import translation

    yield
    translation.deactivate()

"""Projects fixtures: enterprises in two districts (the enterprise user's own in 和平区), an open call, and
helpers that walk an application through the path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenzhi.core.choices import Role
from wenzhi.core.services import user_create
from wenzhi.registry.models import Park
from wenzhi.registry.tests.factories import EnterpriseFactory

from .. import services

PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def pdf(name: str = "plan.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "licence.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def world(orgs, users):
    park_a = Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name, level="municipal",
                                 kind="industrial_park", district=orgs["heping"])
    ent_a = EnterpriseFactory(name="天津和平甲数字文化有限公司", district=orgs["heping"], park=orgs["park_a"])
    users["enterprise_user"].organisation = ent_a.organisation
    users["enterprise_user"].save(update_fields=["organisation"])
    ent_b = EnterpriseFactory(name="天津滨海乙动漫科技有限公司", district=orgs["binhai"])
    expert2 = user_create(username="u_expert_2", password=None, roles=[Role.EXPERT_REVIEWER],
                          organisation=orgs["binhai"])
    expert3 = user_create(username="u_expert_3", password=None, roles=[Role.EXPERT_REVIEWER], organisation=None)
    now = timezone.now()
    call = services.call_create(actor=users["city_admin"], name="2026 年市级重点文化产业项目申报", year=2026,
                                opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10),
                                review_deadline=now + dt.timedelta(days=20), budget=Decimal("50000000"),
                                questions=[{"key": "jobs", "label": "带动就业人数", "required": True}])
    return {"orgs": orgs, "users": users, "park_a": park_a, "ent_a": ent_a, "ent_b": ent_b, "call": call,
            "experts": [users["expert_reviewer"], expert2, expert3]}


def draft(world, *, enterprise=None, title="津门数字文博沉浸式体验项目", actor=None):
    """A complete draft of ``enterprise`` (default: the enterprise user's own) with both attachments."""
    enterprise = enterprise or world["ent_a"]
    app = services.application_save(
        actor=actor, call=world["call"], enterprise=enterprise,
        data={"title": title, "summary": "运用虚拟现实和人工智能技术打造沉浸式数字文博体验空间，服务市民与游客。",
              "planned_investment": Decimal("12000000"), "requested_amount": Decimal("2000000"),
              "answers": {"jobs": "120"}})
    services.application_attach(actor=actor, application=app, kind="plan", uploaded=pdf())
    services.application_attach(actor=actor, application=app, kind="licence", uploaded=png())
    return app


def reviewed(world, *, scores=(8, 9, 7, 8)):
    """A submitted, district-recommended application with the three experts' submitted reviews."""
    users = world["users"]
    app = draft(world, actor=users["enterprise_user"])
    app = services.application_submit(actor=users["enterprise_user"], application=app)
    app = services.district_review(actor=users["district_officer"], application=app, recommend=True, opinion="同意推荐")
    for i, expert in enumerate(world["experts"]):
        services.expert_assign(actor=users["city_admin"], application=app, expert=expert)
        values = dict(zip(["culture", "intelligence", "market", "feasibility"], [s - i for s in scores], strict=True))
        services.review_save(actor=expert, application=app, scores=values, submit=True)
    app.refresh_from_db()
    return app

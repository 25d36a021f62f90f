"""Authorization matrix of opinion monitoring, generated from the permission table (see ``core.testing``).

Each page and API endpoint of this app × user (every role, the other district's officer, anonymous) × method is
its own case; the expected answer comes from ``can(user, action, row)``. The alert lies in 和平区, so the
district officer sees it and the other district's officer must get 403 or 404.
"""

import pytest
from django.utils import timezone

from wenzhi.core.testing import (
    MATRIX_USERS,
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    module_data,
    project_routes,
)

SAMPLES = {
    "watch:alert_detail": "alert", "watch:alert_step": "alert", "watch:rule_edit": "rule",
    "watch:webhook_edit": "webhook", "watch:report_docx": "report", "watch:report_pdf": "report",
    "opinion-alert-detail": "alert", "opinion-alert-step": "alert", "opinion-rule-detail": "rule",
    "opinion-notification-detail": "notification", "opinion-report-detail": "report",
}
PREFIXES = ("watch:", "opinion-")


def _routes():
    return [r for r in sorted(project_routes(), key=lambda r: r.name) if r.name.startswith(PREFIXES)]


def _params():
    return [pytest.param(r, user, method, act, SAMPLES.get(r.name), id=f"{r.name}-{user}-{method}")
            for r in _routes() for method, act in r.methods for user in MATRIX_USERS]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.core.files.base import ContentFile

    from wenzhi.media.models import Document, Source

    from .. import services
    from ..models import Notification, OpinionReport, Webhook

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        editor = users["media_editor"]
        source = Source.objects.create(name="矩阵源", kind="rss")
        doc = Document.objects.create(source=source, title="矩阵剧场事故", published_at=timezone.now(),
                                      district=orgs["heping"], sentiment="negative", sentiment_score=0.1)
        webhook = Webhook.objects.create(name="矩阵", url="http://127.0.0.1:9/", secret="x" * 20)
        rule = services.rule_save(actor=editor, data={"name": "矩阵规则", "kind": "keyword", "keywords": ["事故"]})
        (alert,) = services.alerts_evaluate(document_ids=[doc.pk])
        notification = Notification.objects.filter(user=users["district_officer"]).first()
        report = OpinionReport.objects.create(kind="daily", period_start=timezone.localdate(),
                                              period_end=timezone.localdate(), title="矩阵日报")
        report.docx.save("m.docx", ContentFile(b"docx"), save=False)
        report.pdf.save("m.pdf", ContentFile(b"%PDF-1.4"), save=True)
        rows = {"alert": alert, "rule": rule, "webhook": webhook, "report": report, "notification": notification}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_route_with_an_id_has_a_sample_row():
    assert [r.name for r in _routes() if r.params and r.name not in SAMPLES] == []
    assert len(_routes()) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), _params())
def test_watch_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])

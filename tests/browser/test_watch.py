"""An opinion alert as people click it: a stored document raises it (through the documents_stored signal and the
rule engine), the media editor assigns it to 和平区's officer, who acknowledges it and answers with the official
response, and the editor closes it; the handling record shows every step."""

import pytest
from django.db import transaction
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def raised_alert(users, heping):
    from wenzhi.media.models import Document, Source
    from wenzhi.media.signals import documents_stored
    from wenzhi.media.watch import services
    from wenzhi.media.watch.models import Alert

    services.rule_save(actor=users["media_editor"], data={"name": "演出安全", "kind": "keyword",
                                                          "keywords": ["踩踏"], "severity": "critical"})
    source = Source.objects.create(name="浏览器测试源", kind="rss")
    with transaction.atomic():
        doc = Document.objects.create(source=source, title="某剧场散场时发生踩踏", text="现场秩序混乱",
                                      published_at=timezone.now(), district=heping)
        transaction.on_commit(lambda: documents_stored.send(sender=Source, document_ids=[doc.pk],
                                                            source_id=source.pk))
    return Alert.objects.get()


def _step(page, step: str, **fields):
    page.select_option("[data-testid=step]", step)
    for name, value in fields.items():
        if name == "unit":
            page.select_option("select[name=unit]", label=value)
        else:
            page.fill(f"[name={name}]", value)
    page.click("[data-testid=do-step]")
    page.wait_for_load_state("networkidle")


def test_alert_raised_assigned_answered_closed(page, live_server, login, raised_alert):
    login("u_media_editor")
    page.click("nav.sidenav a[data-nav=watch_alerts]")
    page.click("text=某剧场散场时发生踩踏")
    assert page.inner_text("[data-testid=state]") == "新预警"
    _step(page, "assign", unit="和平区", comment="请核实")
    assert page.inner_text("[data-testid=state]") == "已分派"
    alert_url = page.url
    page.context.clear_cookies()

    login("u_district_officer")
    page.goto(alert_url)
    _step(page, "acknowledge")
    assert page.inner_text("[data-testid=state]") == "已签收"
    _step(page, "answer", response="经核实，现场已疏导，无人员受伤，剧场已加强散场引导。")
    assert "无人员受伤" in page.inner_text("[data-testid=response]")
    page.context.clear_cookies()

    login("u_media_editor")
    page.goto(alert_url)
    _step(page, "close", comment="答复已发布")
    assert page.inner_text("[data-testid=state]") == "已办结"
    history = page.inner_text("[data-testid=history]")
    for label in ("触发预警", "分派", "签收", "答复", "办结"):
        assert label in history

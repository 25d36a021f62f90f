"""Raising alerts from stored documents (through the documents_stored signal), joining open alerts, notifying,
and the handling state machine with its audit, times, permissions and response-time figures."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.media.signals import documents_stored
from wenzhi.media.watch import selectors, services
from wenzhi.media.watch.models import Alert, AlertRule, Delivery, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(users):
    return services.rule_save(actor=users["media_editor"], data={
        "name": "演出安全", "kind": "keyword", "keywords": "踩踏，事故、停演", "severity": "critical",
        "email_to": ["duty@example.test"]})


def test_a_stored_batch_raises_an_alert_through_the_signal(rule, make_doc, users, heping,
                                                           django_capture_on_commit_callbacks):
    doc = make_doc("某剧场演出中途发生踩踏事故", "现场秩序混乱", district=heping)
    quiet = make_doc("文化惠民演出圆满落幕")
    with django_capture_on_commit_callbacks(execute=True):
        documents_stored.send(sender=None, document_ids=[doc.pk, quiet.pk], source_id=doc.source_id)
    alert = Alert.objects.get()
    assert alert.title == doc.title and alert.district == heping and alert.severity == "critical"
    assert alert.reason == "命中关键词：事故、踩踏"
    assert list(alert.documents.all()) == [doc]
    assert alert.first_arrived_at == doc.fetched_at and alert.raised_at >= doc.fetched_at
    # In the app: the media editor and the district's officer (the rule names nobody); by e-mail: the duty list.
    assert {n.user for n in Notification.objects.all()} == {users["media_editor"], users["district_officer"]}
    assert [m.to for m in mail.outbox] == [["duty@example.test"]]
    assert Delivery.objects.get().status == "delivered"


def test_the_same_story_joins_the_open_alert_and_a_closed_one_lets_a_new_one_rise(rule, make_doc, users):
    first = make_doc("景区发生事故")
    services.alerts_evaluate(document_ids=[first.pk])
    again = make_doc("景区事故续报")
    assert services.alerts_evaluate(document_ids=[again.pk]) != []  # another story: its own alert
    from wenzhi.media.models import DuplicateGroup

    group = DuplicateGroup.objects.create(title="景区事故")
    copies = [make_doc("景区事故转载", group=group) for _ in range(3)]
    (alert,) = services.alerts_evaluate(document_ids=[c.pk for c in copies[:2]])
    assert services.alerts_evaluate(document_ids=[copies[2].pk]) == []
    alert.refresh_from_db()
    assert alert.document_count == 3
    editor = users["media_editor"]
    services.alert_step(actor=editor, alert=alert, step="dismiss", comment="重复转载")
    assert len(services.alerts_evaluate(document_ids=[copies[2].pk])) == 1


def test_handling_path_is_timed_audited_and_scoped(rule, make_doc, users, heping, binhai):
    doc = make_doc("博物馆展品损坏事故", district=heping)
    (alert,) = services.alerts_evaluate(document_ids=[doc.pk])
    editor, officer, other = users["media_editor"], users["district_officer"], users["other_district"]
    assert selectors.alerts_for(officer).filter(pk=alert.pk).exists()
    assert not selectors.alerts_for(other).filter(pk=alert.pk).exists()
    with pytest.raises(PermissionDenied):
        services.alert_step(actor=officer, alert=alert, step="assign", unit=heping)
    with pytest.raises(ValidationError) as err:
        services.alert_step(actor=editor, alert=alert, step="answer", response="已处理完毕")
    assert "不能“答复”" in str(err.value)
    with pytest.raises(ValidationError):
        services.alert_step(actor=editor, alert=alert, step="assign", unit=heping, assignee=other)
    services.alert_step(actor=editor, alert=alert, step="assign", unit=heping, assignee=officer, comment="请核实")
    assert Notification.objects.filter(user=officer, text__endswith="分派").exists()
    with pytest.raises(PermissionDenied):
        services.alert_step(actor=other, alert=alert, step="acknowledge")
    services.alert_step(actor=officer, alert=alert, step="acknowledge")
    with pytest.raises(ValidationError) as err:
        services.alert_step(actor=officer, alert=alert, step="answer", response=" ")
    assert "官方回应" in str(err.value)
    services.alert_step(actor=officer, alert=alert, step="answer", response="经核实，展品已修复，馆方已向公众说明。")
    with pytest.raises(PermissionDenied):
        services.alert_step(actor=officer, alert=alert, step="close")
    services.alert_step(actor=editor, alert=alert, step="close", comment="答复已发布")
    alert.refresh_from_db()
    assert alert.state == "closed" and alert.response.startswith("经核实")
    assert alert.assigned_at and alert.acknowledged_at and alert.answered_at and alert.closed_at
    assert alert.raised_at <= alert.assigned_at <= alert.acknowledged_at <= alert.answered_at <= alert.closed_at
    steps = [(s.transition, s.from_state, s.to_state, s.actor) for s in alert.steps.all()]
    assert steps == [("raise", "", "new", None), ("assign", "new", "assigned", editor),
                     ("acknowledge", "assigned", "acknowledged", officer),
                     ("answer", "acknowledged", "answered", officer), ("close", "answered", "closed", editor)]
    (row,) = selectors.response_figures(editor)
    assert row["unit"] == "和平区" and row["total"] == 1 and row["open"] == 0
    assert row["answer"]["n"] == 1 and row["close"]["median"] >= row["answer"]["median"] >= 0


def test_rule_input_is_checked_by_field(users, source):
    editor = users["media_editor"]
    with pytest.raises(ValidationError) as err:
        services.rule_save(actor=editor, data={"name": "空", "kind": "keyword", "keywords": " , "})
    assert "keywords" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.rule_save(actor=editor, data={"name": "对象", "kind": "entity", "entity_kind": "enterprise",
                                               "entity_id": 999999})
    assert "entity_id" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.rule_save(actor=editor, data={"name": "邮件", "kind": "source", "source": source,
                                               "email_to": "not-an-address"})
    assert "email_to" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.rule_save(actor=users["district_officer"], data={"name": "x", "kind": "sentiment"})
    assert not AlertRule.objects.exists()


def test_volume_spike_of_a_district(users, make_doc, heping, hours_ago):
    services.rule_save(actor=users["city_admin"], data={"name": "区域声量", "kind": "volume_spike",
                                                        "entity_kind": "district", "min_count": 3,
                                                        "spike_factor": 2})
    for h in (30, 60, 200):  # three documents in the two weeks before: a quiet district
        make_doc("旧闻", district=heping, published_at=hours_ago(h))
    today = [make_doc(f"今日消息{i}", district=heping) for i in range(3)]
    (alert,) = services.alerts_evaluate(document_ids=[d.pk for d in today])
    assert alert.title == "和平区声量突增" and alert.entity_kind == "district" and alert.district == heping
    assert alert.evidence["current"] == 3 and alert.evidence["baseline_total"] == 3


def _queries(run) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx.captured_queries)


def test_a_batch_raises_its_alerts_with_as_many_queries_for_thirty_matches_as_for_four(
        rule, make_doc, users, heping, binhai, django_capture_on_commit_callbacks):
    rule.webhooks.add(services.webhook_save(actor=users["media_editor"], data={
        "name": "合作方", "url": "http://127.0.0.1:9/hook", "secret": "s" * 16}))
    few = [make_doc(f"剧场踩踏{i}", district=heping if i % 2 else binhai) for i in range(4)]
    many = [make_doc(f"景区事故{i}", district=heping if i % 2 else binhai) for i in range(30)]
    with django_capture_on_commit_callbacks() as sent:  # the deliveries' task is left unsent here
        cost_few = _queries(lambda: services.alerts_evaluate(document_ids=[d.pk for d in few]))
        cost_many = _queries(lambda: services.alerts_evaluate(document_ids=[d.pk for d in many]))
    # (up to SQLite's 999 parameters a statement: Django splits larger bulk inserts)
    assert cost_many == cost_few and len(sent) == 2  # one delivery task per batch
    assert Alert.objects.count() == 34
    # Every alert: its document, its raise step, the editor and its own district's officer, an e-mail, a webhook.
    for alert in Alert.objects.all():
        assert [d.title for d in alert.documents.all()] == [alert.title] and alert.document_count == 1
        assert list(alert.steps.values_list("transition", flat=True)) == ["raise"]
        officer = users["district_officer"] if alert.district == heping else users["other_district"]
        assert {n.user for n in alert.notifications.all()} == {users["media_editor"], officer}
        assert sorted(alert.deliveries.values_list("channel", flat=True)) == ["email", "webhook"]
    # The same documents again: each joins its open alert, where it is already counted; none is raised.
    assert services.alerts_evaluate(document_ids=[d.pk for d in few + many]) == []
    assert Alert.objects.count() == 34 and set(Alert.objects.values_list("document_count", flat=True)) == {1}


def test_a_broken_match_leaves_the_others_of_its_batch_raised(rule, make_doc, monkeypatch):
    from django.db import DatabaseError

    from wenzhi.media.watch.services import alerts as module

    docs = [make_doc("展馆事故甲"), make_doc("展馆事故乙"), make_doc("展馆事故丙")]
    real = module._raise

    def fail_on_second(batch, matches):
        if any(m.documents[0].title == "展馆事故乙" for m in matches):
            raise DatabaseError("broken")
        return real(batch, matches)

    monkeypatch.setattr(module, "_raise", fail_on_second)
    with pytest.raises(DatabaseError):
        services.alerts_evaluate(document_ids=[d.pk for d in docs])
    assert sorted(Alert.objects.values_list("title", flat=True)) == ["展馆事故丙", "展馆事故甲"]

"""Webhooks: signed (the receiver's check accepts the body and refuses a changed one), retried with back-off
while the target is down or answers an error or a redirect, given up after the last attempt, the target's
health recorded; nothing is lost in between."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from wenzhi.media.watch import notify, services
from wenzhi.media.watch.models import Delivery, Webhook
from wenzhi.media.watch.services.schedule import deliveries_due

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


class Receiver:
    """A local HTTP server that answers each POST with the next status of ``answers`` and keeps what it got."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.got: list = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append((dict(self.headers), body))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                if code in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory():
    made = []

    def make(answers=()):
        r = Receiver(answers)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def test_signature_round_trip_and_tampering():
    body = b'{"a": 1}'
    header = notify.sign(SECRET, body, timestamp=1_000_000)
    assert notify.verify_signature(SECRET, header, body, now=1_000_010)
    assert not notify.verify_signature(SECRET, header, b'{"a": 2}', now=1_000_010)
    assert not notify.verify_signature("other", header, body, now=1_000_010)
    assert not notify.verify_signature(SECRET, header, body, now=1_000_000 + 3600)  # replayed an hour later
    assert not notify.verify_signature(SECRET, "garbage", body)


def _alert_with_webhook(users, make_doc, url):
    editor = users["media_editor"]
    hook = services.webhook_save(actor=editor, data={"name": "合作方", "url": url, "secret": SECRET})
    services.rule_save(actor=editor, data={"name": "负面", "kind": "keyword", "keywords": ["退票难"],
                                           "webhooks": [hook]})
    (alert,) = services.alerts_evaluate(document_ids=[make_doc("剧院退票难引发不满").pk])
    return hook, alert


def test_webhook_is_signed_and_delivered(users, make_doc, receiver_factory, django_capture_on_commit_callbacks):
    r = receiver_factory()
    with django_capture_on_commit_callbacks(execute=True):
        hook, alert = _alert_with_webhook(users, make_doc, r.url)
    ((headers, body),) = r.got
    assert notify.verify_signature(SECRET, headers["X-Wenzhi-Signature"], body)
    data = json.loads(body)
    assert data["event"] == "alert.raised" and data["alert"]["id"] == alert.pk
    assert headers["X-Wenzhi-Delivery"] == str(data["delivery"])
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_status_code == 200
    hook.refresh_from_db()
    assert hook.last_success_at is not None


def test_down_target_is_retried_with_back_off_then_delivered(users, make_doc, receiver_factory,
                                                             django_capture_on_commit_callbacks):
    r = receiver_factory([503, 302])
    with django_capture_on_commit_callbacks(execute=True):
        hook, _alert = _alert_with_webhook(users, make_doc, r.url)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 503")
    hook.refresh_from_db()
    assert hook.last_error == "HTTP 503" and hook.last_error_at is not None
    first_retry = delivery.next_attempt_at
    assert dt.timedelta(seconds=25) < first_retry - timezone.now() <= dt.timedelta(seconds=30)
    assert deliveries_due(timezone.now()) == 0  # not due yet
    deliveries_due(first_retry + dt.timedelta(seconds=1))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 2, "HTTP 302")  # no redirects
    assert delivery.next_attempt_at - first_retry > dt.timedelta(seconds=100)
    deliveries_due(delivery.next_attempt_at + dt.timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    bodies = {body for _h, body in r.got}
    assert len(bodies) == 1  # the same signed body each time, so the receiver can drop repeats


def test_unreachable_target_is_given_up_after_the_last_attempt(users, make_doc):
    hook, _alert = _alert_with_webhook(users, make_doc, "http://127.0.0.1:9/closed-port")
    delivery = Delivery.objects.get()
    when = timezone.now()
    for _ in range(notify.MAX_ATTEMPTS):
        when += dt.timedelta(hours=7)
        deliveries_due(when)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == notify.MAX_ATTEMPTS
    assert "URLError" in delivery.last_error or "ConnectionRefused" in delivery.last_error
    assert Webhook.objects.get(pk=hook.pk).last_error

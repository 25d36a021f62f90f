"""Sending alerts out of the platform: e-mail through Django's mail backend, webhooks as signed JSON POSTs.

Every message is a :class:`~wenzhi.media.watch.models.Delivery` row first (written with the alert, in its
transaction), then sent by a task; a failure is kept with its error and tried again after a growing pause
(``BACKOFF``) until ``MAX_ATTEMPTS``, so a partner that is down for an hour loses nothing.

Webhook signature (Stripe's scheme): ``X-Wenzhi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<body>" with the webhook's secret>``; ``X-Wenzhi-Delivery`` is the delivery's id (the same on every retry,
so the receiver can drop repeats) and ``X-Wenzhi-Event`` the event name. :func:`verify_signature` is the
receiver's side, used by the tests and given to partners as the reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .choices import Channel, DeliveryStatus
from .models import Delivery, Webhook

BACKOFF_SECONDS = (30, 120, 600, 3600, 6 * 3600)  # pause after the 1st, 2nd, … failed attempt
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
TIMEOUT_SECONDS = 10
SIGNATURE_TOLERANCE = 300  # seconds a receiver accepts between the signature's time and its clock


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-Wenzhi-Signature`` header value for ``body``."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None,
                     tolerance: int = SIGNATURE_TOLERANCE) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and is recent (constant-time comparison)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook answer that redirects is a failure: the signed body is never re-posted elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` and return the HTTP status; raises OSError (URLError, timeout) when nothing answers."""
    if not url.startswith(("http://", "https://")):
        raise ValueError("webhook URL must be http(s)")
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 - scheme checked above
                                     headers={"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _send_webhook(delivery: Delivery) -> int:
    webhook = delivery.webhook
    assert webhook is not None
    body = json.dumps({"event": delivery.event, "delivery": delivery.pk, **delivery.payload},
                      ensure_ascii=False, sort_keys=True).encode()
    headers = {"X-Wenzhi-Signature": sign(webhook.secret, body), "X-Wenzhi-Event": delivery.event,
               "X-Wenzhi-Delivery": str(delivery.pk), "User-Agent": "Wenzhi-Webhook/1"}
    return post_json(webhook.url, body, headers)


def _send_email(delivery: Delivery) -> int:
    payload = delivery.payload
    send_mail(payload.get("subject", ""), payload.get("body", ""), settings.DEFAULT_FROM_EMAIL, [delivery.target])
    return 250


def _record(delivery: Delivery, *, ok: bool, code: int | None, error: str, now: dt.datetime) -> None:
    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = error[:300]
    if ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + dt.timedelta(seconds=BACKOFF_SECONDS[delivery.attempts - 1])
    delivery.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at",
                                 "next_attempt_at"])
    if delivery.webhook_id:
        fields = {"last_success_at": now} if ok else {"last_error_at": now, "last_error": error[:300]}
        Webhook.objects.filter(pk=delivery.webhook_id).update(**fields)


def attempt(delivery_id: int, now: dt.datetime | None = None) -> Delivery | None:
    """Try one pending delivery once (if it is due) and record the outcome; None when nothing was due.

    The row is claimed by moving its next attempt a little into the future first, so two workers never send
    the same message at the same moment."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING,
                                          next_attempt_at__lte=now).update(
            next_attempt_at=now + dt.timedelta(seconds=TIMEOUT_SECONDS * 3))
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    code: int | None = None
    try:
        if delivery.channel == Channel.WEBHOOK:
            code = _send_webhook(delivery)
            ok, error = 200 <= code < 300, "" if 200 <= code < 300 else f"HTTP {code}"
        else:
            code = _send_email(delivery)
            ok, error = True, ""
    except Exception as exc:  # noqa: BLE001 - any failure of the far side is recorded and retried
        ok, error = False, f"{type(exc).__name__}: {exc}"
    _record(delivery, ok=ok, code=code, error=error, now=now)
    return delivery


def retry_after(delivery: Delivery) -> dt.datetime | None:
    """When a pending delivery should be tried again (None once delivered or given up)."""
    return delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None

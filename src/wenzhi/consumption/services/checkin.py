"""E-tickets and entry: the signed QR token, check-in by scan, and the offline list a gate syncs back.

A ticket's QR code carries ``signing.dumps({"t": id, "s": secret})`` (HMAC under the secret key): a forged
code fails the signature, a copied one is the same ticket, and the ``CheckIn`` row is unique per ticket, so
the second scan — online or from a gate's offline list synced later — is refused with the time of the first.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import segno
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from wenzhi.core.permissions import can, require

from ..choices import CheckInSource, TicketStatus
from ..models import CheckIn, Session, Ticket

SALT = "wenzhi.consumption.ticket"


def ticket_token(ticket: Ticket) -> str:
    """The text inside the ticket's QR code. Not compressed: zlib never shortens an id and 24 hex digits, and
    ``signing.dumps`` keeps the longer form then (the text is the same; the attempt cost a quarter of the time)."""
    return signing.dumps({"t": ticket.pk, "s": ticket.secret}, salt=SALT)


def ticket_qr_svg(ticket: Ticket) -> str:
    """The QR code as an inline SVG (no image service needed)."""
    return segno.make(ticket_token(ticket), error="m").svg_inline(scale=4, border=2)


def offline_key(ticket: Ticket) -> str:
    """What a gate's offline list keeps per ticket: a hash of the token, so the list itself is no ticket."""
    return hashlib.sha256(ticket_token(ticket).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class ScanResult:
    """The door's answer: ``ok`` lets the visitor in; ``message`` is what the scanner shows."""

    ok: bool
    message: str
    ticket: Ticket | None = None
    duplicate: bool = False


def _ticket_for(token: str) -> tuple[Ticket | None, str]:
    try:
        data = signing.loads(token.strip(), salt=SALT)
        ticket = Ticket.objects.select_related("session__hall__venue", "seat__section", "session__event").get(
            pk=int(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Ticket.DoesNotExist):
        return None, gettext("无效票码：签名校验失败，不是本平台出具的电子票。")
    if not hmac.compare_digest(ticket.secret, str(data.get("s", ""))):
        return None, gettext("无效票码：签名校验失败，不是本平台出具的电子票。")
    return ticket, ""


def ticket_check_in(*, actor, token: str, session: Session | None = None, device: str = "",
                    source: str = CheckInSource.ONLINE, at: datetime | None = None) -> ScanResult:
    """Admit the holder of ``token`` once. Refused (with the reason): a forged code, another session's ticket,
    a ticket not paid or refunded, a ticket already admitted (and when)."""
    require(actor, "consumption.checkin")
    ticket, why = _ticket_for(token)
    if ticket is None:
        return ScanResult(False, why)
    if not can(actor, "consumption.checkin", ticket.session):
        return ScanResult(False, gettext("这张票不属于您管理的场馆。"), ticket)
    if session is not None and ticket.session_id != session.pk:
        return ScanResult(False, gettext("这张票是另一场次的：%(s)s。") % {"s": ticket.session}, ticket)
    if ticket.status != TicketStatus.VALID:
        return ScanResult(False, gettext("票已%(status)s，不能入场。") % {"status": ticket.get_status_display()}, ticket)
    try:
        with transaction.atomic(durable=True):
            CheckIn.objects.create(ticket=ticket, at=at or timezone.now(), source=source, device=device[:60],
                                   actor=actor)
    except IntegrityError:
        first = CheckIn.objects.get(ticket=ticket)
        return ScanResult(False, gettext("重复入场：这张票已于 %(at)s 检票（%(how)s）。") % {
            "at": timezone.localtime(first.at).strftime("%H:%M:%S"), "how": first.get_source_display()},
            ticket, duplicate=True)
    return ScanResult(True, gettext("验票通过：%(seat)s。") % {"seat": ticket.seat}, ticket)


def offline_list(*, actor, session: Session) -> list[dict]:
    """The list a gate downloads before the doors open (works without the network); it marks the tickets
    already admitted so the gate refuses them too."""
    require(actor, "consumption.checkin", session)
    tickets = (Ticket.objects.filter(session=session, status=TicketStatus.VALID)
               .select_related("seat__section", "check_in").order_by("pk"))
    return [{"key": offline_key(t), "ticket": t.pk, "seat": str(t.seat),
             "checked_in": hasattr(t, "check_in")} for t in tickets]


def offline_sync(*, actor, session: Session, device: str, scans: list) -> list[dict]:
    """Apply a gate's offline scans (``[{"token": ..., "scanned_at": iso}]``) once each; a scan synced twice,
    or admitted elsewhere meanwhile, comes back as ``duplicate`` and counts no second entry."""
    require(actor, "consumption.checkin", session)
    out = []
    for i, scan in enumerate(scans):
        token = str(scan.get("token", "")) if isinstance(scan, dict) else ""
        at = parse_datetime(str(scan.get("scanned_at", ""))) if isinstance(scan, dict) else None
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        result = ticket_check_in(actor=actor, token=token, session=session, device=device,
                                 source=CheckInSource.OFFLINE, at=at)
        status = "accepted" if result.ok else ("duplicate" if result.duplicate else "refused")
        out.append({"index": i, "status": status, "message": result.message,
                    "ticket": result.ticket.pk if result.ticket else None})
    return out

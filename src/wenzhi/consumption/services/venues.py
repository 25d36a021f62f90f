"""Venues, halls and seat maps. A map change is applied in one transaction that locks the hall, then the
session-seat rows of every seat it would remove or block, and refuses when any of them is sold or held."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.choices import Level
from wenzhi.core.permissions import require
from wenzhi.core.services import audited_save

from ..choices import SeatStatus
from ..models import Hall, PriceZone, Seat, Section, Session, SessionSeat, Ticket, Venue
from ..seatmaps import SeatSpec

VENUE_FIELDS = ("name", "kind", "district", "address", "description")
ZONE_COLORS = ["#c0392b", "#2f6fb0", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"]
PARKED_Y = 1_000_000  # retired seats' place off the drawing


def venue_create(*, actor, data: dict, managers=()) -> Venue:
    """A new venue; a venue operator creating one becomes its manager."""
    require(actor, "consumption.venue_manage")
    venue = Venue(**{k: v for k, v in data.items() if k in VENUE_FIELDS})
    if venue.district_id and venue.district.level != Level.DISTRICT:
        raise ValidationError({"district": gettext("所在区：请选择一个区。")})
    with transaction.atomic(durable=True):
        audited_save(venue, actor=actor)
        venue.managers.add(*managers)
        if actor.has_role("venue_operator"):
            venue.managers.add(actor)
    return venue


def venue_update(*, actor, venue: Venue, data: dict) -> Venue:
    require(actor, "consumption.venue_manage", venue)
    with transaction.atomic(durable=True):
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        changed = [k for k in VENUE_FIELDS if k in data and getattr(locked, k) != data[k]]
        for key in changed:
            setattr(locked, key, data[key])
        if changed:
            audited_save(locked, actor=actor, update_fields=changed)
    return locked


def hall_create(*, actor, venue: Venue, name: str, is_screen: bool = False) -> Hall:
    require(actor, "consumption.venue_manage", venue)
    name = name.strip()
    if not name:
        raise ValidationError({"name": gettext("厅名：不能为空。")})
    if Hall.objects.filter(venue=venue, name=name).exists():
        raise ValidationError({"name": gettext("厅名：本场馆已有“%(name)s”。") % {"name": name}})
    with transaction.atomic(durable=True):
        return audited_save(Hall(venue=venue, name=name, is_screen=is_screen), actor=actor)


def parse_zones(text: str) -> dict[str, tuple[str, str]]:
    """Zone lines ``A 一等座 #c0392b`` (the colour optional) → {code: (name, colour)}."""
    out: dict[str, tuple[str, str]] = {}
    for n, line in enumerate(text.replace("\r", "").split("\n"), start=1):
        parts = line.split()
        if not parts:
            continue
        code = parts[0].upper()
        if len(code) != 1 or not "A" <= code <= "Z" or len(parts) < 2:
            raise ValidationError({"zones": gettext("票档第 %(n)d 行：应为“字母 名称 [#颜色]”，如“A 一等座”。") % {"n": n}})
        color = parts[2] if len(parts) > 2 and parts[2].startswith("#") and len(parts[2]) == 7 else \
            ZONE_COLORS[len(out) % len(ZONE_COLORS)]
        out[code] = (parts[1][:40], color)
    return out


def _zones(hall: Hall, specs: list[SeatSpec], zones: dict[str, tuple[str, str]] | None) -> dict[str, PriceZone]:
    existing = {z.code: z for z in hall.zones.all()}
    wanted = dict(zones or {})
    for spec in specs:
        if spec.zone and spec.zone not in wanted and spec.zone not in existing:
            wanted[spec.zone] = (f"{spec.zone}档", ZONE_COLORS[len(wanted) % len(ZONE_COLORS)])
    for code, (name, color) in wanted.items():
        zone = existing.get(code) or PriceZone(hall=hall, code=code)
        if zone.pk is None or (zone.name, zone.color) != (name, color):
            zone.name, zone.color = name, color
            zone.save()
        existing[code] = zone
    return existing


def _sections(hall: Hall, specs: list[SeatSpec]) -> dict[str, Section]:
    existing = {s.name: s for s in hall.sections.all()}
    for order, name in enumerate(dict.fromkeys(s.section for s in specs)):
        if name not in existing:
            existing[name] = Section.objects.create(hall=hall, name=name, order=order)
    return existing


def _refuse_losses(hall: Hall, losing: list[Seat]) -> None:
    """Lock the session rows of seats about to be removed or blocked; refuse if any is sold or held."""
    if not losing:
        return
    now = timezone.now()
    # Sessions long over keep their tickets (the seat is retired, not deleted); only live ones can lose a seat.
    rows = list(SessionSeat.objects.select_for_update().filter(
        seat__in=losing, session__starts_at__gte=now - timedelta(hours=6)).filter(
        Q(status=SeatStatus.SOLD) | Q(status=SeatStatus.HELD, held_until__gte=now)).select_related(
        "seat__section", "session__event"))
    if rows:
        names = "；".join(f"{r.seat}（{r.session}，{r.get_status_display()}）" for r in rows[:10])
        more = gettext("等 %(n)d 个") % {"n": len(rows)} if len(rows) > 10 else ""
        raise ValidationError({"layout": gettext("座位图不能这样修改：会删除或停售已售出/锁定中的座位 %(names)s%(more)s。"
                                                 "请保留这些座位，或先办理退票。") % {"names": names, "more": more}})


def seat_map_apply(*, actor, hall: Hall, seats: list[SeatSpec],
                   zones: dict[str, tuple[str, str]] | None = None) -> dict:
    """Make ``hall``'s map exactly ``seats`` (matched to the current ones by section, row and number): move,
    re-zone and flag the kept seats, add new ones, remove the rest; open sessions gain new seats and lose
    removed or blocked ones. Refused, changing nothing, if a sold or held seat would be lost."""
    require(actor, "consumption.venue_manage", hall)
    with transaction.atomic(durable=True):
        return apply_map(hall, seats, zones)


def apply_map(hall: Hall, seats: list[SeatSpec], zones: dict[str, tuple[str, str]] | None = None) -> dict:
    """The body of :func:`seat_map_apply`, inside the caller's transaction (demo data calls it directly)."""
    hall = Hall.objects.select_for_update().get(pk=hall.pk)
    zone_of = _zones(hall, seats, zones)
    section_of = _sections(hall, seats)
    current = {s.key: s for s in Seat.objects.filter(hall=hall).select_related("section", "zone")}
    wanted = {s.key: s for s in seats}
    removed = [seat for key, seat in current.items() if key not in wanted and not seat.retired]
    blocking = [current[k] for k, s in wanted.items() if k in current and s.blocked and not current[k].blocked]
    _refuse_losses(hall, removed + blocking)
    # Park every kept seat off the drawing first, so seats may swap places without a unique clash.
    kept = [current[k] for k in wanted if k in current]
    Seat.objects.filter(pk__in=[s.pk for s in kept + removed]).update(x=0, y=PARKED_Y + F("id"))
    Seat.objects.filter(pk__in=[s.pk for s in removed]).update(blocked=True, retired=True)
    with_history = set(Ticket.objects.filter(seat__in=removed).values_list("seat_id", flat=True))
    SessionSeat.objects.filter(seat__in=removed + blocking).delete()
    Seat.objects.filter(pk__in=[s.pk for s in removed if s.pk not in with_history]).delete()
    for seat in kept:
        spec = wanted[seat.key]
        seat.x, seat.y, seat.zone = spec.x, spec.y, zone_of.get(spec.zone) if spec.zone else None
        seat.accessible, seat.blocked, seat.retired = spec.accessible, spec.blocked, False
    Seat.objects.bulk_update(kept, ["x", "y", "zone", "accessible", "blocked", "retired"], batch_size=500)
    new = Seat.objects.bulk_create([
        Seat(hall=hall, section=section_of[s.section], row_label=s.row, number=s.number, x=s.x, y=s.y,
             zone=zone_of.get(s.zone) if s.zone else None, accessible=s.accessible, blocked=s.blocked)
        for k, s in wanted.items() if k not in current], batch_size=500)
    opened = _open_new_seats(hall, [s for s in new if not s.blocked] + [
        s for s in kept if not s.blocked and current[s.key].blocked])
    Hall.objects.filter(pk=hall.pk).update(map_version=hall.map_version + 1)
    return {"seats": len(seats), "added": len(new), "removed": len(removed), "blocked": len(blocking),
            "sessions": opened}


def _open_new_seats(hall: Hall, seats: list[Seat]) -> int:
    """Put newly sellable seats on sale in the hall's sessions that have not started (without a quota)."""
    if not seats:
        return 0
    sessions = list(Session.objects.filter(hall=hall, starts_at__gt=timezone.now(), quota__isnull=True))
    SessionSeat.objects.bulk_create([SessionSeat(session=s, seat=seat) for s in sessions for seat in seats],
                                    batch_size=2000, ignore_conflicts=True)
    return len(sessions)

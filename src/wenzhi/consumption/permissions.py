"""Culture consumption's rows in the platform permission table, declared once.

Residents (and anyone signed in) browse, buy, pay for, cancel and show their own tickets; visitors browse the
public listing and seat maps. A venue operator (场馆商户) keeps the venues it is a manager of: seat maps,
events and sessions, check-in at the door and the box office; the city administrator does all of it for
every venue; a district officer reads the venues and box office of the district.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import CITY, CITY_DISTRICT, declare
from wenzhi.core.scoping import scope_for

VENUE_KEEPERS = CITY | {Role.VENUE_OPERATOR}
VENUE_READERS = CITY_DISTRICT | {Role.VENUE_OPERATOR}


def venue_of(obj):
    """The venue a venue, hall, event, session, order or ticket belongs to."""
    from .models import Event, Hall, Order, Session, Ticket, Venue

    if isinstance(obj, Venue):
        return obj
    if isinstance(obj, (Hall, Event)):
        return obj.venue
    if isinstance(obj, Session):
        return obj.hall.venue
    if isinstance(obj, (Order, Ticket)):
        return obj.session.hall.venue
    return None


def keeps_venue(user, obj) -> bool:
    """City: every venue; venue operator: the venues it manages."""
    venue = venue_of(obj)
    if venue is None:
        return False
    if user.is_superuser or user.has_role(Role.CITY_ADMIN):
        return True
    return user.has_role(Role.VENUE_OPERATOR) and venue.managers.filter(pk=user.pk).exists()


def reads_venue(user, obj) -> bool:
    """As :func:`keeps_venue`, and a district officer for the venues in its district."""
    if keeps_venue(user, obj):
        return True
    venue = venue_of(obj)
    scope = scope_for(user)
    return (venue is not None and user.has_role(Role.DISTRICT_OFFICER) and scope.kind == "district"
            and venue.district_id == scope.organisation_id)


def own_order(user, obj) -> bool:
    """The buyer's own order or ticket; any session to buy in (the action's role check decides who may buy)."""
    order = getattr(obj, "order", obj)
    if not hasattr(order, "buyer_id"):
        return True
    return order.buyer_id == user.pk


def public_session(user, obj) -> bool:
    """A published event's session is public; venue staff also see their unpublished ones."""
    from .models import Event

    event = obj if isinstance(obj, Event) else getattr(obj, "event", None)
    if event is not None and event.published:
        return True
    return bool(getattr(user, "is_authenticated", False)) and reads_venue(user, obj)


def register() -> None:
    declare("consumption.browse", label=_("浏览演出、展览和电影场次"), anonymous=True, object_check=public_session)
    declare("consumption.buy", label=_("购票、支付和退票"), any_user=True, object_check=own_order)
    declare("consumption.venue_view", label=_("查看场馆、座位图和票房"), roles=VENUE_READERS,
            object_check=reads_venue)
    declare("consumption.venue_manage", label=_("维护场馆和座位图"), roles=VENUE_KEEPERS, object_check=keeps_venue)
    declare("consumption.session_manage", label=_("维护演出、展览、电影场次"), roles=VENUE_KEEPERS,
            object_check=keeps_venue)
    declare("consumption.checkin", label=_("检票入场"), roles=VENUE_KEEPERS, object_check=keeps_venue)
    declare("consumption.payment_callback", label=_("接收支付机构回调（签名校验）"), anonymous=True)
    declare("consumption.refund", label=_("按规则之外办理退款"), roles=VENUE_KEEPERS, object_check=keeps_venue)

"""The consumption edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

from ..choices import EventKind, VenueKind
from ..models import Event, Venue
from . import factories as f


def make_venue(ctx) -> Venue:
    venue = f.venue(name="编辑测试剧场")
    Venue.objects.filter(pk=venue.pk).update(kind=VenueKind.CINEMA, address="和平区南京路1号",
                                             description="第一行简介\n第二行简介")
    return Venue.objects.get(pk=venue.pk)


def make_event(ctx) -> Event:
    event = Event.objects.create(title="编辑测试展览", kind=EventKind.EXHIBITION, venue=f.venue(name="编辑测试馆"),
                                 description="介绍第一行\n介绍第二行", published=False)
    return event


register_edit_form("consumption:venue_edit", make=make_venue, roles=(Role.CITY_ADMIN,))
register_edit_form("consumption:event_edit", make=make_event, roles=(Role.CITY_ADMIN,))

"""Rural tourism's rows in the platform permission table: everyone (visitors too) reads what is published;
the city and district officers keep places and routes in their scope; the city edits the 12 themed boards."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.permissions import CITY, CITY_DISTRICT, anywhere, declare, place


def register() -> None:
    from .models import Photo, Place, Route

    place(Place, district="district", park=None, enterprise=None)
    place(Route, district="district", park=None, enterprise=None)
    place(Photo, district="place__district", park=None, enterprise=None)
    declare("tourism.view", label=_("浏览乡村文化旅游"), anonymous=True, object_check=anywhere)
    declare("tourism.change", label=_("维护文旅资源和线路"), roles=CITY_DISTRICT)
    declare("tourism.board_change", label=_("维护主题板块"), roles=CITY, object_check=anywhere)

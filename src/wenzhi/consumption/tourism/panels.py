"""Rural tourism's navigation entries, registered with core in ``TourismConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks


def register() -> None:
    hooks.nav(hooks.NavEntry("tourism", _("乡村文化旅游"), "tourism:home", action="tourism.view", order=65,
                             public=True))
    hooks.nav(hooks.NavEntry("tourism_map", _("文旅地图"), "tourism:map", action="tourism.view", order=66,
                             public=True))
    hooks.nav(hooks.NavEntry("tourism_places", _("文旅资源维护"), "tourism:place_list", action="tourism.change",
                             order=67))

"""The projects app's navigation entries and dashboard panels, registered with core in ``ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks


def register() -> None:
    for key, label, url, action, order in (
        ("projects_library", _("项目库"), "projects:project_list", "projects.browse", 30),
        ("projects_calls", _("申报批次"), "projects:call_list", "call.view", 31),
        ("projects_applications", _("申报与评审"), "projects:application_list", "application.view", 32),
        ("projects_notices", _("公示与入选名单"), "projects:public_notices", "notice.view_public", 33),
    ):
        hooks.nav(hooks.NavEntry(key, label, url, action=action, order=order))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenzhi.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import hooks
        from .permissions import OFFICIALS, declare

        declare("dashboard.view", label=_("查看首页"), any_user=True)
        declare("search.use", label=_("全文检索"), any_user=True)
        declare("organisation.view", label=_("查看组织机构"), roles=OFFICIALS)

        hooks.nav(hooks.NavEntry("home", _("首页"), "home", order=0))
        hooks.nav(hooks.NavEntry("organisations", _("组织机构"), "core:organisation_list", order=90,
                                 roles=frozenset({"city_admin", "district_officer", "park_operator"})))

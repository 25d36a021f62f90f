from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenzhi.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import hooks, panels
        from .accounts.rules import manages
        from .permissions import CITY_DISTRICT, OFFICIALS, declare

        declare("dashboard.view", label=_("查看首页"), any_user=True)
        declare("search.use", label=_("全文检索"), any_user=True)
        declare("organisation.view", label=_("查看组织机构"), roles=OFFICIALS)
        # Accounts: the city manages every account, a district its parks' and enterprises' users (rules.manages).
        declare("account.view", label=_("查看账号"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.add", label=_("新建账号"), roles=CITY_DISTRICT)
        declare("account.change", label=_("修改账号"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.deactivate", label=_("停用或启用账号"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.reset_password", label=_("重置账号密码"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.change_own_password", label=_("修改本人密码"), any_user=True)

        hooks.nav(hooks.NavEntry("home", _("首页"), "home", order=0))
        hooks.nav(hooks.NavEntry("organisations", _("组织机构"), "core:organisation_list", order=90,
                                 roles=frozenset({"city_admin", "district_officer", "park_operator"})))
        hooks.nav(hooks.NavEntry("accounts", _("账号管理"), "core:account_list", order=95, action="account.view"))
        panels.register()

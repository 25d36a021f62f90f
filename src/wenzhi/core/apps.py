from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenzhi.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import hooks
        from .accounts.rules import manages
        from .models import ImportRecord
        from .permissions import CITY_DISTRICT, OFFICIALS, declare, place
        from .search.backends import forget_fts_statistics

        # An import record belongs to the district of the official who started it (as import_records_for).
        place(ImportRecord, district="created_by__organisation", park=None, enterprise=None)
        declare("dashboard.view", label=_("查看首页"), any_user=True)
        declare("search.use", label=_("全文检索"), any_user=True)
        declare("account.own", label=_("管理本人账号"), any_user=True)
        # Accounts: the city manages every account, a district its parks' and enterprises' users (rules.manages).
        declare("account.view", label=_("查看账号"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.add", label=_("新建账号"), roles=CITY_DISTRICT)
        declare("account.change", label=_("修改账号"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.deactivate", label=_("停用或启用账号"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.reset_password", label=_("重置账号密码"), roles=CITY_DISTRICT, object_check=manages)
        declare("account.change_own_password", label=_("修改本人密码"), any_user=True)
        declare("organisation.view", label=_("查看组织机构"), roles=OFFICIALS, object_check=_organisation_in_scope)

        hooks.serve_check(forget_fts_statistics)  # a later whole-database ANALYZE must not slow the index down
        hooks.nav(hooks.NavEntry("home", _("首页"), "home", order=0))
        hooks.nav(hooks.NavEntry("organisations", _("组织机构"), "core:organisation_list", order=90,
                                 action="organisation.view"))
        hooks.nav(hooks.NavEntry("accounts", _("账号管理"), "core:account_list", order=95, action="account.view"))


def _organisation_in_scope(user, org) -> bool:
    """An organisation is in scope exactly when the organisation selector would list it."""
    from .models import Organisation
    from .scoping import organisation_q

    return Organisation.objects.filter(organisation_q(user), pk=org.pk).exists()

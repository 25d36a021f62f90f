from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenzhi.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import hooks, panels
        from .models import ImportRecord
        from .permissions import CITY, OFFICIALS, declare, place

        # An import record belongs to the district of the official who started it (as import_records_for).
        place(ImportRecord, district="created_by__organisation", park=None, enterprise=None)
        declare("dashboard.view", label=_("查看首页"), any_user=True)
        declare("dashboard.accounts", label=_("查看用户与角色统计"), roles=CITY)
        declare("search.use", label=_("全文检索"), any_user=True)
        declare("account.own", label=_("管理本人账号"), any_user=True)
        declare("organisation.view", label=_("查看组织机构"), roles=OFFICIALS, object_check=_organisation_in_scope)

        hooks.nav(hooks.NavEntry("home", _("首页"), "home", order=0))
        hooks.nav(hooks.NavEntry("organisations", _("组织机构"), "core:organisation_list", order=90,
                                 action="organisation.view"))
        panels.register()


def _organisation_in_scope(user, org) -> bool:
    """An organisation is in scope exactly when the organisation selector would list it."""
    from .models import Organisation
    from .scoping import organisation_q

    return Organisation.objects.filter(organisation_q(user), pk=org.pk).exists()

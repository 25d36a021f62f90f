from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "wenzhi.projects"
    label = "projects"
    verbose_name = _("项目库与申报评审")

    def ready(self) -> None:
        from . import panels, permissions, search

        permissions.register()
        search.register()
        panels.register()

        from . import funds_registration

        funds_registration.register()

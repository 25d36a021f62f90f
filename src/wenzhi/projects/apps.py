from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "wenzhi.projects"
    label = "projects"
    verbose_name = _("项目库与申报评审")

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, panels, permissions, search

        permissions.register()
        hooks.demo_provider("projects", demo.generate, order=30)
        search.register()
        panels.register()

        from . import funds_registration

        funds_registration.register()

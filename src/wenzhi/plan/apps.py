from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "wenzhi.plan"
    label = "plan"
    verbose_name = _("规划目标")

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, panels, permissions, reference

        permissions.register()
        panels.register()
        hooks.reference_loader(reference.load_plan)
        # After the registry (10) and statistics: the tracker's demo reads their demo rows.
        hooks.demo_provider("plan", demo.generate, order=80)

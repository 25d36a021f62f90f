from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "wenzhi.statistics"
    label = "statistics"
    verbose_name = _("统计")

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, navigation, panels, permissions, reference

        permissions.register()
        from . import outputs

        outputs.register()  # analysis, bulletins, assessment
        from . import outputs_demo

        hooks.demo_provider("statistics_outputs", outputs_demo.generate, order=45)
        hooks.reference_loader(reference.load_catalogue)
        hooks.demo_provider("statistics", demo.generate, order=40)
        navigation.register()
        panels.register()

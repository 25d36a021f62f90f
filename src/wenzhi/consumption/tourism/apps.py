from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "wenzhi.consumption.tourism"
    label = "tourism"
    verbose_name = _("乡村文化旅游")

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, panels, permissions, reference

        permissions.register()
        panels.register()
        hooks.reference_loader(reference.load_boards)
        hooks.demo_provider("tourism", demo.generate, order=91)

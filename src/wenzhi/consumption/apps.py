from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsumptionConfig(AppConfig):
    """Culture consumption: venues and seat maps, sessions, ticket orders, payments, e-tickets and check-in."""

    name = "wenzhi.consumption"
    label = "consumption"
    verbose_name = _("文化消费")

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, figures, panels, payments, permissions
        from .api import fast

        permissions.register()
        panels.register()
        payments.register_builtin()
        fast.register()
        hooks.demo_provider("consumption", demo.generate, order=90, atomic=False)
        for code, table in figures.TABLES.items():
            hooks.derived_table(code, table)

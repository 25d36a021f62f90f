from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardConfig(AppConfig):
    name = "wenzhi.consumption.card"
    label = "consumption_card"
    verbose_name = _("文化惠民卡")

    def ready(self) -> None:
        from wenzhi.consumption import payments
        from wenzhi.core import hooks

        from . import demo, panels, permissions, provider

        permissions.register()
        panels.register()
        hooks.demo_provider("consumption_card", demo.generate, order=92, atomic=False)
        payments.register(provider.CardProvider())

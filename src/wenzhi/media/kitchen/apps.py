from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitchenConfig(AppConfig):
    """The central kitchen (中央厨房): the story library, channel versions, citizen submissions with moderation,
    and machine-written stories checked number by number."""

    name = "wenzhi.media.kitchen"
    label = "media_kitchen"
    verbose_name = _("中央厨房")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, navigation, permissions, search

        permissions.register()
        navigation.register()
        search.register()
        # After projects (30), statistics and the plan (80): the machine-written demo stories read their demo rows.
        hooks.demo_provider("media_kitchen", demo.generate, order=95, atomic=False)

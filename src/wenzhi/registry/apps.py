from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "wenzhi.registry"
    label = "registry"
    verbose_name = _("产业登记库")

    def ready(self) -> None:
        from wenzhi.core import hooks

        from . import demo, entities, panels, permissions, search

        permissions.register()

        hooks.demo_provider("registry", demo.generate, order=10)
        search.register()
        hooks.entity_source(entities.registry_entities)
        hooks.reference_loader(entities.load_reference_tables)
        panels.register()

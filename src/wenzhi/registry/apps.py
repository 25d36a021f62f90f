from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "wenzhi.registry"
    label = "registry"
    verbose_name = _("产业登记库")

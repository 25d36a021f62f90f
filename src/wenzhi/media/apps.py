from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "wenzhi.media"
    label = "media"
    verbose_name = _("舆情监测与融媒体")

    def ready(self) -> None:
        from . import registration

        registration.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "wenzhi.media.watch"
    label = "media_watch"
    verbose_name = _("舆情态势与预警处置")

    def ready(self) -> None:
        from wenzhi.media.signals import documents_stored

        from . import receivers, registration

        registration.register()
        documents_stored.connect(receivers.documents_stored, dispatch_uid="media_watch.documents_stored")

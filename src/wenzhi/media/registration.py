"""What the media app registers with core when Django starts (permissions, search, demo, nav, panels)."""


from django.utils.translation import gettext_lazy as _


def register() -> None:
    """Called from :meth:`MediaConfig.ready`."""
    from wenzhi.core import hooks

    from . import demo, permissions, search

    permissions.register()
    search.register()
    hooks.demo_provider("media", demo.generate, order=60)
    hooks.serve_check(demo.ensure_feeds)
    hooks.nav(hooks.NavEntry("media_documents", _("舆情文档"), "media:document_list", order=60,
                             action="media_document.view"))
    hooks.nav(hooks.NavEntry("media_sources", _("信息源"), "media:source_list", order=61,
                             action="media_source.view"))

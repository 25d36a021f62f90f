from django.conf import settings
from django.urls import NoReverseMatch, reverse

from . import hooks


def shell(request):
    """Navigation entries the user may see and the active one, for ``base.html``."""
    entries = []
    path = request.path
    for e in hooks.nav_for(request.user):
        try:
            url = reverse(e.url_name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        entries.append({"key": e.key, "label": e.label, "url": url, "active": active})
    return {"nav_entries": entries, "WENZHI_DEMO": settings.WENZHI_DEMO_ACCOUNTS}

from django.conf import settings
from django.urls import reverse

from . import hooks


def shell(request):
    """Navigation entries the user may see and the active one, for ``base.html``."""
    entries = []
    path = request.path
    for e in hooks.nav_for(request.user):
        url = reverse(e.url_name)  # an entry whose page does not exist is a bug, not something to hide
        active = path == url if url == "/" else path.startswith(url)
        entries.append({"key": e.key, "label": e.label, "url": url, "active": active})
    return {"nav_entries": entries, "WENZHI_DEMO": settings.WENZHI_DEMO_ACCOUNTS}

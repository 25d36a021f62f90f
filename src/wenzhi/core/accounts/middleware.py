"""Send a signed-in user who must choose a new password to the change-password page, whatever they open.

The API is left to DRF (``core.api.authentication``), which answers such users with a 403 JSON body, because
token-authenticated requests are only known to DRF.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def _allowed_prefixes() -> tuple[str, ...]:
    return (reverse("core:password_change"), reverse("logout"), reverse("core:password_reset"), "/i18n/",
            "/api/", "/healthz", settings.STATIC_URL, settings.MEDIA_URL)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes: tuple[str, ...] | None = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if self._prefixes is None:
                self._prefixes = _allowed_prefixes()
            if not request.path.startswith(self._prefixes):
                target = reverse("core:password_change")
                nxt = request.get_full_path()
                if request.method == "GET" and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):
                    from urllib.parse import urlencode

                    target += "?" + urlencode({"next": nxt})
                return redirect(target)
        return self.get_response(request)

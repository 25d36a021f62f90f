"""Response headers every page and API answer carries."""

from __future__ import annotations

import secrets

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send ``Content-Security-Policy`` (``settings.WENZHI_CSP``) on every response.

    Scripts and styles are self-hosted (htmx and ECharts from npm, Swagger UI from its sidecar), so ``'self'`` is
    enough; an inline ``<script>`` or ``<style>`` needs ``nonce="{{ request.csp_nonce }}"``. Style *attributes*
    stay allowed (``style-src-attr``): templates and ECharts' tooltips use them, and they cannot run code.
    ``WENZHI_CSP_REPORT_ONLY`` sends the policy as report-only, to try a stricter one without breaking pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        header = ("Content-Security-Policy-Report-Only" if getattr(settings, "WENZHI_CSP_REPORT_ONLY", False)
                  else "Content-Security-Policy")
        policy = getattr(settings, "WENZHI_CSP", None)
        if policy and header not in response:
            response[header] = "; ".join(
                " ".join([name, *(source.replace("{nonce}", f"'nonce-{nonce}'") for source in sources)])
                for name, sources in policy.items())
        return response

"""Middleware of every request: the Content-Security-Policy header, query parameters without control characters."""

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
        header, value = csp_header(nonce)
        if value and header not in response:
            response[header] = value
        return response


def csp_header(nonce: str) -> tuple[str, str]:
    """The policy header's name and value (empty without ``settings.WENZHI_CSP``) for a response whose inline
    scripts and styles carry ``nonce``."""
    header = ("Content-Security-Policy-Report-Only" if getattr(settings, "WENZHI_CSP_REPORT_ONLY", False)
              else "Content-Security-Policy")
    policy = getattr(settings, "WENZHI_CSP", None) or {}
    return header, "; ".join(" ".join([name, *(source.replace("{nonce}", f"'nonce-{nonce}'") for source in sources)])
                             for name, sources in policy.items())


class CleanQueryMiddleware:
    """Drop control characters from query parameters before any view, filter or search reads them.

    They cannot be typed into a search box; PostgreSQL refuses a NUL in any text it compares with, so
    ``?q=%00`` or ``?search=%00`` answered a 500 on every list and API endpoint there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%0" in query or "%1" in query or any(ord(ch) < 32 for ch in query):  # cheap test first
            from django.http import QueryDict

            from .text import clean_text

            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)

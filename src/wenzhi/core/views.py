"""Core pages: dashboard, organisations, unified search, account. Thin: they call selectors."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.authtoken.models import Token

from . import hooks, selectors
from .listing import Column, ListPage
from .permissions import require, requires


@requires("dashboard.view")
@require_safe
def home(request):
    """The dashboard: each panel's figures, computed for the user's scope and kept for a short while.

    Aggregates over the whole registry are the expensive part of the page; they are cached per panel, scope
    and language for ``WENZHI_DASHBOARD_CACHE_SECONDS`` (60 s by default) and each panel shows when its
    figures were computed.
    """
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    from .scoping import scope_for

    scope = scope_for(request.user)
    ttl = getattr(settings, "WENZHI_DASHBOARD_CACHE_SECONDS", 60)
    panels = []
    for panel in hooks.panels_for(request.user):
        key = f"wenzhi:panel:{panel.key}:{scope.kind}:{scope.organisation_id}:{get_language()}"
        cached = cache.get(key) if ttl else None
        if cached is None:
            cached = {"context": panel.render(request), "at": timezone.now()}
            if ttl:
                cache.set(key, cached, ttl)
        if cached["context"] is not None:
            panels.append({"panel": panel, "context": cached["context"], "at": cached["at"]})
    return render(request, "core/home.html", {"panels": panels})


def healthz(request):
    """Liveness probe for load balancers and `make run` checks."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


@requires("dashboard.view")
@require_safe
def about(request):
    """About Wenzhi: the shell and static text only, no data queries (the page-latency yardstick)."""
    from django.conf import settings

    return render(request, "core/about.html", {"demo": settings.WENZHI_DEMO_ACCOUNTS})


class OrganisationList(ListPage):
    title = _("组织机构")
    selector = staticmethod(selectors.organisation_list)
    columns = [
        Column("name", _("名称"), link=True),
        Column("level", _("层级"), "level"),
        Column("code", _("代码")),
        Column("parent", _("上级"), "parent__name"),
        Column("district", _("所属区"), "district__name"),
    ]
    search_fields = ["name", "code"]
    default_ordering = "code"
    export_name = "organisations"
    detail_url_name = "core:organisation_detail"
    permission_action = "organisation.view"


@requires("organisation.view")
@require_safe
def organisation_detail(request, pk: int):
    org = get_object_or_404(selectors.organisation_list(user=request.user), pk=pk)
    require(request.user, "organisation.view", org)
    children = org.children.order_by("code", "name")[:200]
    return render(request, "core/organisation_detail.html", {"org": org, "children": children})


@requires("search.use")
@require_safe
def search(request):
    """The global search box: every registered type the user may find, best first, with counts by type."""
    from . import search as search_service

    query = request.GET.get("q", "").strip()[:100]
    known = {t.key: t for t in search_service.types()}
    type_key = request.GET.get("type", "")
    type_key = type_key if type_key in known else ""
    results = None
    if query:
        results = search_service.search(request.user, query, type_keys=[type_key] if type_key else None,
                                        limit=50, facets=True)
        # Counts by type over every type (not only the chosen one), so the tabs stay meaningful.
        if type_key:
            results.facets["type"] = search_service.search(request.user, query, limit=0, facets=True).facets["type"]
    tabs = [{"key": k, "label": t.label, "count": (results.facets["type"].get(k, 0) if results else 0)}
            for k, t in known.items() if results and results.facets["type"].get(k)]
    return render(request, "core/search.html", {
        "query": query, "type": type_key, "tabs": tabs, "results": results.hits if results else [],
        "total": _search_total(results, type_key)})


def _search_total(results, type_key: str) -> int:
    if results is None:
        return 0
    counts = results.facets["type"]
    return counts.get(type_key, 0) if type_key else sum(counts.values())


@requires("account.own")
@require_http_methods(["GET", "POST"])
def account(request):
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    return render(request, "core/account.html", {"token": token})


def error_403(request, exception=None):
    # The refusal's own sentence (core.permissions.require names the action) when there is one.
    message = str(exception) if exception is not None and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)

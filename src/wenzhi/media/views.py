"""Pages of opinion monitoring: the document list and a document, the sources with their health."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import can, require, requires

from . import feeds, selectors, services
from .choices import sector_label, topic_label
from .filters import DocumentFilter, SourceFilter
from .forms import SourceForm, UploadForm
from .models import DocumentEnterprise, DocumentPark, DocumentProject, Source


def _topic(doc) -> str:
    return topic_label(doc.topic)


def _sector(doc) -> str:
    return sector_label(doc.sector)


class DocumentList(ListPage):
    title = _("舆情文档")
    selector = staticmethod(selectors.document_list)
    filterset_class = DocumentFilter
    columns = [
        Column("title", _("标题"), link=True, width=50),
        Column("source", _("信息源"), "source__name"),
        Column("published_at", _("发布时间")),
        Column("sentiment", _("情感")),
        Column("topic", _("主题"), _topic, sortable=False),
        Column("sector", _("门类"), _sector, sortable=False),
        Column("culture_relevance", _("文化相关度"), number=False),
        Column("district", _("所属区"), "district__name"),
        Column("keywords", _("关键词"), sortable=False),
        Column("duplicate_reason", _("重复原因"), sortable=False),
    ]
    default_ordering = "-published_at"
    export_name = "opinion-documents"
    detail_url_name = "media:document_detail"
    permission_action = "media_document.view"


@requires("media_document.view")
@require_safe
def document_detail(request, pk: int):
    doc = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    require(request.user, "media_document.view", doc)
    group = []
    if doc.duplicate_group_id:
        group = list(selectors.documents_for(request.user).filter(duplicate_group_id=doc.duplicate_group_id)
                     .exclude(pk=doc.pk).select_related("source").order_by("published_at", "id")[:50])
    return render(request, "media/document_detail.html", {
        "doc": doc, "topic": _topic(doc), "sector": _sector(doc), "group": group,
        "enterprises": DocumentEnterprise.objects.filter(document=doc).select_related("enterprise"),
        "parks": DocumentPark.objects.filter(document=doc).select_related("park"),
        "projects": DocumentProject.objects.filter(document=doc).select_related("project"),
    })


class SourceList(ListPage):
    title = _("信息源")
    selector = staticmethod(selectors.source_list)
    filterset_class = SourceFilter
    columns = [
        Column("name", _("名称"), link=True),
        Column("kind", _("类型")),
        Column("enabled", _("启用")),
        Column("last_success_at", _("最近成功")),
        Column("last_error_at", _("最近失败")),
        Column("consecutive_failures", _("连续失败次数")),
        Column("item_rate", _("条目速率（条/小时）"), number=False),
        Column("items_total", _("累计条目")),
        Column("backoff_until", _("退避至")),
    ]
    search_fields = ["name", "url"]
    default_ordering = "name"
    export_name = "opinion-sources"
    detail_url_name = "media:source_detail"
    permission_action = "media_source.view"

    def get_actions(self):
        if can(self.request.user, "media_source.manage"):
            return [(gettext("新建信息源"), reverse("media:source_create"))]
        return []


@requires("media_source.view")
@require_safe
def source_detail(request, pk: int):
    source = get_object_or_404(selectors.source_list(user=request.user), pk=pk)
    require(request.user, "media_source.view", source)
    return render(request, "media/source_detail.html", {
        "source": source, "fetches": source.fetches.all()[:30],
        "documents": selectors.documents_for(request.user).filter(source=source).order_by("-published_at", "-id")[:10],
        "can_manage": can(request.user, "media_source.manage", source),
        "can_upload": can(request.user, "media_document.ingest", source),
        "push_url": request.build_absolute_uri(reverse("media-source-push", args=[source.pk])),
    })


@requires("media_source.manage")
@require_http_methods(["GET", "POST"])
def source_edit(request, pk: int | None = None):
    source = get_object_or_404(Source, pk=pk) if pk else Source()
    if pk:
        require(request.user, "media_source.manage", source)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        source = services.save_source(request.user, form)
        messages.success(request, gettext("信息源已保存"))
        return redirect("media:source_detail", pk=source.pk)
    title = gettext("修改信息源") if pk else gettext("新建信息源")
    back = reverse("media:source_detail", args=[pk]) if pk else reverse("media:source_list")
    return render(request, "media/source_form.html", {"form": form, "title": title, "back": back},
                  status=400 if request.method == "POST" else 200)


@requires("media_source.manage")
@require_POST
def source_fetch(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    services.fetch_now(request.user, source)
    messages.success(request, gettext("已安排立即抓取，结果见抓取记录"))
    return redirect("media:source_detail", pk=pk)


@requires("media_document.ingest")
@require_http_methods(["GET", "POST"])
def source_upload(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    require(request.user, "media_document.ingest", source)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                _log, result = services.upload(request.user, source, f.name, f.read())
            except feeds.FeedError as exc:
                form.add_error("file", str(exc))
                status = 400
        else:
            status = 400
    return render(request, "media/source_upload.html", {"form": form, "source": source, "result": result},
                  status=status)

"""Tables of opinion monitoring: sources and their health, documents with their analysis, duplicate groups and
the links from documents to the registry (enterprises, parks, projects) and to a district.

Documents are written in bulk by the ingestion tasks (one transaction per batch), never one by one; the dedup
keys are 64-bit hashes (``url_hash``, ``guid_hash``, ``title_hash``) so that their indexes stay small.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DuplicateReason, FetchOutcome, Sentiment, SourceKind


class Source(models.Model):
    """Where documents come from: a feed, a web page list, uploads, a partner system or the command line.

    Limits (size, time, redirects) apply to every fetch; health fields are written after each fetch, and
    ``backoff_until`` holds a failing source back (doubling with each consecutive failure).
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=SourceKind.choices)
    url = models.URLField(_("地址"), max_length=1000, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="media_sources")
    # Web page lists: CSS selectors {"item", "title", "link", "text", "date"}; JSON feeds: {"items": "path"}.
    selectors = models.JSONField(_("选择器"), default=dict, blank=True)
    # Schedule and limits
    interval_minutes = models.PositiveIntegerField(_("抓取间隔（分钟）"), default=30)
    max_bytes = models.PositiveIntegerField(_("响应大小上限（字节）"), default=5 * 1024 * 1024)
    timeout_seconds = models.PositiveSmallIntegerField(_("超时（秒）"), default=15)
    max_redirects = models.PositiveSmallIntegerField(_("重定向上限"), default=5)
    max_items = models.PositiveIntegerField(_("每次条目上限"), default=1000)
    # Health
    next_fetch_at = models.DateTimeField(_("下次抓取"), null=True, blank=True)
    last_fetch_at = models.DateTimeField(_("最近抓取"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("最近成功"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("最近失败"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    backoff_until = models.DateTimeField(_("退避至"), null=True, blank=True)
    last_item_count = models.PositiveIntegerField(_("最近条目数"), default=0)
    item_rate = models.FloatField(_("条目速率（条/小时）"), default=0.0)
    items_total = models.PositiveBigIntegerField(_("累计条目"), default=0)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    http_last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信息源")
        verbose_name_plural = _("信息源")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def in_backoff(self) -> bool:
        return self.backoff_until is not None and self.backoff_until > timezone.now()


class SourceFetch(models.Model):
    """One fetch (or one pushed/uploaded batch) of a source: outcome, counts, time taken, error."""

    source = models.ForeignKey(Source, verbose_name=_("信息源"), on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    outcome = models.CharField(_("结果"), max_length=8, choices=FetchOutcome.choices)
    items = models.PositiveIntegerField(_("条目数"), default=0)
    new_documents = models.PositiveIntegerField(_("新文档"), default=0)
    duplicates = models.PositiveIntegerField(_("重复"), default=0)
    rejected = models.PositiveIntegerField(_("无效条目"), default=0)
    bytes = models.PositiveIntegerField(_("字节数"), default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("抓取记录")
        verbose_name_plural = _("抓取记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"], name="media_fetch_source_time")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class DuplicateGroup(models.Model):
    """Documents that are the same story: same normalised URL, GUID, same-day title or near-identical text.

    The first document stored is the representative; later ones join the group (nothing is dropped).
    """

    representative = models.ForeignKey("Document", verbose_name=_("代表文档"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("标题"), max_length=500, blank=True)
    size = models.PositiveIntegerField(_("文档数"), default=1)
    first_seen = models.DateTimeField(_("首次出现"), default=timezone.now)
    last_seen = models.DateTimeField(_("最近出现"), default=timezone.now)

    class Meta:
        verbose_name = _("重复组")
        verbose_name_plural = _("重复组")

    def __str__(self) -> str:
        return f"{self.title} ×{self.size}"


class Document(models.Model):
    """One item from a source with its analysis.

    ``clean_text`` is the plain text (HTML stripped, normalised) that analysis and search read; ``title`` and
    ``text`` are plain text too (never HTML). ``keywords`` holds the top keywords separated by spaces.
    ``sentiment_score`` is the probability of positive; ``culture_relevance`` 0–1; ``sector`` one of the
    registry's eight sectors (or empty). ``duplicate_group`` is set on every member of a group, representative
    included; ``duplicate_reason`` says why a later member joined.
    """

    source = models.ForeignKey(Source, verbose_name=_("信息源"), on_delete=models.PROTECT, related_name="documents",
                               db_index=False)  # covered by media_doc_source_time
    external_id = models.CharField(_("来源编号"), max_length=200, blank=True)
    url = models.CharField(_("链接"), max_length=2000, blank=True)
    url_normalised = models.CharField(_("规范链接"), max_length=2000, blank=True)
    url_hash = models.BigIntegerField(null=True, blank=True, editable=False)
    guid = models.CharField(_("GUID"), max_length=500, blank=True)
    guid_hash = models.BigIntegerField(null=True, blank=True, editable=False)
    title = models.CharField(_("标题"), max_length=500)
    title_hash = models.BigIntegerField(null=True, blank=True, editable=False)
    text = models.TextField(_("正文"), blank=True)
    clean_text = models.TextField(_("清洗后正文"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    fetched_at = models.DateTimeField(_("采集时间"), default=timezone.now)
    analysed_at = models.DateTimeField(_("分析时间"), null=True, blank=True)
    keywords = models.CharField(_("关键词"), max_length=400, blank=True)
    sentiment = models.CharField(_("情感"), max_length=8, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(_("正面概率"), null=True, blank=True)
    topic = models.CharField(_("主题"), max_length=16, blank=True)
    culture_relevance = models.FloatField(_("文化相关度"), default=0.0)
    is_culture = models.BooleanField(_("文化相关"), default=False)
    sector = models.CharField(_("门类"), max_length=32, blank=True)
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="media_documents",
                                 db_index=False)  # covered by media_doc_district_time
    simhash = models.BigIntegerField(_("SimHash"), null=True, blank=True, editable=False)
    duplicate_group = models.ForeignKey(DuplicateGroup, verbose_name=_("重复组"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="documents")
    duplicate_reason = models.CharField(_("重复原因"), max_length=8, choices=DuplicateReason.choices, blank=True)
    enterprises = models.ManyToManyField("registry.Enterprise", through="DocumentEnterprise",
                                         related_name="media_documents", blank=True)
    parks = models.ManyToManyField("registry.Park", through="DocumentPark", related_name="media_documents",
                                   blank=True)
    projects = models.ManyToManyField("projects.Project", through="DocumentProject",
                                      related_name="media_documents", blank=True)

    class Meta:
        verbose_name = _("舆情文档")
        verbose_name_plural = _("舆情文档")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["published_at", "id"], name="media_doc_published"),
            models.Index(fields=["district", "published_at"], name="media_doc_district_time"),
            models.Index(fields=["source", "published_at"], name="media_doc_source_time"),
            models.Index(fields=["url_hash"], name="media_doc_url_hash"),
            models.Index(fields=["guid_hash"], name="media_doc_guid_hash"),
            models.Index(fields=["title_hash"], name="media_doc_title_hash"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return self.keywords.split()

    @property
    def enterprise_ids(self) -> list[int]:
        return [e.pk for e in self.enterprises.all()]

    @property
    def park_ids(self) -> list[int]:
        return [p.pk for p in self.parks.all()]

    @property
    def project_ids(self) -> list[int]:
        return [p.pk for p in self.projects.all()]

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_reason)


class _Link(models.Model):
    # Both columns are covered by the subclass's unique constraint and index (document first / entity first).
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+", db_index=False)
    confidence = models.FloatField(_("置信度"), default=1.0)
    mentions = models.PositiveSmallIntegerField(_("提及次数"), default=1)

    class Meta:
        abstract = True


class DocumentEnterprise(_Link):
    """A document mentions a registry enterprise (entity linking)."""

    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="media_links",
                                   db_index=False)

    class Meta:
        verbose_name = _("文档提及企业")
        verbose_name_plural = _("文档提及企业")
        constraints = [models.UniqueConstraint(fields=["document", "enterprise"], name="media_doc_enterprise_once")]
        indexes = [models.Index(fields=["enterprise", "document"], name="media_enterprise_docs")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.enterprise_id}"


class DocumentPark(_Link):
    """A document mentions a registry park or base."""

    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="media_links",
                                   db_index=False)

    class Meta:
        verbose_name = _("文档提及园区")
        verbose_name_plural = _("文档提及园区")
        constraints = [models.UniqueConstraint(fields=["document", "park"], name="media_doc_park_once")]
        indexes = [models.Index(fields=["park", "document"], name="media_park_docs")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.park_id}"


class DocumentProject(_Link):
    """A document mentions a project of the project library."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="media_links",
                                   db_index=False)

    class Meta:
        verbose_name = _("文档提及项目")
        verbose_name_plural = _("文档提及项目")
        constraints = [models.UniqueConstraint(fields=["document", "project"], name="media_doc_project_once")]
        indexes = [models.Index(fields=["project", "document"], name="media_project_docs")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.project_id}"

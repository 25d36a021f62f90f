"""The search index table: one row per indexed object, the same table on every database.

On SQLite an FTS5 table over ``title_tokens``, ``body`` and ``keys`` mirrors it (kept in step by triggers); on
PostgreSQL a generated ``tsvector`` column with a GIN index sits on it. Both are created by the migration
``core/0005_search_entry``, never at import time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One indexed object (an enterprise, a park, ...): its title, segmented text and scope and facet values.

    ``title_tokens`` and ``body`` hold space-separated words (segmented by rjieba, lower case). ``keys`` holds
    the scope and facet tokens (``tenterprise d12 p34 ...``) so that a filter is one more term of the full-text
    query and the search engine intersects it with the words, instead of checking rows one by one afterwards.
    """

    type = models.CharField(_("类型"), max_length=32)
    object_id = models.BigIntegerField(_("对象编号"))
    title = models.CharField(_("标题"), max_length=300)
    snippet = models.CharField(_("摘要"), max_length=500, blank=True)
    title_tokens = models.TextField(blank=True)
    body = models.TextField(blank=True)
    keys = models.TextField(blank=True)
    district_id = models.BigIntegerField(null=True, blank=True)
    park_id = models.BigIntegerField(null=True, blank=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True)
    public = models.BooleanField(default=False)
    sector = models.CharField(max_length=32, blank=True)
    category = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        app_label = "core"
        db_table = "core_search_entry"
        verbose_name = _("检索索引条目")
        verbose_name_plural = _("检索索引条目")
        constraints = [models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_unique_object")]

    def __str__(self) -> str:
        return f"{self.type}:{self.object_id} {self.title}"

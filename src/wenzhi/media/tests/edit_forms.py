"""The media app's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form


def make_source(ctx):
    from wenzhi.media.models import Source

    return Source.objects.create(
        name="往返测试网页源", kind="html", url="https://h.example.cn/list?page=1", enabled=True,
        district=ctx.orgs["heping"], selectors={"item": "li.news", "title": "a", "link": "a"}, interval_minutes=45,
        max_bytes=2_000_000, timeout_seconds=12, max_redirects=4, max_items=300)


register_edit_form("media:source_edit", roles=(Role.CITY_ADMIN, Role.MEDIA_EDITOR), make=make_source)

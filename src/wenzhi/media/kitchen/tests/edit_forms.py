"""The central kitchen's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

EDITORS = (Role.MEDIA_EDITOR, Role.CITY_ADMIN)


def make_story(ctx):
    from wenzhi.media.kitchen import services

    return services.story_create(actor=ctx.users[Role.MEDIA_EDITOR], title="往返测试稿件",
                                 summary="第一行导语\n第二行导语",
                                 body="第一段：海河文化创意周开幕，百余家企业参展。\n\n第二段：活动持续一周。")


def make_version(ctx):
    return make_story(ctx).versions.get(channel="wechat")


def make_word(ctx):
    from wenzhi.media.kitchen import services

    return services.sensitive_word_save(actor=ctx.users[Role.CITY_ADMIN], data={
        "word": "往返测试词", "level": "block", "category": "测试", "note": "说明", "is_active": True})


register_edit_form("media_kitchen:story_edit", make=make_story, roles=EDITORS)
register_edit_form("media_kitchen:version_edit", make=make_version, roles=EDITORS)
register_edit_form("media_kitchen:word_edit", make=make_word, roles=(Role.CITY_ADMIN,))

"""The central kitchen's navigation entries, each shown to whoever ``can()`` allows its action."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks


def register() -> None:
    for key, label, url_name, action, order in (
        ("kitchen_stories", _("中央厨房"), "media_kitchen:story_list", "story.view", 60),
        ("kitchen_submissions", _("投稿审核"), "media_kitchen:submission_queue", "submission.moderate", 61),
        ("kitchen_words", _("敏感词表"), "media_kitchen:word_list", "sensitive_word.view", 62),
        ("kitchen_submit", _("我要投稿"), "media_kitchen:submission_new", "submission.create", 63),
        ("kitchen_my_submissions", _("我的投稿"), "media_kitchen:my_submissions", "submission.view_own", 64),
    ):
        hooks.nav(hooks.NavEntry(key, label, url_name, action=action, order=order))
    hooks.nav(hooks.NavEntry("kitchen_articles", _("新闻发布"), "media_kitchen:articles", order=65, public=True))

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
    register_panels()


def _work_panel(request):
    """The newsroom's work: stories waiting for review or for publishing, submissions waiting for moderation,
    and the stories waiting longest listed."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.translation import gettext

    from wenzhi.core import panels

    from . import selectors
    from .choices import StoryStatus

    stories = selectors.story_list(user=request.user)
    counts = dict(stories.order_by().values_list("status").annotate(n=Count("id")))
    url = reverse("media_kitchen:story_list")
    summary = [panels.figure(label, counts.get(status, 0), url)
               for status, label in StoryStatus.choices if status in (StoryStatus.DRAFT, StoryStatus.REVIEW,
                                                                       StoryStatus.APPROVED)]
    summary.append(panels.figure(gettext("待审核投稿"), selectors.pending_submissions(user=request.user).count(),
                                 reverse("media_kitchen:submission_queue")))
    waiting = stories.filter(status__in=[StoryStatus.REVIEW, StoryStatus.APPROVED]).order_by("updated_at")[:5]
    rows = [panels.Item(title=s.title, url=reverse("media_kitchen:story_detail", args=[s.pk]),
                        tag=s.get_status_display(), note=s.get_origin_display()) for s in waiting]
    return panels.items(rows, empty=gettext("没有待处理的稿件。"), more_label=gettext("稿件库"), more_url=url,
                        summary=summary)


def register_panels() -> None:
    hooks.dashboard_panel(hooks.DashboardPanel(
        key="kitchen-work", title=_("中央厨房待办"), template="core/panels/items.html", render=_work_panel,
        order=62, width=6, action="story.view"))

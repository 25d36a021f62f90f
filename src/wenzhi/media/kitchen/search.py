"""Master stories in the platform's full-text search (type ``story``).

A published story is a public entry: everyone who may read published articles finds it (the public role,
district officers, signed-out readers through the API's permission). Drafts, stories in review and approved
ones are found only by those who may view the story library (``story.view``: media editors and the city
administrator, per the permission table). The index follows each save once its transaction commits (the
workflow's transitions save the story), and ``wenzhi search rebuild`` rebuilds it. A hit opens
``media_kitchen:story_found``: the library page for an editor, the published website article for others.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import search
from wenzhi.core.search import Document as SearchDocument
from wenzhi.core.search import SearchType

from .choices import StoryStatus
from .models import Story

TYPE = "story"


def story_entry(story: Story) -> SearchDocument:
    published = story.status == StoryStatus.PUBLISHED
    return SearchDocument(title=story.title, text=f"{story.summary}\n{story.body}",
                          snippet=(story.summary or story.body)[:160], public=published,
                          category=story.status, kind=story.origin,
                          year=(story.published_at or story.created_at).year)


def _sees_all(user) -> bool:
    from wenzhi.core.permissions import can

    return can(user, "story.view")


def register() -> None:
    search.register(SearchType(
        key=TYPE, label=_("稿件"), model=Story, action="story.read_published",
        url_name="media_kitchen:story_found", rows=lambda: Story.objects.all(), document=story_entry,
        sees_all=_sees_all, order=70))

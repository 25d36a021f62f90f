"""Stories in the platform search: published ones for everyone who reads articles, the rest only for the story
library's roles; the index follows the workflow on commit and ``wenzhi search rebuild`` rebuilds it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from wenzhi.core.choices import Role
from wenzhi.core.search import search
from wenzhi.core.search.models import SearchEntry
from wenzhi.media.kitchen import services

pytestmark = pytest.mark.django_db

BODY = "海河沿岸的文化创意周今日开幕，展出本地设计师作品三百余件，市民可免费参观。"


def _found(user, query="海河 创意周"):
    return [h.id for h in search(user, query, type_keys=["story"]).hits]


def _publish(story, editor, admin):
    for actor, step in ((editor, "submit"), (admin, "approve"), (editor, "publish")):
        story = services.story_transition(actor=actor, story=story, transition=step)
    return story


def test_drafts_for_the_kitchen_roles_published_for_everyone(editor, admin, citizen, users, client,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_create(actor=editor, title="海河文化创意周开幕", summary="", body=BODY)
    assert _found(editor) == [story.pk] and _found(admin) == [story.pk]
    assert _found(citizen) == [] and _found(users[Role.DISTRICT_OFFICER]) == []
    with django_capture_on_commit_callbacks(execute=True):
        story = _publish(story, editor, admin)
    assert _found(citizen) == [story.pk] and _found(users[Role.DISTRICT_OFFICER]) == [story.pk]
    assert _found(editor) == [story.pk]
    hit = search(citizen, "海河 创意周", type_keys=["story"]).hits[0]
    client.force_login(citizen)
    article = client.get(hit.url)
    assert article.status_code == 302 and "/articles/" in article["Location"]
    client.force_login(editor)
    assert f"/stories/{story.pk}/" in client.get(hit.url)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        services.story_transition(actor=admin, story=story, transition="withdraw", comment="内容有误")
    assert _found(citizen) == [] and _found(editor) == [story.pk]


def test_a_draft_link_is_not_found_by_a_citizen(editor, citizen, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_create(actor=editor, title="海河文化创意周开幕", summary="", body=BODY)
    client.force_login(citizen)
    assert client.get(reverse("media_kitchen:story_found", args=[story.pk])).status_code == 404


def test_rebuild_indexes_every_story(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_create(actor=editor, title="海河文化创意周开幕", summary="", body=BODY)
    SearchEntry.objects.filter(type="story").delete()
    assert _found(editor) == []
    call_command("search", "rebuild", verbosity=0)
    assert _found(editor) == [story.pk]

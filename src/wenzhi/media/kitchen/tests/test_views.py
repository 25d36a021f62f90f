"""The kitchen's pages: every workflow step taken through the pages (buttons shown by the permission table),
forms that refuse bad input with the reason, a citizen's submission and its moderation, in Chinese and English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wenzhi.media.kitchen import services
from wenzhi.media.kitchen.models import Story, Submission

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_story_goes_through_every_step_on_the_pages(client_as, editor):
    ed, city = client_as("media_editor"), _english(client_as("city_admin"))
    response = ed.post(reverse("media_kitchen:story_new"), {
        "title": "海河文化创意周开幕", "summary": "", "body": "海河文化创意周今日开幕，百余家企业集中展示数字文化新成果。"})
    story = Story.objects.get()
    assert response.status_code == 302
    page = ed.get(reverse("media_kitchen:story_detail", args=[story.pk])).content.decode()
    assert reverse("media_kitchen:story_submit", args=[story.pk]) in page
    assert reverse("media_kitchen:story_withdraw", args=[story.pk]) not in page
    ed.post(reverse("media_kitchen:story_submit", args=[story.pk]))
    page = city.get(reverse("media_kitchen:story_detail", args=[story.pk])).content.decode()
    assert reverse("media_kitchen:story_approve", args=[story.pk]) in page and "Approve" in page
    city.post(reverse("media_kitchen:story_return", args=[story.pk]), {"comment": "Shorter title please"})
    story.refresh_from_db()
    assert story.status == "draft"
    ed.post(reverse("media_kitchen:story_submit", args=[story.pk]))
    city.post(reverse("media_kitchen:story_approve", args=[story.pk]))
    ed.post(reverse("media_kitchen:story_publish", args=[story.pk]))
    story.refresh_from_db()
    assert story.status == "published"
    article = story.versions.get(channel="website")
    assert "海河文化创意周" in _english(client_as("public")).get(reverse("media_kitchen:article", args=[article.pk])
                                                          ).content.decode()
    response = city.post(reverse("media_kitchen:story_withdraw", args=[story.pk]), follow=True)
    assert "needs a reason" in response.content.decode()
    city.post(reverse("media_kitchen:story_withdraw", args=[story.pk]), {"comment": "Wrong date"})
    story.refresh_from_db()
    assert story.status == "withdrawn"
    assert list(story.events.order_by("at", "id").values_list("kind", flat=True)) == [
        "create", "submit", "return", "submit", "approve", "publish", "withdraw"]


def test_a_version_over_its_limit_is_refused_on_the_page_naming_the_count(client_as, editor):
    story = services.story_create(actor=editor, title="标题", body="海河文化创意周今日开幕，百余家企业集中展示数字文化新成果。")
    push = story.versions.get(channel="app_push")
    url = reverse("media_kitchen:version_edit", args=[push.pk])
    response = client_as("media_editor").post(url, {"body": "推" * 45})
    assert response.status_code == 200 and "45 字，超过 40 字的上限" in response.content.decode()
    push.refresh_from_db()
    assert push.body != "推" * 45


def test_a_citizen_submits_and_an_editor_adopts_it(client_as, admin):
    services.sensitive_word_save(actor=admin, data={"word": "停演", "level": "review"})
    citizen = _english(client_as("public"))
    response = citizen.post(reverse("media_kitchen:submission_new"), {"title": "小剧场停演", "body": "演出临时停演。"})
    assert response.status_code == 302
    sub = Submission.objects.get()
    page = client_as("media_editor").get(reverse("media_kitchen:submission_detail", args=[sub.pk])).content.decode()
    assert '<mark class="word-review">停演</mark>' in page
    client_as("media_editor").post(reverse("media_kitchen:submission_moderate", args=[sub.pk]), {"decision": "accept"})
    sub.refresh_from_db()
    assert sub.status == "accepted" and sub.story.origin == "user"
    mine = citizen.get(reverse("media_kitchen:my_submissions")).content.decode()
    assert "Adopted" in mine


def test_machine_draft_page_shows_the_cinema_hook_off_in_english(client_as):
    page = _english(client_as("media_editor")).get(reverse("media_kitchen:machine_draft")).content.decode()
    assert "No cinema box-office data yet" in page and "Weekly cinema report" in page


def test_the_dashboard_shows_editors_the_stories_waiting(client_as, editor):
    story = services.story_create(actor=editor, title="待审稿件甲", body="海河文化创意周今日开幕，百余家企业集中展示数字文化新成果。")
    services.story_transition(actor=editor, story=story, transition="submit")
    page = client_as("city_admin").get("/").content.decode()
    assert "中央厨房待办" in page and "待审稿件甲" in page
    assert "中央厨房待办" not in client_as("district_officer").get("/").content.decode()

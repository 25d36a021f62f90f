"""The weekly opinion digest from media documents: counts originals, follows the week's data, and its numbers
are checked again before approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenzhi.media.kitchen import services

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 23)  # a Monday


def _docs(source, day: dt.date, n: int, *, sentiment="neutral", district=None, keywords="文化 演出", group=None):
    from wenzhi.media.models import Document

    at = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())
    return [Document.objects.create(source=source, title=f"文档{day}{i}", published_at=at, sentiment=sentiment,
                                    district=district, keywords=keywords, duplicate_group=group)
            for i in range(n)]


@pytest.fixture
def source():
    from wenzhi.media.models import Source

    return Source.objects.create(name="测试源", kind="rss")


def test_digest_says_growth_names_the_district_and_the_reprinted_story(editor, source, heping):
    from wenzhi.media.models import Document, DuplicateGroup

    _docs(source, WEEK - dt.timedelta(days=3), 2)
    group = DuplicateGroup.objects.create(title="海河文化周开幕", size=3)
    _docs(source, WEEK, 3, district=heping, group=group)
    _docs(source, WEEK + dt.timedelta(days=1), 1, sentiment="negative", keywords="停演 退票")
    original = Document.objects.filter(duplicate_group=group).first()
    Document.objects.filter(duplicate_group=group).exclude(pk=original.pk).update(duplicate_reason="near")

    story = services.machine_story_draft(actor=editor, kind="opinion_digest", params={"week": "2026-11-25"})
    assert story.machine_params["week"] == "2026-11-23"
    assert "11月23日至11月29日" in story.body
    assert "舆情信息2篇，比上周持平" not in story.body
    assert "共监测到涉及本市文化领域的舆情信息2篇，与上周持平" in story.body  # duplicates counted once
    assert "和平区被提及最多，有1篇" in story.body
    assert "负面信息占50.0%，占比偏高" in story.body
    assert "转载最多的稿件是《" in story.body and "共3篇" in story.body


def test_a_document_arriving_after_drafting_blocks_approval(editor, admin, source):
    _docs(source, WEEK, 4)
    story = services.machine_story_draft(actor=editor, kind="opinion_digest", params={"week": "2026-11-23"})
    assert "比上周" not in story.body  # no documents the week before: no comparison, not a made-up one
    services.story_transition(actor=editor, story=story, transition="submit")
    _docs(source, WEEK + dt.timedelta(days=2), 1)
    with pytest.raises(ValidationError, match="本周舆情文档数"):
        services.story_transition(actor=admin, story=story, transition="approve")


def test_an_empty_week_is_refused(editor, source):
    with pytest.raises(ValidationError, match="没有采集到舆情文档"):
        services.machine_story_draft(actor=editor, kind="opinion_digest", params={"week": "2026-11-23"})

"""The story workflow: versions drafted and edited under their rules, the declared steps, four eyes, moderation
before publishing, and the machine-written stories' number check."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.media.kitchen import services
from wenzhi.media.kitchen.choices import Channel, StoryStatus
from wenzhi.media.kitchen.models import StoryEvent

from .conftest import publish_list

pytestmark = pytest.mark.django_db
BODY = "海河文化创意周今日开幕，百余家企业集中展示数字文化新成果。活动期间还将举办项目推介和人才对接活动。"


def _story(editor):
    return services.story_create(actor=editor, title="海河文化创意周开幕", summary="", body=BODY)


def test_a_story_gets_every_channel_version_and_an_edit_over_the_limit_is_refused(editor):
    story = _story(editor)
    assert sorted(story.versions.values_list("channel", flat=True)) == sorted(Channel.values)
    weibo = story.versions.get(channel=Channel.WEIBO)
    with pytest.raises(ValidationError) as err:
        services.version_update(actor=editor, version=weibo, title="", summary="", body="长" * 141)
    assert "141" in str(err.value)
    services.version_update(actor=editor, version=weibo, title="", summary="", body="短微博")
    weibo.refresh_from_db()
    assert weibo.edited and weibo.body == "短微博"


def test_editing_the_master_marks_versions_stale_until_redrafted_and_redraft_keeps_edits(editor):
    story = _story(editor)
    push = story.versions.get(channel=Channel.APP_PUSH)
    services.version_update(actor=editor, version=push, title="", summary="", body="手写推送")
    story = services.story_update(actor=editor, story=story, data={"title": "海河文化创意周盛大开幕"})
    assert story.revision == 2
    with pytest.raises(ValidationError, match="旧版母稿"):
        services.story_transition(actor=editor, story=story, transition="submit")
    services.versions_redraft(actor=editor, story=story)
    assert story.versions.get(channel=Channel.WEBSITE).title == "海河文化创意周盛大开幕"
    assert story.versions.get(channel=Channel.APP_PUSH).body == "手写推送"  # kept, still stale
    services.versions_redraft(actor=editor, story=story, overwrite_edited=True)
    services.story_transition(actor=editor, story=story, transition="submit")


def test_workflow_steps_roles_and_four_eyes(editor, admin, users):
    story = _story(editor)
    with pytest.raises(ValidationError):
        services.story_transition(actor=editor, story=story, transition="publish")  # not approved yet
    services.story_transition(actor=editor, story=story, transition="submit")
    with pytest.raises(ValidationError, match="送审人不能审核"):
        services.story_transition(actor=editor, story=story, transition="approve")
    with pytest.raises(PermissionDenied):
        services.story_transition(actor=users["district_officer"], story=story, transition="approve")
    services.story_transition(actor=admin, story=story, transition="approve")
    with pytest.raises(ValidationError):
        services.story_update(actor=editor, story=story, data={"title": "改"})  # only drafts change
    story = services.story_transition(actor=editor, story=story, transition="publish")
    assert story.status == StoryStatus.PUBLISHED and story.published_at
    with pytest.raises(PermissionDenied):
        services.story_transition(actor=editor, story=story, transition="withdraw", comment="错误")
    with pytest.raises(ValidationError, match="理由"):
        services.story_transition(actor=admin, story=story, transition="withdraw")
    services.story_transition(actor=admin, story=story, transition="withdraw", comment="信息有误")
    kinds = list(StoryEvent.objects.filter(story=story).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["create", "submit", "approve", "publish", "withdraw"]


def test_a_prohibited_word_added_later_blocks_publishing(editor, admin):
    story = _story(editor)
    services.story_transition(actor=editor, story=story, transition="submit")
    services.story_transition(actor=admin, story=story, transition="approve")
    services.sensitive_word_save(actor=admin, data={"word": "人才对接", "level": "block"})
    with pytest.raises(ValidationError, match="人才对接"):
        services.story_transition(actor=editor, story=story, transition="publish")


# Machine-written stories ----------------------------------------------------------------------------------------

def test_key_project_announcement_follows_the_data(editor, reference_data):
    publish_list(2025, [("甲", "和平区", "city_key"), ("乙", "河西区", "district_key")])
    publish_list(2026, [("数字文博馆", "和平区", "city_key"), ("沉浸剧场", "河西区", "city_key"),
                        ("动漫基地", "和平区", "reserve"), ("云上展厅", "河西区", "reserve")])
    story = services.machine_story_draft(actor=editor, kind="key_projects", params={"year": 2026})
    assert story.origin == "machine" and story.figures
    assert "共有4个项目入选，比上年增加2个" in story.body
    assert "没有区级重点项目" in story.body          # an empty category is said so
    assert "和平区、河西区并列最多，各有2个" in story.body  # a tie
    assert "“数字文博馆”、“沉浸剧场”" in story.body


def test_key_project_announcement_of_a_smaller_year_says_fewer(editor, reference_data):
    publish_list(2025, [("甲", "和平区", "city_key"), ("乙", "河西区", "district_key"), ("丙", "和平区", "reserve")])
    publish_list(2026, [("丁", "和平区", "city_key")])
    story = services.machine_story_draft(actor=editor, kind="key_projects", params={"year": 2026})
    assert "比上年减少2个" in story.body and "和平区最多，有1个" in story.body
    with pytest.raises(ValidationError, match="2031"):
        services.machine_story_draft(actor=editor, kind="key_projects", params={"year": 2031})


def test_changed_data_after_drafting_blocks_approval_naming_the_number(editor, admin, reference_data):
    from wenzhi.projects.models import Decision

    publish_list(2026, [("数字文博馆", "和平区", "city_key"), ("沉浸剧场", "河西区", "district_key")])
    story = services.machine_story_draft(actor=editor, kind="key_projects", params={"year": 2026})
    services.story_transition(actor=editor, story=story, transition="submit")
    Decision.objects.filter(application__title="沉浸剧场").update(outcome="rejected")  # the list changes

    with pytest.raises(ValidationError) as err:
        services.story_transition(actor=admin, story=story, transition="approve")
    text = str(err.value)
    assert "入选项目总数" in text and "稿件中为“2个”，按当前数据应为“1个”" in text
    story.refresh_from_db()
    assert story.status == StoryStatus.REVIEW
    assert StoryEvent.objects.filter(story=story, kind="check_failed", comment__contains="入选项目总数").exists()


def test_a_number_typed_into_a_machine_story_blocks_approval(editor, admin, reference_data):
    publish_list(2026, [("数字文博馆", "和平区", "city_key")])
    story = services.machine_story_draft(actor=editor, kind="key_projects", params={"year": 2026})
    story = services.story_update(actor=editor, story=story, data={"body": story.body + "\n\n总投资约8亿元。"})
    services.versions_redraft(actor=editor, story=story, overwrite_edited=True)
    services.story_transition(actor=editor, story=story, transition="submit")
    with pytest.raises(ValidationError, match="“8”"):
        services.story_transition(actor=admin, story=story, transition="approve")


def test_statistics_summary_is_checked_and_approved_when_the_data_holds(editor, admin, reference_data):
    from wenzhi.statistics.models import DataValue
    from wenzhi.statistics.tests.outputs_world import fill

    fill()
    story = services.machine_story_draft(actor=editor, kind="statistics_bulletin", params={"period": "2018Q3"})
    assert story.title.startswith("2018年第三季度")
    assert "同比增长" in story.body and "1个区同比下降" in story.body  # 南开区 falls in 2018
    services.story_transition(actor=editor, story=story, transition="submit")
    approved = services.story_transition(actor=editor, story=story, transition="approve")  # machine: its checker
    assert approved.status == StoryStatus.APPROVED

    again = services.machine_story_draft(actor=editor, kind="statistics_bulletin", params={"period": "2018Q3"})
    services.story_transition(actor=editor, story=again, transition="submit")
    DataValue.objects.filter(period__code="2018Q3", indicator__code="value_added",
                             district__name="和平区").update(value=1)
    with pytest.raises(ValidationError, match="全市当季值"):
        services.story_transition(actor=admin, story=again, transition="approve")


def test_statistics_summary_when_every_district_falls(editor, reference_data):
    from wenzhi.statistics.models import DataValue
    from wenzhi.statistics.tests.outputs_world import fill

    fill()
    DataValue.objects.filter(period__code="2018Q3", indicator__code="value_added").update(value=5)
    story = services.machine_story_draft(actor=editor, kind="statistics_bulletin", params={"period": "2018Q3"})
    assert "同比均有所下降" in story.body and "有所回落" in story.body
    assert "增速最高" not in story.body


def test_cinema_report_is_off_until_cinema_data_exists(editor):
    from wenzhi.media.kitchen.selectors import machine_kinds

    cinema = next(k for k in machine_kinds() if k["kind"] == "cinema_weekly")
    assert not cinema["available"] and "影院" in cinema["reason"]
    with pytest.raises(ValidationError, match="影院"):
        services.machine_story_draft(actor=editor, kind="cinema_weekly", params={})

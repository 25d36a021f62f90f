"""Demo rows of the central kitchen, labelled （演示）: the sensitive-word list, professional stories at each step
of the workflow (one published), citizen submissions (adopted, declined, waiting with a word to watch) and the
machine-written stories the data allows (the latest key-project list, the latest quarter's statistics, last
week's opinion digest when there are documents). Written through the services, as the pages do."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from wenzhi.core.choices import Role

from . import services
from .choices import WordLevel
from .models import SensitiveWord, Story

WORDS = [
    ("赌博", WordLevel.BLOCK, "违法"), ("诈骗", WordLevel.BLOCK, "违法"), ("代开发票", WordLevel.BLOCK, "违法"),
    ("维权", WordLevel.REVIEW, "群体性"), ("拖欠", WordLevel.REVIEW, "劳资"), ("投诉", WordLevel.REVIEW, "诉求"),
    ("塌陷", WordLevel.REVIEW, "安全"), ("停演", WordLevel.REVIEW, "演出"),
]

STORIES = [
    ("（演示）海河文化创意周开幕 百余家企业集中展示数字文化新成果",
     "海河文化创意周今日在和平区开幕，百余家文化企业集中展示数字文化新成果。",
     "海河文化创意周今日在和平区开幕。本届创意周以“智能文化 创意天津”为主题，百余家文化企业集中展示虚拟现实、"
     "数字文博、网络视听等领域的新产品和新服务。\n\n活动期间还将举办项目推介、人才对接和消费体验等系列活动，"
     "市民可通过文化惠民卡预约参加。主办方表示，创意周将持续推动文化与科技深度融合。"),
    ("（演示）滨海新区动漫游戏产业园新引进一批数字内容企业",
     "", "滨海新区动漫游戏产业园近日新引进一批数字内容企业，涵盖原创动画、游戏研发和数字出版。\n\n"
     "园区负责人介绍，园区将为入驻企业提供公共技术服务平台和版权服务，帮助企业开拓海外市场。"),
    ("（演示）河西区公共文化场馆延长开放时间", "",
     "为满足市民夜间文化消费需求，河西区图书馆、文化馆即日起在周末延长开放时间。\n\n"
     "延时开放期间，场馆将推出阅读分享、非遗体验和小剧场演出等活动。"),
]

SUBMISSIONS = [
    ("（演示）社区文化节上的剪纸课", "周末社区文化节上，非遗传承人手把手教居民剪纸，孩子们的作品贴满了展板。"),
    ("（演示）小剧场临时停演，观众希望尽快退票", "原定周五的演出临时停演，不少观众在现场询问退票办法，希望主办方尽快公布退票安排。"),
    ("（演示）老街区的新书店", "老街区里开了一家独立书店，每周都有读书会，成了附近居民新的文化去处。"),
]


def _users():
    from wenzhi.core.models import User

    def first(role):
        return (User.objects.filter(is_active=True, roles__icontains=role).order_by("-is_demo", "id").first())

    return first(Role.MEDIA_EDITOR), first(Role.CITY_ADMIN), first(Role.PUBLIC)


def _machine(editor, admin, counts: dict) -> None:
    for kind, publish in (("key_projects", True), ("statistics_bulletin", False), ("opinion_digest", False)):
        try:
            story = services.machine_story_draft(actor=editor, kind=kind, params={}, is_demo=True)
        except ValidationError:
            continue  # the data this kind needs is not there (e.g. no documents yet)
        counts["machine"] += 1
        services.story_transition(actor=editor, story=story, transition="submit")
        if publish:
            services.story_transition(actor=admin, story=story, transition="approve")
            services.story_transition(actor=editor, story=story, transition="publish")


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Generate the demo kitchen once (nothing when demo stories exist); a few seconds at any scale."""
    if Story.all_objects.filter(is_demo=True).exists():
        return {"skipped": "演示稿件已存在"}
    editor, admin, citizen = _users()
    if editor is None or admin is None:
        return {"skipped": "没有融媒体编辑或市级管理员账号"}
    for word, level, category in WORDS:
        if not SensitiveWord.objects.filter(word=word).exists():
            services.sensitive_word_save(actor=admin, data={"word": word, "level": level, "category": category,
                                                            "note": "（演示）", "is_active": True})
    counts = {"stories": 0, "submissions": 0, "machine": 0}
    steps = [("submit", editor), ("approve", admin), ("publish", editor)]
    for i, (title, summary, body) in enumerate(STORIES):
        story = services.story_create(actor=editor, title=title, summary=summary, body=body, is_demo=True)
        for transition, actor in steps[: max(0, 3 - 2 * i)]:
            story = services.story_transition(actor=actor, story=story, transition=transition)
        counts["stories"] += 1
    if citizen is not None:
        rounds = max(1, min(10, round(3 * scale)))
        for n in range(rounds):
            for j, (title, body) in enumerate(SUBMISSIONS):
                suffix = f"（{n + 1}）" if n else ""
                sub = services.submission_create(actor=citizen, title=title + suffix, body=body, is_demo=True)
                counts["submissions"] += 1
                if n == 0 and j == 0:
                    services.submission_moderate(actor=editor, submission=sub, accept=True)
                elif n == 0 and j == 2:
                    services.submission_moderate(actor=editor, submission=sub, accept=False,
                                                 reason="内容与近期已发布稿件重复。")
    _machine(editor, admin, counts)
    return counts

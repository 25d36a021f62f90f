"""Choices of the central kitchen: where a story comes from, its workflow states, channels, machine kinds,
citizen submissions and the sensitive-word levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    """专业生产 + 用户生产 + 机器人生产."""

    PROFESSIONAL = "professional", _("专业生产")
    USER = "user", _("用户生产")
    MACHINE = "machine", _("机器生成")


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Channel(models.TextChoices):
    WEBSITE = "website", _("网站文章")
    WECHAT = "wechat", _("微信文章")
    WEIBO = "weibo", _("微博")
    APP_PUSH = "app_push", _("客户端推送")
    BROADCAST = "broadcast", _("广播稿")


class MachineKind(models.TextChoices):
    KEY_PROJECTS = "key_projects", _("年度重点项目名单发布")
    STATISTICS = "statistics_bulletin", _("季度统计通报摘要")
    OPINION_DIGEST = "opinion_digest", _("每周舆情摘要")
    CINEMA_WEEKLY = "cinema_weekly", _("每周电影票房报告")


class EventKind(models.TextChoices):
    CREATE = "create", _("创建")
    EDIT = "edit", _("修改母稿")
    VERSIONS = "versions", _("生成渠道稿")
    VERSION_EDIT = "version_edit", _("修改渠道稿")
    SUBMIT = "submit", _("送审")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤回")
    CHECK_FAILED = "check_failed", _("数字核对未通过")


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采用")
    REJECTED = "rejected", _("未采用")


class WordLevel(models.TextChoices):
    BLOCK = "block", _("禁用（不得提交或发布）")
    REVIEW = "review", _("提示（人工审核）")

"""Choices of the media app: source kinds, sentiment labels, duplicate reasons."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS/Atom 订阅")
    JSON = "json", _("JSON/JSONL 接口")
    HTML = "html", _("网页列表（CSS 选择器）")
    UPLOAD = "upload", _("文件上传")
    API = "api", _("合作系统推送接口")
    FILE = "file", _("命令行文件导入")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("正面")
    NEUTRAL = "neutral", _("中性")
    NEGATIVE = "negative", _("负面")


class DuplicateReason(models.TextChoices):
    URL = "url", _("相同链接")
    GUID = "guid", _("相同 GUID")
    TITLE = "title", _("同日同标题")
    NEAR = "near", _("近似正文")


class FetchOutcome(models.TextChoices):
    OK = "ok", _("成功")
    ERROR = "error", _("失败")
    SKIPPED = "skipped", _("退避中跳过")

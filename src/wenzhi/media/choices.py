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


#: TNEWS-15 topic labels of ``wenzhi.nlp.topic`` for pages (translated)
TOPIC_LABELS = {
    "news_story": _("故事"), "news_culture": _("文化"), "news_entertainment": _("娱乐"), "news_sports": _("体育"),
    "news_finance": _("财经"), "news_house": _("房产"), "news_car": _("汽车"), "news_edu": _("教育"),
    "news_tech": _("科技"), "news_military": _("军事"), "news_travel": _("旅游"), "news_world": _("国际"),
    "news_stock": _("股票"), "news_agriculture": _("农业"), "news_game": _("游戏"),
}


def topic_label(code: str) -> str:
    return str(TOPIC_LABELS.get(code, code or ""))


def sector_label(code: str) -> str:
    from wenzhi.registry.choices import Sector

    return str(dict(Sector.choices).get(code, code or ""))

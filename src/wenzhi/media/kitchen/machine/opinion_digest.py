"""每周舆情摘要: the week's opinion digest from the media documents (``wenzhi.media.selectors.documents_for``).

Counts originals (a document that joined a duplicate group counts in its group, never twice). The wording
follows the week: more or fewer documents than the week before, a negative share that calls for attention or
not, one leading district or a tie, the most reprinted story when one was reprinted at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .compose import Composer, Draft, Writer, register
from .figures import Figure, NoData, NoFigure, change, count, growth_rate, names, query, rounded

KEYWORDS_SHOWN = 5
NEGATIVE_ALERT = Decimal(30)  # a negative share at or above 30 % is called out


def _reader(reader: int):
    from wenzhi.core.models import User

    return User.objects.get(pk=reader)


def _week(week: str) -> tuple[dt.datetime, dt.datetime]:
    start = dt.date.fromisoformat(week)
    zone = timezone.get_default_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    return begin, begin + dt.timedelta(days=7)


def _documents(reader: int, week: str):
    from wenzhi.media.selectors import documents_for

    begin, end = _week(week)
    return documents_for(_reader(reader)).filter(published_at__gte=begin, published_at__lt=end, duplicate_reason="")


def _previous(week: str) -> str:
    return (dt.date.fromisoformat(week) - dt.timedelta(days=7)).isoformat()


def _total(reader: int, week: str) -> int:
    return _documents(reader, week).count()


def _nonempty(reader: int, week: str):
    docs = _documents(reader, week)
    if not docs.exists():
        raise NoFigure(week)
    return docs


@query("od_week", _("统计周"))
def od_week(*, reader: int, week: str) -> Figure:
    start = dt.date.fromisoformat(week)
    end = start + dt.timedelta(days=6)
    return Figure(week, f"{start.month}月{start.day}日至{end.month}月{end.day}日")


@query("od_total", _("本周舆情文档数（重复稿件合并计算）"))
def od_total(*, reader: int, week: str) -> Figure:
    return count(_total(reader, week), "篇")


@query("od_change", _("文档数比上周增减"))
def od_change(*, reader: int, week: str) -> Figure:
    return change(growth_rate(Decimal(_total(reader, week)), Decimal(_total(reader, _previous(week)))))


@query("od_negative_share", _("负面文档占比"))
def od_negative_share(*, reader: int, week: str) -> Figure:
    docs = _nonempty(reader, week).exclude(sentiment="")
    total = docs.count()
    if not total:
        raise NoFigure(week)
    share = rounded(Decimal(docs.filter(sentiment="negative").count() * 100) / total, 1)
    return Figure(share, f"{share:.1f}%")


@query("od_keywords", _("本周高频关键词"))
def od_keywords(*, reader: int, week: str) -> Figure:
    counter: Counter = Counter()
    for keywords in _nonempty(reader, week).values_list("keywords", flat=True).iterator(chunk_size=2000):
        counter.update(keywords.split())
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:KEYWORDS_SHOWN]
    return names([f"“{word}”" for word, _n in top])


def _district_counter(reader: int, week: str) -> Counter:
    rows = _nonempty(reader, week).exclude(district=None).values_list("district__name", flat=True)
    return Counter(rows)


@query("od_districts", _("提及最多的区"))
def od_districts(*, reader: int, week: str) -> Figure:
    counter = _district_counter(reader, week)
    if not counter:
        raise NoFigure(week)
    top = max(counter.values())
    return names(sorted(k for k, v in counter.items() if v == top))


@query("od_district_top", _("提及最多的区的文档数"))
def od_district_top(*, reader: int, week: str) -> Figure:
    counter = _district_counter(reader, week)
    if not counter:
        raise NoFigure(week)
    return count(max(counter.values()), "篇")


def _enterprise_counter(reader: int, week: str) -> Counter:
    return Counter(n for n in _nonempty(reader, week).values_list("enterprises__name", flat=True) if n)


@query("od_enterprises", _("提及最多的企业"))
def od_enterprises(*, reader: int, week: str) -> Figure:
    counter = _enterprise_counter(reader, week)
    if not counter:
        raise NoFigure(week)
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return names([name for name, _n in top])


def _biggest_group(reader: int, week: str):
    docs = _nonempty(reader, week).exclude(duplicate_group=None).select_related("duplicate_group")
    best = max(docs, key=lambda d: (d.duplicate_group.size, -d.pk), default=None)
    if best is None or best.duplicate_group.size < 2:
        raise NoFigure(week)
    return best


@query("od_reprinted_title", _("本周转载最多的稿件"))
def od_reprinted_title(*, reader: int, week: str) -> Figure:
    doc = _biggest_group(reader, week)
    return Figure(doc.pk, f"《{doc.title}》")


@query("od_reprinted_size", _("该稿件的转载篇数"))
def od_reprinted_size(*, reader: int, week: str) -> Figure:
    return count(_biggest_group(reader, week).duplicate_group.size, "篇")


def _volume(c: Composer, p: dict) -> str:
    text = f"{c.fig('od_week', **p)}，平台共监测到涉及本市文化领域的舆情信息{c.fig('od_total', **p)}"
    rate = c.get("od_change", **p)
    if rate is None:
        return text + "。"
    shown = c.put("od_change", rate, **p)
    if rate.value > 0:
        return text + f"，比上周{shown}，关注度有所上升。"
    if rate.value < 0:
        return text + f"，比上周{shown}，热度有所回落。"
    return text + "，与上周持平。"


def _tone(c: Composer, p: dict) -> str:
    share = c.get("od_negative_share", **p)
    if share is None:
        return ""
    shown = c.put("od_negative_share", share, **p)
    if share.value >= NEGATIVE_ALERT:
        return f"负面信息占{shown}，占比偏高，相关单位需及时研判回应。"
    if share.value == 0:
        return "本周未监测到负面信息，舆论氛围总体正面。"
    return f"负面信息占{shown}，舆论氛围总体平稳。"


def _focus(c: Composer, p: dict) -> str:
    parts = []
    keywords = c.fig("od_keywords", **p)
    if keywords:
        parts.append(f"高频关键词为{keywords}")
    districts = c.get("od_districts", **p)
    if districts is not None:
        who, top = c.put("od_districts", districts, **p), c.fig("od_district_top", **p)
        parts.append(f"{who}被提及最多，各有{top}" if len(districts.value) > 1 else f"{who}被提及最多，有{top}")
    enterprises = c.fig("od_enterprises", **p)
    if enterprises:
        parts.append(f"受关注较多的企业有{enterprises}")
    return ("；".join(parts) + "。") if parts else ""


def compose(params: dict) -> Draft:
    p = {"reader": params["reader"], "week": params["week"]}
    if not _documents(**p).exists():
        raise NoData(gettext("%(week)s 起的一周没有采集到舆情文档。") % {"week": params["week"]})
    c = Composer()
    paragraphs = [_volume(c, p), _tone(c, p), _focus(c, p)]
    title_text = c.get("od_reprinted_title", **p)
    if title_text is not None:
        paragraphs.append(f"本周转载最多的稿件是{c.put('od_reprinted_title', title_text, **p)}，"
                          f"共{c.fig('od_reprinted_size', **p)}。")
    title = f"每周舆情摘要（{c.fig('od_week', **p)}）"
    return c.draft(title=title, summary=paragraphs[0], paragraphs=paragraphs, params=params)


def parse(raw: dict) -> dict:
    try:
        week = dt.date.fromisoformat(str(raw.get("week") or ""))
    except ValueError:
        raise ValidationError({"week": gettext("统计周：请填写一周的起始日期，如 2026-11-23。")}) from None
    week -= dt.timedelta(days=week.weekday())  # the Monday of that week
    reader = raw.get("reader")
    if not reader:
        raise ValidationError({"week": gettext("舆情摘要需要以一位编辑的身份读取文档。")})
    return {"reader": int(reader), "week": week.isoformat()}


def default() -> dict:
    """Last week (Monday to Sunday)."""
    today = timezone.localdate()
    return {"week": (today - dt.timedelta(days=today.weekday() + 7)).isoformat()}


def available() -> tuple[bool, str]:
    from django.apps import apps

    if not apps.is_installed("wenzhi.media"):
        return False, gettext("舆情监测模块未安装。")
    return True, ""


register(Writer(kind="opinion_digest", parse=parse, default=default, compose=compose, available=available))

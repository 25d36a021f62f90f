"""The channels of the central kitchen and their length rules, and how each channel's version is drafted from
the master story.

| channel | title | summary | body |
|---|---|---|---|
| website article | ≤ 64 | ≤ 200 | ≥ 20 |
| WeChat article | ≤ 64 | digest ≤ 120 | ≥ 20 |
| Weibo post | — | — | ≤ 140 (Weibo's count: two half-width characters count as one) |
| app push | — | — | ≤ 40 |
| broadcast script | ≤ 64 | — | ≤ 900 (about four minutes read aloud at 225 characters a minute) |

Drafting cuts at sentence boundaries (``wenzhi.nlp.summary.split_sentences``) and never mid-word where a
sentence fits; a cut sentence ends in "…". The broadcast script is written for the ear: brackets and links are
dropped and percentages are read out (``12.3%`` → ``百分之十二点三``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.nlp.summary import split_sentences

from .choices import Channel

BROADCAST_CHARS_PER_MINUTE = 225
ELLIPSIS = "…"


def plain_length(text: str) -> int:
    return len(text)


def weibo_length(text: str) -> int:
    """Weibo's count: a Chinese (full-width) character is one, two half-width characters are one (rounded up)."""
    half = sum(1 for ch in text if ord(ch) < 0x2E80 and not ("\uff00" <= ch <= "\uffef"))
    return (len(text) - half) + math.ceil(half / 2)


@dataclass(frozen=True)
class Limit:
    field: str
    most: int | None = None
    least: int | None = None


@dataclass(frozen=True)
class ChannelRule:
    """A channel's length rules (characters, counted by ``count``) and which fields it has."""

    channel: str
    limits: tuple[Limit, ...]
    has_title: bool = True
    has_summary: bool = False
    count: str = "plain"  # or "weibo"
    summary_label: object = _("摘要")

    def length(self, text: str) -> int:
        return weibo_length(text) if self.count == "weibo" else plain_length(text)

    def most(self, field: str) -> int | None:
        return next((lim.most for lim in self.limits if lim.field == field), None)


RULES: dict[str, ChannelRule] = {
    Channel.WEBSITE: ChannelRule(Channel.WEBSITE, (Limit("title", 64), Limit("summary", 200), Limit("body", least=20)),
                                 has_summary=True),
    Channel.WECHAT: ChannelRule(Channel.WECHAT, (Limit("title", 64), Limit("summary", 120), Limit("body", least=20)),
                                has_summary=True, summary_label=_("摘要（转发时显示）")),
    Channel.WEIBO: ChannelRule(Channel.WEIBO, (Limit("body", 140, 1),), has_title=False, count="weibo"),
    Channel.APP_PUSH: ChannelRule(Channel.APP_PUSH, (Limit("body", 40, 1),), has_title=False),
    Channel.BROADCAST: ChannelRule(Channel.BROADCAST, (Limit("title", 64), Limit("body", 900, 20))),
}
FIELD_LABELS = {"title": _("标题"), "summary": _("摘要"), "body": _("正文")}


def rule(channel: str) -> ChannelRule:
    return RULES[channel]


def length_problems(channel: str, *, title: str, summary: str, body: str) -> dict[str, str]:
    """{field: the Chinese sentence saying which rule it breaks} for one channel's version (empty: all kept)."""
    r = rule(channel)
    values = {"title": title, "summary": summary, "body": body}
    name = str(Channel(channel).label)
    out: dict[str, str] = {}
    for lim in r.limits:
        n = r.length(values[lim.field])
        label = str(FIELD_LABELS[lim.field])
        if lim.most is not None and n > lim.most:
            out[lim.field] = gettext("%(channel)s%(field)s %(n)s 字，超过 %(most)s 字的上限，请删减 %(over)s 字。") % {
                "channel": name, "field": label, "n": n, "most": lim.most, "over": n - lim.most}
        elif lim.least is not None and n < lim.least:
            out[lim.field] = gettext("%(channel)s%(field)s %(n)s 字，至少需要 %(least)s 字。") % {
                "channel": name, "field": label, "n": n, "least": lim.least}
    return out


def fit(text: str, most: int, length=plain_length) -> str:
    """``text`` cut to at most ``most`` characters: whole sentences while they fit, else the first sentence cut
    at a comma or at the limit, ending in "…"."""
    text = re.sub(r"\s+", "", text) if re.search(r"[\u4e00-\u9fff]", text) else " ".join(text.split())
    if length(text) <= most:
        return text
    out = ""
    for sentence in split_sentences(text):
        if length(out + sentence) > most:
            break
        out += sentence
    if out:
        return out
    cut = text
    while cut and length(cut + ELLIPSIS) > most:
        cut = cut[:-1]
    comma = max(cut.rfind("，"), cut.rfind("、"), cut.rfind(","))
    if comma >= len(cut) // 2:
        cut = cut[:comma]
    return cut + ELLIPSIS


_DIGIT_NAMES = "零一二三四五六七八九"


def _integer_reading(digits: str) -> str:
    """An integer below 10^8 as read aloud (``125`` → ``一百二十五``); longer numbers digit by digit."""
    n = int(digits)
    if n == 0:
        return "零"
    if n >= 10**8:
        return "".join(_DIGIT_NAMES[int(d)] for d in digits)
    units = ["", "十", "百", "千"]

    def below_10k(x: int) -> str:
        s, zero = "", False
        for i in range(3, -1, -1):
            d = (x // 10**i) % 10
            if d == 0:
                zero = bool(s)
                continue
            if zero:
                s += "零"
                zero = False
            s += _DIGIT_NAMES[d] + units[i]
        return s

    high, low = divmod(n, 10_000)
    text = (below_10k(high) + "万" + ("零" if 0 < low < 1000 else "") + below_10k(low)) if high else below_10k(low)
    return text[1:] if text.startswith("一十") else text


def read_number(number: str) -> str:
    whole, _dot, frac = number.partition(".")
    out = _integer_reading(whole)
    if frac:
        out += "点" + "".join(_DIGIT_NAMES[int(d)] for d in frac)
    return out


def for_the_ear(text: str) -> str:
    """Text for reading aloud: no brackets or links, percentages read out in words."""
    text = re.sub(r"（[^（）]*）|\([^()]*\)|https?://\S+", "", text)
    return re.sub(r"(\d+(?:\.\d+)?)%", lambda m: "百分之" + read_number(m.group(1)), text)


def draft(channel: str, *, title: str, summary: str, body: str) -> dict[str, str]:
    """A channel's version drafted from the master (title, summary, body), inside the channel's limits."""
    lead = summary.strip() or "".join(split_sentences(body)[:2])
    r = rule(channel)
    title_most = r.most("title") or 64
    short_title = fit(title, title_most)
    if channel == Channel.WEBSITE:
        return {"title": short_title, "summary": fit(lead, r.most("summary") or 200), "body": body.strip()}
    if channel == Channel.WECHAT:
        return {"title": short_title, "summary": fit(lead, r.most("summary") or 120), "body": body.strip()}
    if channel == Channel.WEIBO:
        head = f"【{title}】"
        most = r.most("body") or 140
        if weibo_length(head) >= most - 10:
            return {"title": "", "summary": "", "body": fit(head + lead, most, weibo_length)}
        return {"title": "", "summary": "", "body": head + fit(lead, most - weibo_length(head), weibo_length)}
    if channel == Channel.APP_PUSH:
        return {"title": "", "summary": "", "body": fit(title, r.most("body") or 40)}
    spoken = "\n\n".join(for_the_ear(p).strip() for p in body.split("\n") if p.strip())
    most = r.most("body") or 900
    return {"title": short_title, "summary": "", "body": spoken if len(spoken) <= most else fit(spoken, most)}


def broadcast_seconds(text: str) -> int:
    """About how long a broadcast script takes to read aloud."""
    return round(len(re.sub(r"\s", "", text)) * 60 / BROADCAST_CHARS_PER_MINUTE)

"""The shared headline and review corpora as a stream of news items, for the demo feeds, the demo data and the
benchmarks.

Headlines: THUCNews titles and TNEWS sentences; reviews: ChnSentiCorp hotel reviews and the online-shopping
reviews (``shared/data/nlp``, found as ``wenzhi.nlp.train.find_shared_data`` finds it). Without those files a
small built-in set of Tianjin culture headlines stands in, so demo data works on any machine.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

FALLBACK_HEADLINES = [
    "天津文化产业园区新增入驻企业三十余家", "五大道文化旅游节开幕 游客同比增长", "天津动漫产业有限公司发布原创动画新作",
    "滨海新区举办数字文化创意论坛", "天津市推进文化和旅游消费试点城市建设", "古文化街非遗展演吸引市民观看",
    "津门文化惠民卡上线 首批商户名单公布", "天津广播电视网络有限公司推出智慧广电服务", "武清区文化创意产业园招商签约",
    "和平区打造历史文化街区夜间消费新场景", "天津博物馆特展开幕 文物精品首次亮相", "天津大剧院新演出季票房走高",
    "河西区图书馆阅读推广活动覆盖万余人次", "文旅市场投诉处理情况通报", "部分景区节假日拥堵引发游客不满",
    "天津出版传媒集团新书发布会举行", "红桥区非遗工坊带动就业", "天津市文化产业重点项目清单公布",
]
FALLBACK_REVIEWS = [
    "演出非常精彩，舞美和音响效果都很好，值得一看。", "排队时间太长，现场秩序混乱，体验很差。",
    "展览内容丰富，讲解员很专业，孩子也很喜欢。", "票价偏高，性价比一般，希望多些优惠。",
    "环境整洁，服务热情，下次还会再来。", "停车不方便，指示牌不清楚，找了很久。",
]


@functools.cache
def data_dir() -> Path | None:
    from wenzhi.nlp.train import find_shared_data

    return find_shared_data()


@functools.cache
def headlines() -> tuple[str, ...]:
    d = data_dir()
    out: list[str] = []
    if d is not None:
        for f in sorted((d / "THUCNews_titles").glob("**/*.txt")):
            if f.name == "class.txt":
                continue
            with f.open(encoding="utf-8", errors="replace") as fh:
                out.extend(line.split("\t", 1)[0].strip() for line in fh if line.strip())
        tnews = d / "tnews_public" / "dev.json"
        if tnews.exists():
            with tnews.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    try:
                        out.append(json.loads(line)["sentence"].strip())
                    except (ValueError, KeyError, TypeError):
                        continue
    out = [h for h in dict.fromkeys(out) if h]
    return tuple(out) or tuple(FALLBACK_HEADLINES)


@functools.cache
def reviews() -> tuple[str, ...]:
    d = data_dir()
    out: list[str] = []
    if d is not None:
        for name in ("ChnSentiCorp_htl_all.csv", "online_shopping_10_cats.csv"):
            f = d / name
            if f.exists():
                with f.open(encoding="utf-8", errors="replace", newline="") as fh:
                    out.extend((row.get("review") or "").strip().lstrip("\ufeff") for row in csv.DictReader(fh))
    out = [r for r in out if r]
    return tuple(out) or tuple(FALLBACK_REVIEWS)


def replay(n: int, *, start: int = 0, source: str = "replay", text_chars: int = 80,
           first: datetime | None = None, span: timedelta = timedelta(days=365)) -> Iterator[dict]:
    """``n`` short news items: a headline as title, a review snippet as text, a unique URL, publication times
    spread evenly over ``span`` ending at ``first + span`` (default: now)."""
    heads, revs = headlines(), reviews()
    end = datetime.now(UTC).replace(microsecond=0)
    first = first or end - span
    step = span / max(n, 1)
    for k in range(start, start + n):
        title = heads[k % len(heads)]
        text = revs[(k * 7919) % len(revs)][:text_chars]
        yield {"id": str(k), "title": title, "text": f"{title}。{text}", "url": f"https://news.example.cn/{source}/{k}",
               "published_at": (first + step * (k - start)).isoformat()}

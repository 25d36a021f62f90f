"""Demo data of opinion monitoring: labelled sources pointing at the local demo feeds, and a labelled set of
analysed documents (headlines naming the demo registry's enterprises, parks and districts, with review snippets,
spread over the last 30 days with a burst of coverage), so every media page has data at any ``--scale``.

``wenzhi demo`` also starts the demo feed server on 127.0.0.1 (:mod:`wenzhi.media.demofeeds`) and schedules
the feed sources, so monitoring is live from the first start (``WENZHI_DEMO_FEEDS=0`` turns that off).
"""

from __future__ import annotations

import os
import random
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import corpus, demofeeds
from .choices import SourceKind
from .ingest import ingest_records
from .models import Source

LABEL = "（演示）"
HOST = "127.0.0.1"
TEMPLATES = [
    "{name}举办年度文化惠民活动 市民反响热烈", "{name}新项目签约落地 助力文化产业高质量发展", "{name}被投诉服务不到位 游客排队时间过长",
    "{name}入选市级文化产业示范名单", "{name}推出原创作品 获得多项大奖", "{name}因安全隐患被责令整改",
    "{name}开展非遗进社区活动", "{name}举办数字文化创意论坛", "{name}年度营收创新高", "{name}演出取消引发观众不满",
]
DISTRICT_TEMPLATES = ["{name}文化旅游节开幕 客流同比增长", "{name}发布文化产业扶持新政", "{name}多家景区周末拥堵 游客抱怨"]


def _port() -> int:
    return int(os.environ.get("WENZHI_DEMO_FEED_PORT", "8765"))


def _sources() -> list[Source]:
    base = f"http://{HOST}:{_port()}"
    specs = [
        ("新闻标题 RSS" + LABEL, SourceKind.RSS, base + demofeeds.PATHS["headlines"], {}),
        ("网友评论 JSON" + LABEL, SourceKind.JSON, base + demofeeds.PATHS["reviews"], {"items": "items"}),
        ("GBK 编码 RSS" + LABEL, SourceKind.RSS, base + demofeeds.PATHS["gbk"], {}),
        ("网页列表" + LABEL, SourceKind.HTML, base + demofeeds.PATHS["html"],
         {"item": "li.news", "title": "a", "link": "a", "date": ".time", "text": ".summary"}),
        ("合作系统推送" + LABEL, SourceKind.API, "", {}),
        ("历史数据导入" + LABEL, SourceKind.FILE, "", {}),
    ]
    out = []
    for name, kind, url, selectors in specs:
        source, _ = Source.objects.get_or_create(name=name, defaults={
            "kind": kind, "url": url, "selectors": selectors, "interval_minutes": 10})
        out.append(source)
    return out


def _names() -> list[tuple[str, str]]:
    """(kind, name) of demo registry rows worth mentioning: enterprises, parks, projects and districts."""
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation
    from wenzhi.projects.models import Project
    from wenzhi.registry.models import Enterprise, Park

    names = [("enterprise", n) for n in Enterprise.objects.order_by("id").values_list("name", flat=True)[:300]]
    names += [("park", n) for n in Park.objects.order_by("id").values_list("name", flat=True)[:60]]
    names += [("project", n) for n in Project.objects.order_by("id").values_list("name", flat=True)[:60]]
    names += [("district", n) for n in Organisation.objects.filter(level=Level.DISTRICT).values_list("name", flat=True)]
    return [(k, n.replace(LABEL, "")) for k, n in names if n]


def records(n: int, rng: random.Random) -> list[dict]:
    """``n`` labelled demo records over the last 30 days; a quarter fall in the last two days (a hot event)."""
    now = timezone.now()
    names = _names()
    heads, revs = corpus.headlines(), corpus.reviews()
    out = []
    for k in range(n):
        if names and k % 3 != 2:
            kind, name = rng.choice(names)
            title = rng.choice(DISTRICT_TEMPLATES if kind == "district" else TEMPLATES).format(name=name)
        else:
            title = rng.choice(heads)
        hours = rng.uniform(0, 48) if k % 4 == 0 else rng.uniform(0, 30 * 24)
        out.append({"id": f"demo-{k}", "title": f"{title}{LABEL}", "text": f"{title}。{rng.choice(revs)[:100]}",
                    "url": f"https://demo.wenzhi.example/news/{k}",
                    "published_at": (now - timedelta(hours=hours)).isoformat()})
    # the same story from several sources: duplicates to group
    for k in range(0, min(n, 40), 4):
        copy = dict(out[k], id=f"demo-copy-{k}", url=f"https://mirror.wenzhi.example/news/{k}")
        out.append(copy)
    return out


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Create the demo sources and ingest a labelled demo set; start the local feeds (see module doc)."""
    sources = _sources()
    archive = sources[-1]
    if archive.documents.exists():
        out = {"skipped": "演示舆情数据已存在", "documents": archive.documents.count()}
        if _feeds_wanted():
            out.update(_start_feeds(stdout))
        return out
    n = max(60, min(int(1200 * scale), 20_000))
    result = ingest_records(archive, records(n, random.Random(20261202)), keep_ids=False)
    out = {"sources": len(sources), "documents": result.stored, "duplicates": result.duplicates}
    if _feeds_wanted():
        out.update(_start_feeds(stdout))
    return out


def _feeds_wanted() -> bool:
    return bool(getattr(settings, "WENZHI_DEMO_FEEDS", True)) and os.environ.get("WENZHI_DEMO_FEEDS", "1") != "0"


def ensure_feeds() -> int | None:
    """Start the demo feed server again if enabled demo sources point at it and it is not answering (it exits
    after two idle hours, or with the machine); its pid, or None when nothing was started. ``wenzhi serve``
    runs this at start and every few minutes (``hooks.serve_check``)."""
    if not _feeds_wanted():
        return None
    base = f"http://{HOST}:{_port()}/"
    if not Source.objects.filter(enabled=True, url__startswith=base, name__endswith=LABEL).exists():
        return None
    return demofeeds.start_background(HOST, _port())


def _start_feeds(stdout) -> dict:
    from django.db import transaction

    from .tasks import schedule_sources_task

    pid = demofeeds.start_background(HOST, _port())
    if stdout is not None:
        where = f"http://{HOST}:{_port()}/"
        stdout.write(f"  演示信息源：{where}" + (f"（进程 {pid}，闲置两小时后自动退出）" if pid else "（已在运行）"))
    transaction.on_commit(lambda: schedule_sources_task.enqueue())
    return {"feeds": f"http://{HOST}:{_port()}/"}

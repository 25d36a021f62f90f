"""Benchmarks for the text half of wenzhi.nlp; prints its figures.

    .venv/bin/python bench/nlp_text.py [--section all|segment|entities|dedup|keywords] [--split report|tune]

Sections:
  segment   chars/s of wenzhi.nlp.segment (with a registry user dictionary) vs bare rjieba
  entities  entity-linking precision/recall on bench/data/entity_linking.jsonl (seeded split)
  dedup     near-duplicate precision/recall on edited copies of THUCNews headlines (seeded split)
  keywords  keywords (tfidf, textrank) and summary throughput

Data: THUCNews headlines from ../shared/data/nlp/THUCNews_titles/dev.txt (see SOURCES.md there);
sections that need it are skipped with a message when it is absent. Every random choice is
seeded; the tuning split (``--split tune``) and the reporting split (default) never share a
headline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("WENZHI_SHARED_DATA", ROOT.parent / "shared" / "data"))
THUC = SHARED / "nlp" / "THUCNews_titles" / "dev.txt"
TNEWS = SHARED / "nlp" / "tnews_public" / "dev.json"
DATA = ROOT / "bench" / "data"


def thucnews_headlines() -> list[str]:
    with open(THUC, encoding="utf-8") as f:
        return [line.split("\t")[0].strip() for line in f if line.strip()]


def split_of(key: str, seed: int = 20261127) -> str:
    """Stable tune/report split of a headline (about half each), independent of list order."""
    import zlib

    return "tune" if zlib.crc32(f"{seed}:{key}".encode()) % 2 == 0 else "report"


# ----------------------------------------------------------------------------- dedup set
PREFIXES = ["【快讯】", "转：", "转发:", "【独家】", "快讯：", "【最新】", "突发！", "[视频]", "【热点】", "转载："]
SUFFIXES = ["(组图)", "（图）", "[视频]"]
PUNCT_SUBS = [("，", " "), ("：", ":"), ("，", "、"), (" ", "，"), ("！", "!"), ("？", "?"), ("：", "——"), ("\u201c", "\"")]


def _edit(h: str, rng: random.Random, charpool: str, s2t) -> tuple[str, list[str]]:
    """Apply 1-3 realistic editorial edits to a headline; return the copy and the edit names."""
    ops = ["punct", "prefix", "chars", "trad", "fullwidth", "swap", "suffix"]
    chosen = rng.sample(ops, rng.choice([1, 1, 2, 2, 3]))
    t = h
    for op in chosen:
        if op == "punct":
            subs = [(a, b) for a, b in PUNCT_SUBS if a in t]
            if subs:
                a, b = rng.choice(subs)
                t = t.replace(a, b, 1)
            else:
                t = t + rng.choice(["！", "。", "?"])
        elif op == "prefix":
            t = rng.choice(PREFIXES) + t
        elif op == "suffix":
            t = t + rng.choice(SUFFIXES)
        elif op == "chars":
            n = 1 if len(t) < 14 else rng.choice([1, 2, 2, 3])
            for _ in range(n):
                i = rng.randrange(len(t))
                kind = rng.choice(["ins", "del", "sub"])
                if kind == "ins":
                    t = t[:i] + rng.choice(charpool) + t[i:]
                elif kind == "del" and len(t) > 4:
                    t = t[:i] + t[i + 1 :]
                else:
                    t = t[:i] + rng.choice(charpool) + t[i + 1 :]
        elif op == "trad":
            t = s2t(t)
        elif op == "fullwidth":
            t = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in t)
        elif op == "swap":
            import re

            parts = [p for p in re.split(r"([，,：:；;\s])", t)]
            clauses = parts[0::2]
            if len([c for c in clauses if c]) >= 2:
                seps = parts[1::2]
                clauses = [c for c in clauses if c]
                i = rng.randrange(len(clauses) - 1)
                clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
                sep = seps[0] if seps else "，"
                t = sep.join(clauses)
            else:
                t = t + "，" + rng.choice(["最新消息", "详情", "附全文"]) if rng.random() < 0.3 else t
    return t, chosen


def build_dedup_set(split: str, *, seed: int = 7, copy_rate: float = 0.4) -> list[tuple[str, str, str]]:
    """Stream of (id, text, group) for one split: every headline of the split, plus edited
    copies of ``copy_rate`` of them (1 or 2 copies each), shuffled with a fixed seed. Items of one
    group are duplicates of each other; different groups are different headlines.
    Headlines identical after canonicalisation are folded into one group (they are real
    duplicates in the corpus, not negatives)."""
    import opencc

    from wenzhi.nlp.dedup import canonical_text

    s2t = opencc.OpenCC("s2t").convert
    rng = random.Random(seed)
    heads = [h for h in thucnews_headlines() if split_of(h) == split]
    charpool = "".join(c for c in "".join(heads) if "\u4e00" <= c <= "\u9fff")
    items: list[tuple[str, str, str]] = []
    group_of_canon: dict[str, str] = {}
    for n, h in enumerate(heads):
        g = group_of_canon.setdefault(canonical_text(h), f"g{n}")
        items.append((f"{split}-{n}", h, g))
        if rng.random() < copy_rate:
            for c in range(rng.choice([1, 1, 2])):
                copy, _ops = _edit(h, rng, charpool, s2t)
                items.append((f"{split}-{n}-c{c}", copy, g))
    rng.shuffle(items)
    return items


def eval_dedup(items: list[tuple[str, str, str]], threshold: float) -> dict[str, float]:
    from wenzhi.nlp.dedup import NearDuplicateIndex

    group = {i: g for i, _, g in items}
    sizes = Counter(group.values())
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    index = NearDuplicateIndex(threshold=threshold)
    tp = fp = 0
    fps: list[tuple[str, str, float]] = []
    t0 = time.perf_counter()
    texts = {i: t for i, t, _ in items}
    for i, t, g in items:
        for other, s in index.add(i, t):
            if group[other] == g:
                tp += 1
            else:
                fp += 1
                fps.append((texts[other], t, s))
    dt = time.perf_counter() - t0
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    return {"precision": p, "recall": r, "tp": tp, "fp": fp, "true_pairs": true_pairs, "items": len(items),
            "items_per_s": len(items) / dt, "fps": fps}


def section_dedup(split: str, thresholds: list[float]) -> None:
    if not THUC.exists():
        print(f"dedup: skipped ({THUC} absent)")
        return
    items = build_dedup_set(split)
    for th in thresholds:
        m = eval_dedup(items, th)
        print(f"dedup[{split}] threshold={th:.2f}: precision={m['precision']:.4f} recall={m['recall']:.4f} "
              f"(tp={m['tp']} fp={m['fp']} true_pairs={m['true_pairs']}, {m['items']} items, "
              f"{m['items_per_s']:.0f} items/s)")
        if split == "tune":
            for a, b, s in m["fps"][:8]:
                print(f"   FP {s:.2f}  {a} | {b}")


# ----------------------------------------------------------------------------- entity-linking set
# The registry used by the benchmark: the 16 districts, named Tianjin culture enterprises and
# parks, and synthetic ones (marked "synthetic" in context). ``mentions`` are the ways a news
# writer refers to each entity, written by hand (not produced by the linker's own short-name
# rules); the generator inserts them into real headlines.
BENCH_ENTITIES: list[dict] = [
    {"id": "ent-gdwl", "kind": "enterprise", "name": "天津广播电视网络有限公司", "context": "河西区 有线电视 宽带 广电",
     "mentions": ["天津广播电视网络有限公司", "广电网络公司", "天津广电网络", "天津广电网络公司"]},
    {"id": "ent-cbcm", "kind": "enterprise", "name": "天津出版传媒集团有限公司", "context": "和平区 出版 图书 发行",
     "mentions": ["天津出版传媒集团有限公司", "天津出版传媒集团", "出版传媒集团"]},
    {"id": "ent-jwwl", "kind": "enterprise", "name": "天津今晚网络信息技术股份有限公司", "context": "今晚报 新闻网站",
     "mentions": ["天津今晚网络信息技术股份有限公司", "今晚网络信息技术公司", "天津今晚网络信息技术公司"]},
    {"id": "ent-lrcz", "kind": "enterprise", "name": "天津灵然创智科技有限公司", "context": "动漫 游戏 数字内容",
     "mentions": ["天津灵然创智科技有限公司", "灵然创智", "灵然创智公司", "灵然创智科技"]},
    {"id": "ent-wlds", "kind": "enterprise", "name": "未来电视有限公司", "context": "互联网电视 滨海新区",
     "mentions": ["未来电视有限公司", "未来电视公司"]},
    {"id": "ent-bfw", "kind": "enterprise", "name": "天津北方网新媒体集团", "aliases": ["北方网"], "context": "新闻网站 新媒体",
     "mentions": ["天津北方网新媒体集团", "北方网", "北方网新媒体集团"]},
    {"id": "ent-shenjie", "kind": "enterprise", "name": "天津神界漫画有限公司", "context": "漫画 动漫 原创",
     "mentions": ["天津神界漫画有限公司", "神界漫画", "神界漫画公司"]},
    # synthetic enterprises; two share the trade name 华彩文化 (ambiguous)
    {"id": "ent-hcch", "kind": "enterprise", "name": "天津华彩文化传媒有限公司", "context": "synthetic 和平区 演出 策划 剧场",
     "mentions": ["天津华彩文化传媒有限公司", "华彩文化传媒"], "ambiguous_mentions": ["华彩文化", "天津华彩文化"]},
    {"id": "ent-hcfz", "kind": "enterprise", "name": "天津华彩文化发展集团有限公司", "context": "synthetic 滨海新区 影视 动漫 基地",
     "mentions": ["天津华彩文化发展集团有限公司", "华彩文化发展集团"], "ambiguous_mentions": ["华彩文化", "天津华彩文化"]},
    {"id": "ent-jcsz", "kind": "enterprise", "name": "天津津彩数字科技有限公司", "context": "synthetic 西青区 数字出版",
     "mentions": ["天津津彩数字科技有限公司", "津彩数字", "津彩数字科技"]},
    {"id": "ent-ghys", "kind": "enterprise", "name": "天津光合影视传媒有限公司", "context": "synthetic 东丽区 影视 制作",
     "mentions": ["天津光合影视传媒有限公司", "光合影视", "光合影视传媒"]},
    {"id": "ent-hhyy", "kind": "enterprise", "name": "天津海河演艺集团有限公司", "context": "synthetic 河北区 演出 剧院",
     "mentions": ["天津海河演艺集团有限公司", "海河演艺集团", "海河演艺"]},
    {"id": "ent-yqkj", "kind": "enterprise", "name": "墨语（天津）文化科技有限公司", "context": "synthetic 武清区 书法 文创",
     "mentions": ["墨语（天津）文化科技有限公司", "墨语文化科技", "墨语文化"]},
    # parks
    {"id": "park-dongman", "kind": "park", "name": "国家动漫产业综合示范园", "aliases": ["动漫园"], "context": "滨海新区 生态城 动漫",
     "mentions": ["国家动漫产业综合示范园", "动漫产业综合示范园", "天津国家动漫产业综合示范园"]},
    {"id": "park-guanggao", "kind": "park", "name": "国家广告产业园", "context": "广告 创意",
     "mentions": ["国家广告产业园", "天津国家广告产业园"]},
    {"id": "park-c92", "kind": "park", "name": "C92文化产业园", "context": "文化产业园",
     "mentions": ["C92文化产业园", "C92创意园"]},
    {"id": "park-mian3", "kind": "park", "name": "棉3创意街区", "aliases": ["棉三创意街区", "棉三"], "context": "河东区 创意 街区",
     "mentions": ["棉3创意街区", "棉三创意街区", "棉三"]},
    {"id": "park-xiannong", "kind": "park", "name": "先农大院", "context": "和平区 五大道",
     "mentions": ["先农大院"]},
    {"id": "park-zhihuishan", "kind": "park", "name": "滨海新区智慧山文化创意产业园", "aliases": ["智慧山"], "context": "滨海新区",
     "mentions": ["滨海新区智慧山文化创意产业园", "智慧山文化创意产业园", "智慧山"]},
    {"id": "park-yiku", "kind": "park", "name": "意库创意产业园", "aliases": ["天津意库"], "context": "红桥区 创意",
     "mentions": ["意库创意产业园", "天津意库"]},
    # projects and people (synthetic)
    {"id": "proj-haihe", "kind": "project", "name": "海河文化旅游带建设项目", "aliases": ["海河文旅带"], "context": "synthetic 海河 文旅",
     "mentions": ["海河文化旅游带建设项目", "海河文旅带"]},
    {"id": "proj-djy2", "kind": "project", "name": "天津大剧院二期工程", "context": "synthetic 河西区 剧院",
     "mentions": ["天津大剧院二期工程", "大剧院二期工程"]},
    {"id": "per-wlx", "kind": "person", "name": "王立新", "context": "synthetic 文化和旅游局 局长",
     "mentions": ["王立新"]},
    {"id": "per-cjy", "kind": "person", "name": "陈静怡", "context": "synthetic 灵然创智 创始人",
     "mentions": ["陈静怡"]},
]
DISTRICT_SHORT_MENTIONS = {"东丽区": "东丽", "西青区": "西青", "津南区": "津南", "北辰区": "北辰", "武清区": "武清",
                           "宝坻区": "宝坻", "宁河区": "宁河", "静海区": "静海", "蓟州区": "蓟州"}
# strings that look like registry names but are not (other cities, common words, longer words)
DISTRACTORS = [
    "北京广播电视网络有限公司", "上海出版传媒集团", "南开大学", "河北省", "和平精英", "今晚网络直播", "未来电视剧",
    "国家动漫产业基地", "滨海县", "东丽湖", "静海寺", "河西走廊", "北辰实业", "光合作用", "海河大桥",
    "江苏出版传媒集团", "广东广播电视网络", "河东狮吼", "红桥市场", "华彩人生", "数字科技公司", "文化产业园区",
    "未来电视行业", "大剧院", "王立新村", "智慧山水",
]
TEMPLATES = ["{m}：{h}", "{h}（{m}）", "据{m}消息，{h}", "{m}发布：{h}", "{h}，{m}相关负责人表示关注", "{m}携手合作方 {h}"]


def entity_registry() -> list[dict]:
    """The benchmark registry as Entity fields (districts from the shared divisions table)."""
    import csv

    out = []
    path = SHARED / "standards" / "tianjin_divisions.csv"
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["level"] == "3":
                out.append({"id": f"dist-{row['code_6']}", "kind": "district", "name": row["name"], "aliases": [], "context": ""})
    for e in BENCH_ENTITIES:
        out.append({k: e.get(k, [] if k == "aliases" else "") for k in ("id", "kind", "name", "aliases", "context")})
    return out


def build_entity_set(seed: int = 11, n: int = 1600) -> list[dict]:
    """Labelled headlines: real THUCNews/TNEWS headlines with registry names inserted.

    Each example: {"id", "split", "text", "gold": [[start, end, entity_id], ...], "type"}. Types:
    full/short/alias mentions (one or two entities), ambiguous names with a disambiguating
    district or business word nearby, ambiguous names with nothing to decide (gold is the
    entity the writer meant; a linker can only abstain), district names and short names,
    distractor near-miss strings (no gold), and untouched headlines (no gold)."""
    rng = random.Random(seed)
    heads = thucnews_headlines()
    if TNEWS.exists():
        with open(TNEWS, encoding="utf-8") as f:
            heads += [json.loads(line)["sentence"] for line in f if line.strip()]
    heads = [h.strip() for h in heads if 6 <= len(h.strip()) <= 40]
    reg = entity_registry()
    districts = [e for e in reg if e["kind"] == "district"]
    plain = [e for e in BENCH_ENTITIES if not e.get("ambiguous_mentions")]
    amb = [e for e in BENCH_ENTITIES if e.get("ambiguous_mentions")]
    examples = []
    known = [(e["name"], e["id"]) for e in reg]
    known.sort(key=lambda x: -len(x[0]))

    def put(template: str, h: str, parts: list[tuple[str, str | None]]) -> tuple[str, list[list]]:
        # template with {m} (and optionally {d}); parts fill them in order
        text, gold, rest = "", [], template.replace("{h}", "\x00")
        fields = {"m": parts[0]} | ({"d": parts[1]} if len(parts) > 1 else {})
        i = 0
        while i < len(rest):
            if rest.startswith("{m}", i) or rest.startswith("{d}", i):
                surface, eid = fields[rest[i + 1]]
                if eid:
                    gold.append([len(text), len(text) + len(surface), eid])
                text += surface
                i += 3
            elif rest[i] == "\x00":
                text += h
                i += 1
            else:
                text += rest[i]
                i += 1
        return text, gold

    for k in range(n):
        h = rng.choice(heads)
        r = rng.random()
        if r < 0.40:
            e = rng.choice(plain)
            m = rng.choice(e["mentions"] + e.get("aliases", []))
            text, gold = put(rng.choice(TEMPLATES), h, [(m, e["id"])])
            typ = "name" if m == e["name"] else "short_or_alias"
        elif r < 0.50:
            e = rng.choice(amb)
            m = rng.choice(e["ambiguous_mentions"])
            word = rng.choice([w for w in e["context"].split() if w != "synthetic"])
            tpl = rng.choice(["{d}{m}：{h}", "{m}{d}项目启动 {h}", "{h}，{d}企业{m}参与"])
            text, gold = put(tpl, h, [(m, e["id"]), (word, None)])
            if word in {d["name"] for d in districts}:
                did = next(d["id"] for d in districts if d["name"] == word)
                s = text.index(word)
                gold.append([s, s + len(word), did])
            typ = "ambiguous_with_context"
        elif r < 0.53:
            e = rng.choice(amb)
            m = rng.choice(e["ambiguous_mentions"])
            text, gold = put(rng.choice(TEMPLATES), h, [(m, e["id"])])
            typ = "ambiguous_no_context"
        elif r < 0.63:
            d = rng.choice(districts)
            use_short = d["name"] in DISTRICT_SHORT_MENTIONS and rng.random() < 0.4
            m = DISTRICT_SHORT_MENTIONS[d["name"]] if use_short else d["name"]
            tpl = rng.choice(["{m}：{h}", "天津{m}：{h}", "{h}（{m}）", "{m}文化活动 {h}"])
            text, gold = put(tpl, h, [(m, d["id"])])
            typ = "district_short" if use_short else "district"
        elif r < 0.70:
            e1, e2 = rng.sample(plain, 2)
            m1, m2 = rng.choice(e1["mentions"]), rng.choice(e2["mentions"])
            text, gold = put("{m}与{d}签约 {h}", h, [(m1, e1["id"]), (m2, e2["id"])])
            typ = "two_entities"
        elif r < 0.82:
            m = rng.choice(DISTRACTORS)
            text, gold = put(rng.choice(TEMPLATES), h, [(m, None)])
            typ = "distractor"
        else:
            text, gold = h, []
            typ = "none"
        # a real headline can itself name a district or a registry entity in full: label those
        # occurrences inside the headline part too (never inside an inserted string)
        h_at = text.find(h)
        taken = [(a, b) for a, b, _ in gold]
        for surface, eid in known:
            start = 0
            while (i := h.find(surface, start)) >= 0:
                a, b = h_at + i, h_at + i + len(surface)
                if all(b <= x or a >= y for x, y in taken):
                    gold.append([a, b, eid])
                    taken.append((a, b))
                start = i + len(surface)
        gold.sort()
        examples.append({"id": f"el-{k:04d}", "text": text, "gold": gold, "type": typ})
    examples += _inline_examples(heads, known, plain, districts, start=n)
    for ex in examples:
        ex["split"] = split_of(ex["id"], seed=seed)
    return examples


def _inline_examples(heads, known, plain, districts, *, start: int, n: int = 400, seed: int = 13) -> list[dict]:
    """Names dropped inside headlines at a random word boundary (not at a clause edge), so the
    characters next to a name are whatever the headline has there; a quarter get a distractor instead."""
    import rjieba

    rng = random.Random(seed)
    out = []
    for k in range(n):
        h = rng.choice(heads)
        toks = rjieba.cut(h, False)
        cuts = [0]
        for t in toks:
            cuts.append(cuts[-1] + len(t))
        at = rng.choice(cuts[1:-1] or [0])
        if rng.random() < 0.25:
            m, eid, typ = rng.choice(DISTRACTORS), None, "inline_distractor"
        elif rng.random() < 0.2:
            d = rng.choice(districts)
            m, eid, typ = d["name"], d["id"], "inline"
        else:
            e = rng.choice(plain)
            m, eid, typ = rng.choice(e["mentions"] + e.get("aliases", [])), e["id"], "inline"
        text = h[:at] + m + h[at:]
        gold = [[at, at + len(m), eid]] if eid else []
        taken = [(at, at + len(m))]
        for surface, sid in known:
            for part, off in ((h[:at], 0), (h[at:], at + len(m))):
                i = part.find(surface)
                while i >= 0:
                    a, b = off + i, off + i + len(surface)
                    if all(b <= x or a >= y for x, y in taken):
                        gold.append([a, b, sid])
                        taken.append((a, b))
                    i = part.find(surface, i + len(surface))
        gold.sort()
        out.append({"id": f"el-{start + k:04d}", "text": text, "gold": gold, "type": typ})
    return out


ENTITY_SET = DATA / "entity_linking.jsonl"
ENTITY_REGISTRY = DATA / "entity_registry.jsonl"


def write_entity_set() -> None:
    """(Re)build bench/data/entity_registry.jsonl and entity_linking.jsonl from the seeds above."""
    DATA.mkdir(parents=True, exist_ok=True)
    with open(ENTITY_REGISTRY, "w", encoding="utf-8") as f:
        for e in entity_registry():
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    with open(ENTITY_SET, "w", encoding="utf-8") as f:
        for ex in build_entity_set():
            f.write(json.dumps(ex, ensure_ascii=False) + "\n")


def eval_entities(split: str, *, show_errors: bool = False) -> dict[str, float]:
    from wenzhi.nlp.entities import Entity, EntityLinker

    with open(ENTITY_REGISTRY, encoding="utf-8") as f:
        linker = EntityLinker([Entity(**json.loads(line)) for line in f])
    with open(ENTITY_SET, encoding="utf-8") as f:
        examples = [json.loads(line) for line in f]
    examples = [ex for ex in examples if ex["split"] == split]
    t0 = time.perf_counter()
    preds = linker.link([ex["text"] for ex in examples])
    dt = time.perf_counter() - t0
    tp = fp = fn = 0
    by_type: dict[str, Counter] = {}
    for ex, ms in zip(examples, preds, strict=True):
        gold = {tuple(g) for g in ex["gold"]}
        got = {(m.start, m.end, m.entity_id) for m in ms}
        c = by_type.setdefault(ex["type"], Counter())
        c["tp"] += len(gold & got)
        c["fp"] += len(got - gold)
        c["fn"] += len(gold - got)
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        if show_errors and gold != got:
            print(f"   ERR [{ex['type']}] {ex['text']}  gold={sorted(gold - got)} got={sorted(got - gold)}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "tp": tp, "fp": fp, "fn": fn, "examples": len(examples),
            "texts_per_s": len(examples) / dt, "by_type": by_type}


def section_entities(split: str) -> None:
    if not ENTITY_SET.exists():
        print(f"entities: skipped ({ENTITY_SET} absent; run with --rebuild-entity-set)")
        return
    m = eval_entities(split, show_errors=(split == "tune"))
    print(f"entities[{split}]: precision={m['precision']:.4f} recall={m['recall']:.4f} "
          f"(tp={m['tp']} fp={m['fp']} fn={m['fn']}, {m['examples']} headlines, {m['texts_per_s']:.0f} texts/s)")
    for typ, c in sorted(m["by_type"].items()):
        print(f"   {typ:24s} tp={c['tp']:4d} fp={c['fp']:3d} fn={c['fn']:3d}")
    raw_feed_audit()


def raw_feed_audit() -> None:
    """Link every untouched THUCNews and TNEWS dev headline and print each hit for a reader to judge:
    the corpora are national news, so most hits on them would be false links."""
    from wenzhi.nlp.entities import Entity, EntityLinker

    with open(ENTITY_REGISTRY, encoding="utf-8") as f:
        linker = EntityLinker([Entity(**json.loads(line)) for line in f])
    heads = thucnews_headlines()
    if TNEWS.exists():
        with open(TNEWS, encoding="utf-8") as f:
            heads += [json.loads(line)["sentence"] for line in f if line.strip()]
    heads = list(dict.fromkeys(heads))
    hits = [(h, ms) for h, ms in zip(heads, linker.link(heads), strict=True) if ms]
    print(f"entities raw-feed audit: {len(hits)} of {len(heads)} untouched headlines have a link")
    for h, ms in hits:
        print(f"   {h}  →  " + ", ".join(f"{m.surface}={m.entity_id}({m.confidence})" for m in ms))


def _registry_words() -> list[str]:
    from wenzhi.nlp.entities import Entity, name_variants

    words = []
    for e in entity_registry():
        words += [w for w, _ in name_variants(Entity(**e))]
    return words


def _best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def section_segment() -> None:
    if not THUC.exists():
        print(f"segment: skipped ({THUC} absent)")
        return
    import rjieba

    from wenzhi.nlp.segment import UserDictionary, segment

    heads = thucnews_headlines()
    words = _registry_words()
    # registry names inserted into every 5th headline so the user words are actually exercised
    rng = random.Random(3)
    inserted: dict[int, str] = {i: rng.choice(words) for i in range(0, len(heads), 5)}
    texts = [inserted[i] + h if i in inserted else h for i, h in enumerate(heads)]
    doc = "。".join(texts)
    nchars = len(doc)
    ud = UserDictionary(words)
    segment(["预热"], user_dict=ud)
    bare = rjieba.Jieba()
    bare.cut("预热", True)
    # interleaved best-of-5: the machine is shared, so alternate the two to see the same load
    t_bare_doc = t_ud_doc = t_bare_list = t_ud_list = float("inf")
    for _ in range(5):
        t_bare_doc = min(t_bare_doc, _best_of(lambda: bare.cut(doc, True), 1))
        t_ud_doc = min(t_ud_doc, _best_of(lambda: segment([doc], user_dict=ud), 1))
        t_bare_list = min(t_bare_list, _best_of(lambda: [bare.cut(t, True) for t in texts], 1))
        t_ud_list = min(t_ud_list, _best_of(lambda: segment(texts, user_dict=ud), 1))
    idx = sorted(inserted)
    toks_list = segment([texts[i] for i in idx], user_dict=ud)
    kept = sum(1 for i, toks in zip(idx, toks_list, strict=True) if toks and toks[0] == inserted[i])
    total = len(idx)
    print(f"segment: one document of {nchars} chars: bare rjieba {nchars / t_bare_doc / 1e6:.2f}M chars/s, "
          f"segment() with {len(ud)} user words {nchars / t_ud_doc / 1e6:.2f}M chars/s "
          f"(ratio {t_ud_doc / t_bare_doc:.2f}x time)")
    print(f"segment: {len(texts)} headlines as a list: bare rjieba {nchars / t_bare_list / 1e6:.2f}M chars/s, "
          f"segment() {nchars / t_ud_list / 1e6:.2f}M chars/s (ratio {t_ud_list / t_bare_list:.2f}x time)")
    print(f"segment: inserted registry names kept whole: {kept}/{total}")


def section_keywords() -> None:
    if not THUC.exists():
        print(f"keywords: skipped ({THUC} absent)")
        return
    from wenzhi.nlp.keywords import keywords
    from wenzhi.nlp.summary import summarize

    heads = thucnews_headlines()
    rng = random.Random(5)
    docs = ["。".join(rng.sample(heads, 20)) + "。" for _ in range(300)]
    doc_chars = sum(len(d) for d in docs)
    keywords(["预热文本"])
    for method in ("tfidf", "textrank"):
        t = _best_of(lambda m=method: keywords(heads, method=m), repeat=1)
        print(f"keywords[{method}]: {len(heads) / t:.0f} headlines/s")
        t = _best_of(lambda m=method: keywords(docs, method=m), repeat=1)
        print(f"keywords[{method}]: {len(docs) / t:.0f} docs/s ({doc_chars / t / 1e3:.0f}k chars/s; 20-sentence docs)")
    t = _best_of(lambda: summarize(docs, max_sentences=3), repeat=1)
    print(f"summary: {len(docs) / t:.0f} docs/s ({doc_chars / t / 1e3:.0f}k chars/s; 20-sentence docs)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--section", default="all", choices=["all", "segment", "entities", "dedup", "keywords"])
    ap.add_argument("--split", default="report", choices=["report", "tune"])
    ap.add_argument("--thresholds", default="0.5")
    ap.add_argument("--rebuild-entity-set", action="store_true", help="regenerate bench/data/entity_*.jsonl")
    args = ap.parse_args()
    ths = [float(x) for x in args.thresholds.split(",")]
    if args.rebuild_entity_set:
        write_entity_set()
    if args.section in ("all", "segment"):
        section_segment()
    if args.section in ("all", "entities"):
        section_entities(args.split)
    if args.section in ("all", "dedup"):
        section_dedup(args.split, ths)
    if args.section in ("all", "keywords"):
        section_keywords()


if __name__ == "__main__":
    main()

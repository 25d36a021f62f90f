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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--section", default="all", choices=["all", "segment", "entities", "dedup", "keywords"])
    ap.add_argument("--split", default="report", choices=["report", "tune"])
    ap.add_argument("--thresholds", default="0.5")
    args = ap.parse_args()
    ths = [float(x) for x in args.thresholds.split(",")]
    if args.section in ("all", "dedup"):
        section_dedup(args.split, ths)


if __name__ == "__main__":
    main()

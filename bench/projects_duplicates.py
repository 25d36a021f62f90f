"""Near-duplicate check of one new application against 50,000 earlier ones (target ≤ 200 ms per check).

Usage:

    .venv/bin/python bench/projects_duplicates.py [--n 50000] [--queries 200] [--seed 3]

Descriptions come from ``bench/projects_text.py`` (real headlines from ../shared/data wrapped in application
phrasing, ≈ 300–500 characters each). 5 % of the earlier applications are already re-applications of another.
The queries are half re-applications of an indexed application (renamed, moved district, reordered, one
sentence swapped, figures changed) and half new projects. Prints the build time, the p50/p95/max time of one
check (fingerprint + LSH candidates + exact verification), recall on the re-applications and the share of new
projects wrongly flagged.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from projects_text import description, headlines, render, variant  # noqa: E402

from wenzhi.projects.duplicates import DuplicateIndex, fingerprint, matched_passages  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pool = headlines()
    docs: list[dict] = []
    for _ in range(args.n):
        if docs and rng.random() < 0.05:
            docs.append(variant(rng, rng.choice(docs), pool))
        else:
            docs.append(description(rng, pool))
    texts = [render(d) for d in docs]
    print(f"{args.n} earlier applications, mean {statistics.mean(map(len, texts)):.0f} characters")
    index = DuplicateIndex()
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        index.add(i, fingerprint(t))
    print(f"index built in {time.perf_counter() - t0:.1f} s (fingerprints included)")
    times, hits, false_flags = [], 0, 0
    half = args.queries // 2
    for q in range(args.queries):
        if q < half:
            src = rng.randrange(args.n)
            text, expect = render(variant(rng, docs[src], pool)), src
        else:
            text, expect = render(description(rng, pool)), None
        t0 = time.perf_counter()
        matches = index.check(text)
        times.append(time.perf_counter() - t0)
        keys = {m.key for m in matches}
        if expect is not None:
            hits += expect in keys
        else:
            false_flags += bool(matches)
    times.sort()
    ms = [t * 1000 for t in times]
    print(f"one check: p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms "
          f"({args.queries} checks)")
    print(f"re-applications found: {hits}/{half}; new projects flagged: {false_flags}/{args.queries - half}")
    a = render(docs[0])
    t0 = time.perf_counter()
    passages = matched_passages(render(variant(rng, docs[0], pool)), a)
    print(f"side-by-side passages for one pair: {len(passages)} in {(time.perf_counter() - t0) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

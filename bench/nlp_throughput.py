"""Whole-process throughput of the fast models through the command line.

    .venv/bin/python bench/nlp_throughput.py [--n 100000]
    .venv/bin/python bench/nlp_throughput.py --best [--n 10000]    # the best models, bar 100 texts/s

Writes N short texts as JSON Lines (review- and headline-like: fragments of the shared corpora
recombined at random, 8–40 characters; synthetic fallback when the corpora are absent), then
times ``wenzhi nlp sentiment --model fast`` and ``wenzhi nlp topic --scheme news10|tnews15
--model fast`` as separate processes, start-up included, and checks one output line per input.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wenzhi.nlp.train import find_shared_data, load_labelled


def make_texts(n: int, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    shared = find_shared_data()
    pool: list[str] = []
    if shared is not None:
        pool += [t for t, _, _ in load_labelled(shared / "THUCNews_titles" / "dev.txt")]
        pool += [t for t, _, _ in load_labelled(shared / "ChnSentiCorp_htl_all.csv")][:5000]
    if not pool:
        pool = ["今天的比赛非常精彩", "服务态度很差，不推荐", "股市大涨创新高", "新电影上映票房火爆"]
    out = []
    for _ in range(n):
        a, b = rnd.choice(pool), rnd.choice(pool)
        s = (a[: rnd.randint(4, 20)] + b[: rnd.randint(4, 20)])[:40]
        out.append(s)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=None, help="texts (default 100,000; 10,000 with --best)")
    p.add_argument("--best", action="store_true", help="time the best models instead of the fast ones")
    args = p.parse_args(argv)
    variant, bar = ("best", 100) if args.best else ("fast", 20_000)
    args.n = args.n or (10_000 if args.best else 100_000)
    tmp = Path(tempfile.mkdtemp(prefix="wenzhi-tp-"))
    inp = tmp / "in.jsonl"
    with inp.open("w", encoding="utf-8") as f:
        for i, t in enumerate(make_texts(args.n)):
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    exe = shutil.which("wenzhi", path=str(Path(sys.executable).parent))
    base = [exe, "nlp"] if exe else [sys.executable, "-m", "wenzhi.nlp.cli"]
    runs = [["sentiment", "--model", variant], ["topic", "--scheme", "news10", "--model", variant],
            ["topic", "--scheme", "tnews15", "--model", variant]]
    ok = True
    for sub in runs:
        cmd = base + sub
        with inp.open("rb") as fi, (tmp / "out.jsonl").open("wb") as fo:
            t0 = time.perf_counter()
            rc = subprocess.run(cmd, stdin=fi, stdout=fo, check=False).returncode
            dt = time.perf_counter() - t0
        lines = sum(1 for _ in (tmp / "out.jsonl").open("rb"))
        rate = args.n / dt
        ok &= rc == 0 and lines == args.n and rate >= bar
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{' '.join(cmd[1:] if exe else cmd[2:]):45s} {args.n} texts in {dt:.2f} s = {rate:,.0f} texts/s "
              f"(rc {rc}, {lines} lines out; load average {load})")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"bar {bar:,} texts/s:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

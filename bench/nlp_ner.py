"""NER on the held-out 10 % of MSRA: entity-level exact-span P/R/F1 per label, and sentences/s.

    PYTHONPATH=src .venv/bin/python bench/nlp_ner.py                    # committed model
    PYTHONPATH=src .venv/bin/python bench/nlp_ner.py --model-dir /tmp/m  # a trained candidate
    PYTHONPATH=src .venv/bin/python bench/nlp_ner.py --repeat 5          # more timed passes

The held-out split is the one ``wenzhi nlp train ner`` leaves out (seeded hash of the sentence,
seed 8): the model never saw these sentences. Timing covers everything ``recognize`` does (width
folding, rjieba segmentation, feature rows, gazetteer, Viterbi, spans) after a 500-sentence
warm-up; wall and CPU rates are printed with the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from wenzhi.nlp import ner, ner_train


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", default=str(ner.MODEL_DIR))
    p.add_argument("--data", help="MSRA file (default: shared/data/nlp/MSRA_NER/dh_msra.txt)")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--repeat", type=int, default=3, help="timed passes over the held-out split after scoring")
    args = p.parse_args()
    data = ner_train.msra_path(args.data)
    if data is None:
        print("shared data not found; pass --data", file=sys.stderr)
        return 2
    sents = ner_train.read_msra(data)
    _, held = ner_train.split_msra(sents, seed=args.seed)
    t0 = time.perf_counter()
    rec = ner.Recognizer(args.model_dir)
    load_s = time.perf_counter() - t0
    rec.recognize([t for t, _ in held[:500]])  # warm-up: rjieba dictionary, per-character caches
    res = ner_train.evaluate(rec, held)
    size = sum(f.stat().st_size for f in Path(args.model_dir).iterdir() if f.is_file())
    print(f"model {args.model_dir}: {size / 1e6:.1f} MB on disk, loaded in {load_s:.2f} s")
    print(f"held-out sentences: {len(held)} of {len(sents)} (seed {args.seed})")
    print(f"{'label':8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for lab in (*ner.LABELS, "overall"):
        r = res[lab]
        print(f"{lab:8} {r['precision']:6.4f} {r['recall']:6.4f} {r['f1']:6.4f} {r['gold']:6d}")
    load = os.getloadavg()
    print(f"scoring pass: {res['sentences_per_s_wall']:.0f} sentences/s wall, {res['sentences_per_s_cpu']:.0f} "
          f"sentences per CPU-second (load average {load[0]:.1f} on {os.cpu_count()} cores)")
    texts = [t for t, _ in held]
    for k in range(args.repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        rec.recognize(texts)
        w, c = time.perf_counter() - w0, time.process_time() - c0
        print(f"pass {k + 1}: {len(texts) / w:.0f} sentences/s wall, {len(texts) / c:.0f} per CPU-second "
              f"(load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

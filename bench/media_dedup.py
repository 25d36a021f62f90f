"""Near-duplicate recall of ingestion's SimHash index on short reposted texts.

    PYTHONPATH=src .venv/bin/python bench/media_dedup.py [--count 3000] [--prefix 【转载】] [--edits 2] [--seed 11]

Originals are ``count`` replayed items (headline as title, headline plus an 80-character review snippet as text,
as ``bench/media_ingest.py``); each copy keeps the title, gets ``prefix`` in front of its text and ``edits``
characters of the text replaced by common characters. Hashes come from :mod:`wenzhi.media.analysis` exactly as
ingestion computes them; the copies are looked up in a :class:`wenzhi.media.dedup.NearIndex` of the originals.
Prints the share of copies within 3 and 6 bits, the recall of the index (the copy finds its own original),
wrong matches (finds another original) and the closest pair of different originals.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

COMMON = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多"
          "定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还")


def hashes(titles: list[str], texts: list[str]) -> list[int | None]:
    from wenzhi.media import analysis
    from wenzhi.nlp.features import char_codes, prepare_batch
    from wenzhi.nlp.normalize import normalize

    clean, clean_titles = normalize(texts), normalize(titles)
    joined = [f"{t}\n{c}" if c else t for t, c in zip(clean_titles, clean, strict=True)]
    codes, rows = char_codes(prepare_batch(joined), 3)
    return analysis.near_hashes(joined, codes, rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--prefix", default="【转载】")
    parser.add_argument("--edits", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.test")
    import django
    import numpy as np

    django.setup()
    from wenzhi.media import corpus, dedup

    rng = random.Random(args.seed)
    records = list(corpus.replay(args.count, start=777, source="dedup"))
    copies = []
    for r in records:
        chars = list(r["text"])
        for _ in range(args.edits):
            chars[rng.randrange(len(chars))] = rng.choice(COMMON)
        copies.append(args.prefix + "".join(chars))
    original = hashes([r["title"] for r in records], [r["text"] for r in records])
    copied = hashes([r["title"] for r in records], copies)
    index = dedup.NearIndex(window=args.count + 1)
    index.add_many([(i, h) for i, h in enumerate(original) if h is not None])
    bits = [((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count() for a, b in zip(original, copied, strict=True)
            if a is not None and b is not None]
    found = [index.find(h) if h is not None else None for h in copied]
    right = sum(1 for i, f in enumerate(found) if f == i)
    wrong = sum(1 for i, f in enumerate(found) if f is not None and f != i)
    arr = np.array([h & 0xFFFFFFFFFFFFFFFF for h in original if h is not None], dtype=np.uint64)
    closest = 64
    for i in range(0, len(arr), 500):
        d = np.bitwise_count(arr[i:i + 500, None] ^ arr[None, :])
        d[np.arange(d.shape[0]), np.arange(i, i + d.shape[0])] = 64
        closest = min(closest, int(d.min()))
    n = len(records)
    print(f"{n:,} copies (prefix {args.prefix!r}, {args.edits} characters changed): within 3 bits "
          f"{sum(b <= 3 for b in bits) / n:.1%}, within {dedup.MAX_DISTANCE} bits "
          f"{sum(b <= dedup.MAX_DISTANCE for b in bits) / n:.1%}; index recall {right / n:.1%}, wrong matches {wrong}; "
          f"closest different originals {closest} bits; load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

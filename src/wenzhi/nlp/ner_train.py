"""Training and evaluation of the NER model (``wenzhi nlp train ner``).

Data: MSRA (``shared/data/nlp/MSRA_NER/dh_msra.txt``, one ``char<TAB>BIO-tag`` per line, blank
line between sentences). Split: a sentence is held out when ``blake2b(f"{seed}:{sentence}")``
falls in the lowest 10 % (seed 8 by default), so identical sentences always land on the same
side and the split does not depend on file order; held-out sentences are never trained on and the
committed model is the one fitted on the other 90 % (no refit), so the card's figures are the
shipped model's.

Gazetteer during training: the training sentences are cut in two halves by the same hash; each
half's gazetteer features come from the names of the OTHER half, so the CRF learns how far to
trust a gazetteer hit on names it has not seen in context (as with the registry's names at run
time). The shipped gazetteer holds every name of the training 90 %.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wenzhi.nlp import ner
from wenzhi.nlp.train_data import shown_source

__all__ = ["read_msra", "split_msra", "train_ner", "evaluate", "main"]

# The averaged perceptron: 10 epochs train in minutes on the shared machine; L-BFGS (c1/c2) needs ~100
# iterations of ~15 s there. ``--algorithm lbfgs --max-iterations 100`` is the slower alternative.
DEFAULT_PARAMS = {"algorithm": "ap", "c1": 0.05, "c2": 0.01, "max_iterations": 10, "feature.possible_transitions": True}


def msra_path(given: str | None = None):
    """The MSRA corpus file: ``given``, else shared/data/nlp/MSRA_NER/dh_msra.txt; None when neither exists."""
    from wenzhi.nlp.train import find_shared_data  # noqa: PLC0415 - train imports this module

    if given:
        return given
    shared = find_shared_data()
    return None if shared is None else shared / "MSRA_NER" / "dh_msra.txt"


def read_msra(path: str | Path) -> list[tuple[str, list[str]]]:
    """Sentences as ``(text, tags)``; raises ValueError naming the line of a malformed row."""
    sents: list[tuple[str, list[str]]] = []
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                if chars:
                    sents.append(("".join(chars), tags))
                chars, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) != 2 or len(parts[0]) != 1 or not (parts[1] == "O" or parts[1][:2] in ("B-", "I-")):
                raise ValueError(f"{path}:{n}: expected one character, a tab and a BIO tag, got {line[:40]!r}")
            chars.append(parts[0])
            tags.append(parts[1])
    if chars:
        sents.append(("".join(chars), tags))
    return sents


def _bucket(text: str, seed: int) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}:{text}".encode(), digest_size=8).digest(), "big") % 1000


def split_msra(sents, *, seed: int = 8, heldout_permille: int = 100):
    """(train, heldout): a sentence is held out when its seeded hash bucket is below ``heldout_permille``."""
    train, held = [], []
    for s in sents:
        (held if _bucket(s[0], seed) < heldout_permille else train).append(s)
    return train, held


def _names(sents) -> dict[str, str]:
    """Entity string → its most frequent label over the sentences."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for text, tags in sents:
        for s, e, lab in ner.bio_spans(tags):
            counts[text[s:e].translate(ner._FOLD)][lab] += 1
    return {name: c.most_common(1)[0][0] for name, c in counts.items() if len(name) >= 2}


def train_ner(data: str | Path, out_dir: str | Path, *, seed: int = 8, params: dict[str, Any] | None = None,
              limit: int | None = None, command: str = "", keep_crfsuite: bool = False) -> dict[str, Any]:
    """Train on the 90 %, evaluate on the held-out 10 %, write the model, gazetteer, report and card."""
    import pycrfsuite  # noqa: PLC0415
    import rjieba  # noqa: PLC0415

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sents = read_msra(data)
    train, held = split_msra(sents, seed=seed)
    if limit:
        train = train[:limit]
    halves = ([s for s in train if _bucket(s[0], seed + 1) % 2 == 0], [s for s in train if _bucket(s[0], seed + 1) % 2])
    gaz_of_other = [ner.Gazetteer(_names(halves[1]).items()), ner.Gazetteer(_names(halves[0]).items())]
    p = dict(DEFAULT_PARAMS, **(params or {}))
    algorithm = p.pop("algorithm", "ap")
    if algorithm != "lbfgs":  # c1 (L1) is L-BFGS's only; the averaged perceptron has no regularisation
        p = {k: v for k, v in p.items() if k != "c1" and (algorithm == "l2sgd" or k != "c2")}
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    trainer.set_params(p)
    p["algorithm"] = algorithm
    t0 = time.time()
    for half, gaz in zip(halves, gaz_of_other, strict=True):
        for text, tags in half:
            view = text.translate(ner._FOLD)
            trainer.append(ner.features(view, rjieba.cut(view, True), gaz), tags)
    t_feat = time.time() - t0
    model_path = out / "model.crfsuite"
    trainer.train(str(model_path))
    t_train = time.time() - t0 - t_feat
    ner.export_weights(model_path, out / "weights.npz")
    model_bytes = model_path.stat().st_size
    if not keep_crfsuite:  # the run-time tagger reads weights.npz only; the crfsuite file is ~10x larger
        model_path.unlink()
    names = _names(train)
    with open(out / "gazetteer.tsv", "w", encoding="utf-8") as f:
        for name in sorted(names):
            f.write(f"{names[name]}\t{name}\n")
    rec = ner.Recognizer(out)
    ev = evaluate(rec, held)
    report = {
        "model": "ner-msra-crf", "data": shown_source(str(data)), "sentences": len(sents), "train_sentences": len(train),
        "heldout_sentences": len(held), "seed": seed, "params": p, "heldout": ev,
        "gazetteer_names": len(names), "crfsuite_model_bytes": model_bytes,
        "weights_bytes": (out / "weights.npz").stat().st_size,
        "feature_seconds": round(t_feat, 1), "train_seconds": round(t_train, 1),
        "iterations": trainer.logparser.last_iteration.get("num") if trainer.logparser.last_iteration else None,
        "command": command,
    }
    (out / "train_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    write_card(out, report)
    return report


def write_card(out: Path, report: dict[str, Any]) -> None:
    """MODEL_CARD.md from the training report, plus the hand-written NOTES.md when present."""
    ev = report["heldout"]
    rows = [f"| {lab} | {ev[lab]['precision']:.4f} | {ev[lab]['recall']:.4f} | {ev[lab]['f1']:.4f} | {ev[lab]['gold']} |"
            for lab in (*ner.LABELS, "overall")]
    lines = [
        "# ner-msra-crf — organisations, places, people (character CRF)", "",
        "Generated by `wenzhi nlp train ner` from `train_report.json`; NOTES.md (hand-written) follows.", "",
        "## Data and split",
        f"* MSRA NER (`{Path(report['data']).name}`, shared/data/nlp/MSRA_NER): {report['sentences']:,} sentences.",
        f"* Held out: {report['heldout_sentences']:,} sentences whose blake2b hash of `\"{report['seed']}:<sentence>\"` "
        "falls in the lowest 10 % (identical sentences always on the same side); never trained on. "
        f"Trained on the other {report['train_sentences']:,}; the committed model is that fit (no refit).",
        f"* Training: python-crfsuite, `{report['params']}`, {report['train_seconds']} s training "
        f"+ {report['feature_seconds']} s features on the shared 2-core machine.",
        f"* Gazetteer shipped: {report['gazetteer_names']:,} names of the training 90 % (each with its most frequent label).",
        "", "## Held-out figures (entity level, exact spans)", "",
        "| label | precision | recall | F1 | gold |", "|---|---|---|---|---|", *rows, "",
        f"Command: `{report['command']}`", "",
    ]
    notes = out / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    (out / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")


def evaluate(rec: ner.Recognizer, sents: Sequence[tuple[str, list[str]]]) -> dict[str, Any]:
    """Entity-level exact-span precision/recall/F1 per label and overall, and sentences/s (wall and CPU)."""
    texts = [t for t, _ in sents]
    w0, c0 = time.perf_counter(), time.process_time()
    pred = rec.recognize(texts)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    tp: Counter = Counter()
    n_pred: Counter = Counter()
    n_gold: Counter = Counter()
    for (_text, tags), spans in zip(sents, pred, strict=True):
        gold = set(ner.bio_spans(tags))
        got = {(s.start, s.end, s.label) for s in spans}
        for g in gold:
            n_gold[g[2]] += 1
        for g in got:
            n_pred[g[2]] += 1
            tp[g[2]] += g in gold
    res: dict[str, Any] = {}
    for lab in (*ner.LABELS, "overall"):
        t = sum(tp.values()) if lab == "overall" else tp[lab]
        np_ = sum(n_pred.values()) if lab == "overall" else n_pred[lab]
        ng = sum(n_gold.values()) if lab == "overall" else n_gold[lab]
        prec, recall = t / np_ if np_ else 0.0, t / ng if ng else 0.0
        f1 = 2 * prec * recall / (prec + recall) if prec + recall else 0.0
        res[lab] = {"precision": round(prec, 4), "recall": round(recall, 4), "f1": round(f1, 4), "gold": ng}
    res["sentences_per_s_wall"] = round(len(texts) / wall, 1) if wall else None
    res["sentences_per_s_cpu"] = round(len(texts) / cpu, 1) if cpu else None
    return res


def main(argv: Sequence[str] | None = None) -> int:
    """``wenzhi nlp train ner [--data FILE] [--out DIR] [--seed N] [--c1 X] [--c2 X] [--max-iterations N]``."""
    p = argparse.ArgumentParser(prog="wenzhi nlp train ner", description="Train the MSRA NER CRF and write its report.")
    p.add_argument("--data", metavar="FILE", help="MSRA-style char<TAB>tag file (default: shared/data/nlp/MSRA_NER/dh_msra.txt)")
    p.add_argument("--out", metavar="DIR", default=str(ner.MODEL_DIR), help="output folder (default: the committed model)")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    p.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    p.add_argument("--max-iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    p.add_argument("--algorithm", choices=["ap", "lbfgs", "l2sgd"], default="ap",
                   help="averaged perceptron (default), L-BFGS with L1+L2 (prunes features, slow), SGD with L2")
    p.add_argument("--keep-crfsuite", action="store_true", help="keep crfsuite's own model file next to weights.npz")
    p.add_argument("--limit", type=int, help="train on the first N training sentences only (quick trials)")
    args = p.parse_args(list(argv) if argv is not None else None)
    data = msra_path(args.data)
    if data is None:
        print("error: shared data not found; pass --data FILE", file=sys.stderr)
        return 2
    cmd = "wenzhi nlp train ner " + " ".join(list(argv) if argv is not None else sys.argv[1:])
    try:
        rep = train_ner(data, args.out, seed=args.seed, limit=args.limit, command=cmd.strip(), keep_crfsuite=args.keep_crfsuite,
                        params={"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations,
                                "algorithm": args.algorithm})
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps({k: rep[k] for k in ("heldout", "weights_bytes", "train_sentences", "heldout_sentences",
                                          "train_seconds")}, ensure_ascii=False, indent=1))
    return 0

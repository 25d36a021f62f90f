"""The rule engine: which alert rules a batch of stored documents matches, on plain facts (no ORM here).

``DocFacts`` is the small interface the engine needs from a document; ``facts.py`` builds it from the media
app's rows. Keyword rules are matched together through one Aho-Corasick automaton (pyahocorasick) over every
active rule's words, so a batch costs one pass per document whatever the number of rules. Volume spikes ask a
``VolumeCounter`` for the documents of every entity the batch mentions in a window and in their own baseline
before it (two counts per rule, whatever the number of entities).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import ahocorasick

from .choices import RuleKind

EntityRef = tuple[str, int]  # ("enterprise", 12), ("park", 3), ("project", 5), ("district", 7)


@dataclass(frozen=True)
class DocFacts:
    """What the engine knows of one document."""

    id: int
    title: str
    text: str
    arrived_at: dt.datetime
    published_at: dt.datetime | None = None
    source_id: int | None = None
    sentiment: str = "neutral"  # negative / neutral / positive
    negativity: float = 0.0  # 0–1: how surely the document is negative
    district_id: int | None = None
    entities: frozenset[EntityRef] = frozenset()
    group: str = ""  # the duplicate group: the same story from several sources raises one alert

    @property
    def story(self) -> str:
        return self.group or f"doc:{self.id}"


@dataclass(frozen=True)
class RuleSpec:
    """One active rule as the engine sees it (built from an ``AlertRule`` row, or by hand in tests)."""

    id: int
    kind: str
    keywords: tuple[str, ...] = ()
    entity: EntityRef | None = None
    entity_kind: str = ""
    source_id: int | None = None
    negativity: float = 0.8
    negative_only: bool = False
    district_id: int | None = None
    window_hours: int = 24
    baseline_days: int = 14
    spike_factor: float = 3.0
    min_count: int = 5

    def admits(self, doc: DocFacts) -> bool:
        """The narrowing every kind shares: the district and negative-only filters."""
        if self.district_id is not None and doc.district_id != self.district_id:
            return False
        return not (self.negative_only and doc.sentiment != "negative")


@dataclass
class Match:
    """A rule matched: the alert's grouping key, the documents, why, and the place it concerns."""

    rule_id: int
    key: str
    documents: list[DocFacts]
    reason: dict
    entity: EntityRef | None = None
    district_id: int | None = None
    evidence: dict = field(default_factory=dict)


class VolumeCounter(Protocol):
    def counts(self, entities: Sequence[EntityRef], start: dt.datetime, end: dt.datetime) -> dict[EntityRef, int]:
        """Documents that mention each of ``entities`` with a time in [start, end) (every entity a key)."""


def _fold(text: str) -> str:
    return text.casefold()


class KeywordMatcher:
    """Every keyword rule's words in one automaton: ``matches(text)`` → {rule id: words found}."""

    def __init__(self, rules: Iterable[RuleSpec]):
        self._automaton = ahocorasick.Automaton()
        words: dict[str, set[int]] = {}
        for rule in rules:
            for word in rule.keywords:
                word = _fold(word.strip())
                if word:
                    words.setdefault(word, set()).add(rule.id)
        for word, ids in words.items():
            self._automaton.add_word(word, (word, frozenset(ids)))
        self.empty = not words
        if not self.empty:
            self._automaton.make_automaton()

    def matches(self, text: str) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        if self.empty:
            return found
        for _end, (word, ids) in self._automaton.iter(_fold(text)):
            for rule_id in ids:
                found.setdefault(rule_id, set()).add(word)
        return found


def _story_matches(rule: RuleSpec, hits: list[tuple[DocFacts, dict]]) -> list[Match]:
    """One match per story (duplicate group) of ``rule``: ten sources carrying one story raise one alert."""
    stories: dict[str, Match] = {}
    for doc, reason in hits:
        key = f"{rule.id}:{doc.story}"
        match = stories.get(key)
        if match is None:
            stories[key] = Match(rule.id, key, [doc], reason, entity=rule.entity, district_id=doc.district_id)
        else:
            match.documents.append(doc)
    return list(stories.values())


def _doc_reason(rule: RuleSpec, doc: DocFacts, words: set[str] | None) -> dict | None:
    """Why ``doc`` matches ``rule`` (kinds other than the volume spike), or None."""
    if not rule.admits(doc):
        return None
    if rule.kind == RuleKind.KEYWORD:
        return {"words": sorted(words)} if words else None
    if rule.kind == RuleKind.ENTITY:
        return {"entity": list(rule.entity)} if rule.entity and rule.entity in doc.entities else None
    if rule.kind == RuleKind.SENTIMENT:
        if doc.sentiment == "negative" and doc.negativity >= rule.negativity:
            return {"negativity": round(doc.negativity, 3)}
        return None
    if rule.kind == RuleKind.SOURCE:
        return {"source": rule.source_id} if doc.source_id == rule.source_id else None
    return None


def document_matches(rules: Sequence[RuleSpec], docs: Sequence[DocFacts]) -> list[Match]:
    """Matches of the per-document kinds (keyword, entity, sentiment, source) over a batch."""
    per_doc_rules = [r for r in rules if r.kind != RuleKind.VOLUME_SPIKE]
    matcher = KeywordMatcher(r for r in per_doc_rules if r.kind == RuleKind.KEYWORD)
    hits: dict[int, list[tuple[DocFacts, dict]]] = {}
    for doc in docs:
        words = matcher.matches(f"{doc.title}\n{doc.text}")
        for rule in per_doc_rules:
            reason = _doc_reason(rule, doc, words.get(rule.id))
            if reason is not None:
                hits.setdefault(rule.id, []).append((doc, reason))
    by_id = {r.id: r for r in per_doc_rules}
    out: list[Match] = []
    for rule_id, rule_hits in hits.items():
        out.extend(_story_matches(by_id[rule_id], rule_hits))
    return out


@dataclass(frozen=True)
class SpikeFigures:
    """An entity's volume in the window, its baseline (mean per window over the baseline days) and threshold."""

    current: int
    baseline_total: int
    windows: int
    baseline_mean: float
    threshold: float

    @property
    def is_spike(self) -> bool:
        return self.current >= self.threshold


def spike_windows(rule: RuleSpec, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(baseline start, window start) of ``rule`` at ``now``: the window is [window start, now), the baseline
    the ``baseline_days`` before it."""
    start = now - dt.timedelta(hours=rule.window_hours)
    return start - dt.timedelta(days=rule.baseline_days), start


def figures_of(rule: RuleSpec, current: int, baseline_total: int) -> SpikeFigures:
    """The threshold is ``spike_factor`` × the baseline mean per window, never below ``min_count``: an entity
    that is usually silent needs a handful of documents, a much-covered one needs several times its usual
    volume."""
    windows = max(1, int(dt.timedelta(days=rule.baseline_days) / dt.timedelta(hours=rule.window_hours)))
    mean = baseline_total / windows
    threshold = max(float(rule.min_count), rule.spike_factor * mean)
    return SpikeFigures(current, baseline_total, windows, round(mean, 3), round(threshold, 3))


def spike_figures(rule: RuleSpec, counter: VolumeCounter, entity: EntityRef, now: dt.datetime) -> SpikeFigures:
    """Compare the entity's documents in the last window with its own average per window before it."""
    base_start, start = spike_windows(rule, now)
    current = counter.counts([entity], start, now)[entity]
    return figures_of(rule, current, counter.counts([entity], base_start, start)[entity])


def _spike_entities(rule: RuleSpec, docs: Sequence[DocFacts]) -> dict[EntityRef, list[DocFacts]]:
    """The entities of the batch a spike rule watches (its one entity, or every entity of its kind)."""
    out: dict[EntityRef, list[DocFacts]] = {}
    for doc in docs:
        if not rule.admits(doc):
            continue
        for ref in doc.entities:
            if (rule.entity is not None and ref == rule.entity) or (
                    rule.entity is None and ref[0] == rule.entity_kind):
                out.setdefault(ref, []).append(doc)
    return out


def spike_matches(rules: Sequence[RuleSpec], docs: Sequence[DocFacts], counter: VolumeCounter,
                  now: dt.datetime) -> list[Match]:
    """Volume-spike matches: only entities the batch mentions are counted (their volume just changed)."""
    out: list[Match] = []
    for rule in rules:
        if rule.kind != RuleKind.VOLUME_SPIKE:
            continue
        mentioned = _spike_entities(rule, docs)
        if not mentioned:
            continue
        base_start, start = spike_windows(rule, now)
        current = counter.counts(list(mentioned), start, now)
        baseline = counter.counts(list(mentioned), base_start, start)
        for entity, entity_docs in mentioned.items():
            figures = figures_of(rule, current[entity], baseline[entity])
            if not figures.is_spike:
                continue
            district = entity[1] if entity[0] == "district" else entity_docs[0].district_id
            out.append(Match(rule.id, f"{rule.id}:{entity[0]}:{entity[1]}", entity_docs,
                             {"current": figures.current, "baseline_mean": figures.baseline_mean,
                              "threshold": figures.threshold}, entity=entity, district_id=district,
                             evidence={"current": figures.current, "baseline_total": figures.baseline_total,
                                       "windows": figures.windows, "baseline_mean": figures.baseline_mean,
                                       "threshold": figures.threshold}))
    return out


def evaluate(rules: Sequence[RuleSpec], docs: Sequence[DocFacts], counter: VolumeCounter | None,
             now: dt.datetime) -> list[Match]:
    """Every match of ``rules`` over a batch of documents, per-document kinds first, then volume spikes."""
    matches = document_matches(rules, docs)
    if counter is not None:
        matches.extend(spike_matches(rules, docs, counter, now))
    return matches


def first_arrival(docs: Sequence[DocFacts]) -> dt.datetime:
    return min(d.arrived_at for d in docs)


__all__ = ["DocFacts", "EntityRef", "KeywordMatcher", "Match", "RuleSpec", "SpikeFigures", "VolumeCounter",
           "document_matches", "evaluate", "figures_of", "first_arrival", "spike_figures", "spike_matches",
           "spike_windows"]

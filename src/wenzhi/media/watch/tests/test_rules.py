"""The rule engine on plain facts: keywords (one automaton for every rule), entities, sentiment, sources, the
shared filters, one alert per story, and volume spikes against the entity's own baseline."""

import datetime as dt

from wenzhi.media.watch.rules import DocFacts, KeywordMatcher, RuleSpec, evaluate, spike_figures

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def doc(i, title="", text="", **kw):
    return DocFacts(id=i, title=title, text=text, arrived_at=NOW, **kw)


def test_keyword_rules_share_one_automaton_and_report_the_words():
    m = KeywordMatcher([RuleSpec(1, "keyword", keywords=("投诉", "退票")), RuleSpec(2, "keyword", keywords=("投诉",)),
                        RuleSpec(3, "keyword", keywords=("Fire",))])
    assert m.matches("游客投诉剧院拒绝退票") == {1: {"投诉", "退票"}, 2: {"投诉"}}
    assert m.matches("a FIRE at the museum") == {3: {"fire"}}
    assert m.matches("一切正常") == {}


def test_per_document_kinds_and_filters():
    rules = [RuleSpec(1, "keyword", keywords=("事故",), district_id=7),
             RuleSpec(2, "entity", entity=("enterprise", 5)),
             RuleSpec(3, "sentiment", negativity=0.9),
             RuleSpec(4, "source", source_id=2, negative_only=True)]
    docs = [doc(1, "演出事故", district_id=7), doc(2, "演出事故", district_id=8),
            doc(3, "某企业新品", entities=frozenset({("enterprise", 5)})),
            doc(4, "差评", sentiment="negative", negativity=0.95), doc(5, "一般差评", sentiment="negative", negativity=0.6),
            doc(6, "来源甲", source_id=2), doc(7, "来源甲负面", source_id=2, sentiment="negative", negativity=0.7)]
    got = {(m.rule_id, tuple(d.id for d in m.documents)) for m in evaluate(rules, docs, None, NOW)}
    assert got == {(1, (1,)), (2, (3,)), (3, (4,)), (4, (7,))}


def test_one_story_from_many_sources_is_one_match():
    rules = [RuleSpec(1, "keyword", keywords=("维权",))]
    docs = [doc(i, "观众维权", group="group:9", source_id=i) for i in range(1, 11)] + [doc(11, "另一起维权")]
    matches = evaluate(rules, docs, None, NOW)
    assert sorted(len(m.documents) for m in matches) == [1, 10]
    assert {m.key for m in matches} == {"1:group:9", "1:doc:11"}


class Counter:
    def __init__(self, current, baseline):
        self.current, self.baseline = current, baseline
        self.calls = []

    def counts(self, entities, start, end):
        self.calls.append((list(entities), start, end))
        return {e: self.current if end == NOW else self.baseline for e in entities}


def test_spike_is_measured_against_the_entitys_own_baseline():
    rule = RuleSpec(9, "volume_spike", entity_kind="enterprise", window_hours=24, baseline_days=14, spike_factor=3,
                    min_count=5)
    # A much-covered enterprise: 140 documents in 14 days = 10 a day; 25 today is not 3× its usual.
    busy = spike_figures(rule, Counter(25, 140), ("enterprise", 1), NOW)
    assert (busy.baseline_mean, busy.threshold, busy.is_spike) == (10.0, 30.0, False)
    # A quiet one: 7 in 14 days; 6 today passes the floor of 5 and 3 × 0.5.
    quiet = spike_figures(rule, Counter(6, 7), ("enterprise", 2), NOW)
    assert quiet.is_spike and quiet.threshold == 5.0
    counter = Counter(6, 7)
    docs = [doc(1, "x", entities=frozenset({("enterprise", 2), ("park", 3)}), district_id=4)]
    (match,) = evaluate([rule], docs, counter, NOW)
    assert match.entity == ("enterprise", 2) and match.key == "9:enterprise:2" and match.district_id == 4
    assert match.evidence["current"] == 6 and match.evidence["windows"] == 14
    window_start = NOW - dt.timedelta(hours=24)
    assert counter.calls == [([("enterprise", 2)], window_start, NOW),
                             ([("enterprise", 2)], window_start - dt.timedelta(days=14), window_start)]


def test_spike_rule_counts_every_entity_of_the_batch_at_once():
    rule = RuleSpec(9, "volume_spike", entity_kind="enterprise", min_count=5)
    counter = Counter(6, 7)
    docs = [doc(i, "x", entities=frozenset({("enterprise", i % 3)})) for i in range(30)]
    matches = evaluate([rule], docs, counter, NOW)
    assert sorted((m.entity or ("", 0)) for m in matches) == [("enterprise", 0), ("enterprise", 1),
                                                              ("enterprise", 2)]
    assert [sorted(entities) for entities, _start, _end in counter.calls] == [
        [("enterprise", 0), ("enterprise", 1), ("enterprise", 2)]] * 2

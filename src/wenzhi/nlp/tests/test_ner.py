import io
import json

import pytest

from wenzhi.nlp import cli, ner, ner_train
from wenzhi.nlp.train import find_shared_data

SHARED = find_shared_data()
MSRA = SHARED / "MSRA_NER" / "dh_msra.txt" if SHARED else None


def run(argv, data: bytes | str):
    stdin = io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
    out = io.BytesIO()
    code = cli.main(argv, stdin=stdin, stdout=out)
    return code, [json.loads(x) for x in out.getvalue().decode("utf-8").splitlines()]


def labelled(spans):
    return {(s.text, s.label) for s in spans}


def test_committed_model_loads_and_finds_people_places_organisations():
    rec = ner.get_recognizer()
    assert len(rec.gazetteer) > 1000  # the training names ship with the model
    out = ner.recognize([
        "新华社北京三月五日电，国务院总理李鹏在人民大会堂作政府工作报告。",
        "天津市文化和旅游局与南开大学签署合作协议。",
        "",
    ])
    assert {("新华社", "ORG"), ("北京", "LOC"), ("李鹏", "PER"), ("人民大会堂", "LOC")} <= labelled(out[0])
    assert {("天津市文化和旅游局", "ORG"), ("南开大学", "ORG")} <= labelled(out[1])
    assert out[2] == []


def test_offsets_are_into_the_text_as_given():
    texts = ["  ２０２６年，上海　市长在上海市政府开会", "中国\x00人民\u200b银行\ud800在北京", "A股：腾讯控股有限公司发布公告"]
    for text, spans in zip(texts, ner.recognize(texts), strict=True):
        for s in spans:
            assert text[s.start : s.end] == s.text and s.label in ner.LABELS
    assert ("腾讯控股有限公司", "ORG") in labelled(ner.recognize([texts[2]])[0])


def _toy_corpus(path):
    people, places, orgs = ["张伟", "李娜", "王小明"], ["上海", "杭州市", "西湖"], ["南开大学", "天津日报社", "华彩文化公司"]
    lines = []
    for i in range(90):
        parts = [(people[i % 3], "PER"), ("今天在", None), (places[i // 3 % 3], "LOC"), ("访问了", None),
                 (orgs[i // 9 % 3], "ORG"), ("。", None)]
        for text, lab in parts:
            for k, ch in enumerate(text):
                lines.append(f"{ch}\t{'O' if lab is None else ('B-' if k == 0 else 'I-') + lab}")
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_train_ner_and_the_numpy_tagger_agrees_with_crfsuite(tmp_path):
    import pycrfsuite
    import rjieba

    data = tmp_path / "toy.txt"
    _toy_corpus(data)
    assert ner_train.main(["--data", str(data), "--out", str(tmp_path / "m"), "--algorithm", "ap",
                           "--max-iterations", "5", "--keep-crfsuite"]) == 0
    rec = ner.Recognizer(tmp_path / "m")
    assert (tmp_path / "m" / "MODEL_CARD.md").exists()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "m" / "model.crfsuite"))
    texts = ["李娜今天在杭州市访问了南开大学。", "王小明在西湖", "没有名字的一句话", "张伟、李娜和王小明"]
    for text, spans in zip(texts, rec.recognize_scored(texts), strict=True):
        tags = tagger.tag(ner.features(text, rjieba.cut(text, True), rec.gazetteer))
        assert [(s.start, s.end, s.label) for s, _ in spans] == ner.bio_spans(tags)
        for (_s, p), (a, b, _) in zip(spans, ner.bio_spans(tags), strict=True):
            assert p == pytest.approx(min(tagger.marginal(tags[k], k) for k in range(a, b)), abs=1e-3)


def test_long_and_odd_input_gives_a_result():
    one_mb = "北京大学的学生在上海参观。" * 80_000
    out = ner.recognize([one_mb, "\x00\x01\x1f", "😀" * 10, "abc DEF 123"])
    assert len(out) == 4
    assert len(out[0]) >= 100_000 and all(one_mb[s.start : s.end] == s.text for s in out[0][-5:])
    assert out[1] == []


def test_caller_names_are_a_gazetteer():
    name = "墨语星河文化科技有限公司"
    spans = ner.recognize([f"{name}今天发布新品"], names=[name])[0]
    assert (name, "ORG") in labelled(spans)


def test_cli_ner_round_trip_and_bad_input(tmp_path):
    data = (
        '{"id": 1, "text": "国务院总理李鹏在北京会见客人"}\n'
        "\n"
        '{"id": 2}\n'
    ).encode() + b'{"id": 3, "text": "\xff\xfe"}\n' + json.dumps({"id": 4, "text": ""}).encode() + b"\n"
    code, lines = run(["ner"], data)
    assert code == 1 and len(lines) == 5
    ents = {(e["text"], e["label"]) for e in lines[0]["entities"]}
    assert {("李鹏", "PER"), ("北京", "LOC"), ("国务院", "ORG")} <= ents
    e = lines[0]["entities"][0]
    assert set(e) == {"start", "end", "text", "label"}
    assert lines[1] == {"id": None, "error": "empty line"}
    assert lines[2] == {"id": 2, "error": 'missing "text" field'}
    assert lines[3]["id"] == 3 and "invalid UTF-8" in lines[3]["error"]
    assert lines[4] == {"id": 4, "entities": []}
    bad = tmp_path / "names.tsv"
    bad.write_text("某某公司\tCOMPANY\n", encoding="utf-8")
    assert run(["ner", "--names", str(bad)], '{"id": 1, "text": "x"}\n')[0] == 2


def test_entities_adds_unlinked_organisations(tmp_path):
    f = tmp_path / "ents.jsonl"
    f.write_text(json.dumps({"id": "e1", "kind": "enterprise", "name": "天津广播电视网络有限公司"}, ensure_ascii=False)
                 + "\n", "utf-8")
    text = "天津广播电视网络有限公司与北京字节跳动科技有限公司签约"
    code, lines = run(["entities", "--entities", str(f)], json.dumps({"id": 1, "text": text}, ensure_ascii=False))
    assert code == 0
    ms = lines[0]["mentions"]
    assert ms[0]["entity_id"] == "e1" and ms[0]["start"] == 0
    unlinked = [m for m in ms if m["entity_id"] is None]
    assert [(m["surface"], m["kind"]) for m in unlinked] == [("北京字节跳动科技有限公司", "organisation")]
    assert text[unlinked[0]["start"] : unlinked[0]["end"]] == unlinked[0]["surface"]
    code, lines = run(["entities", "--entities", str(f), "--no-unlinked"], json.dumps({"id": 1, "text": text}))
    assert [m["entity_id"] for m in lines[0]["mentions"]] == ["e1"]


def test_bio_spans_open_a_span_on_a_stray_inside_tag():
    assert ner.bio_spans(["O", "I-ORG", "I-ORG", "B-LOC", "I-PER", "O"]) == [(1, 3, "ORG"), (3, 4, "LOC"), (4, 5, "PER")]


def test_read_msra_names_the_bad_line(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("中\tB-ORG\n国\tX\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2"):
        ner_train.read_msra(f)


@pytest.mark.corpus
def test_msra_split_is_a_fixed_tenth_never_trained_on():
    if MSRA is None or not MSRA.exists():
        pytest.skip(f"needs the MSRA corpus at {MSRA} (shared data not present)")
    sents = ner_train.read_msra(MSRA)
    train, held = ner_train.split_msra(sents)
    assert 0.09 < len(held) / len(sents) < 0.11
    assert not {t for t, _ in held} & {t for t, _ in train}
    assert ner_train.split_msra(sents)[1] == held



def _batch_marks(rec, views, gaz):
    """The featurizer's gazetteer row per character, turned back into ``gB…``/``gI…`` names."""
    import rjieba

    rows = rec._featurizer.rows(views, [rjieba.cut(v, True) for v in views], gaz)[-1].tolist()
    back = {r: a for a, r in rec._featurizer._gaz_rows.items()}
    out = []
    for v in views:
        out.append([back.get(r) for r in rows[: len(v)]])
        rows = rows[len(v):]
    return out


def test_vectorised_gazetteer_marks_match_the_plain_matcher(monkeypatch):
    rec = ner.Recognizer()
    gaz = ner.Gazetteer([("南开大学", "ORG"), ("南开", "LOC"), ("南开大学出版社", "ORG"), ("天津", "LOC"),
                         ("天津市", "LOC"), ("市河西区", "LOC"), ("李娜", "PER"), ("李娜李", "PER")])
    views = ["南开大学出版社在天津市河西区", "南开大学在天津", "李娜李娜李娜", "南开", "天", "天津市河西区南开"]
    expected = [gaz.marks(v) for v in views]
    assert any(m for ms in expected for m in ms)
    assert _batch_marks(rec, views, gaz) == expected
    # every hash hit taken for a collision: the exact matcher decides, same marks
    monkeypatch.setattr(ner.Gazetteer, "names", property(lambda self: {}))
    assert _batch_marks(rec, views, gaz) == expected

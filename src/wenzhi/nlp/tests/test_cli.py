import io
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from wenzhi.nlp import cli
from wenzhi.nlp.entities import Entity

SRC = Path(__file__).resolve().parents[3]


def run(argv, data: bytes | str, **kw):
    stdin = io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
    out = io.BytesIO()
    code = cli.main(argv, stdin=stdin, stdout=out, **kw)
    lines = [json.loads(x) for x in out.getvalue().decode("utf-8").splitlines()]
    return code, lines


@pytest.fixture
def fake_models(monkeypatch):
    sent = types.ModuleType("wenzhi.nlp.sentiment")
    sent.predict_sentiment = lambda texts, model="best": [(1, 0.9) if "好" in t else (0, 0.2) for t in texts]
    topic = types.ModuleType("wenzhi.nlp.topic")
    topic.predict_topic = lambda texts, scheme="news10", model="best": [f"{scheme}:{model}:{len(t)}" for t in texts]
    culture = types.ModuleType("wenzhi.nlp.culture")
    culture.culture_relevance = lambda texts: [{"relevant": "文化" in t, "score": 0.5} for t in texts]
    import wenzhi.nlp as pkg

    for name, mod in (("sentiment", sent), ("topic", topic), ("culture", culture)):
        monkeypatch.setitem(sys.modules, f"wenzhi.nlp.{name}", mod)
        monkeypatch.setattr(pkg, name, mod, raising=False)


def test_sentiment_order_ids_and_errors(fake_models):
    data = (
        '{"id": 1, "text": "很好"}\n'
        "\n"
        "not json\n"
        "[1, 2]\n"
        '{"id": "x"}\n'
        '{"id": "y", "text": 5}\n'
        '{"id": 7, "text": "太差"}\n'
    )
    code, lines = run(["sentiment", "--model", "fast"], data)
    assert code == 1
    assert len(lines) == 7
    assert lines[0] == {"id": 1, "label": 1, "score": 0.9}
    assert lines[1] == {"id": None, "error": "empty line"}
    assert lines[2]["id"] is None and lines[2]["error"].startswith("invalid JSON")
    assert lines[3]["error"] == "expected a JSON object, got list"
    assert lines[4] == {"id": "x", "error": 'missing "text" field'}
    assert lines[5] == {"id": "y", "error": '"text" must be a string, got int'}
    assert lines[6] == {"id": 7, "label": 0, "score": 0.2}


def test_all_good_exit_zero_and_small_batches(fake_models):
    data = "".join(json.dumps({"id": i, "text": f"文本{i}"}, ensure_ascii=False) + "\n" for i in range(25))
    code, lines = run(["topic", "--scheme", "tnews15", "--model", "fast", "--batch-size", "4"], data)
    assert code == 0
    assert [x["id"] for x in lines] == list(range(25))
    assert lines[3]["label"] == "tnews15:fast:3"


def test_culture_passthrough(fake_models):
    code, lines = run(["culture"], '{"id": "a", "text": "文化产业"}\n')
    assert code == 0 and lines == [{"id": "a", "relevant": True, "score": 0.5}]


def test_invalid_utf8_strict_and_replace():
    data = b'{"id": 1, "text": "\xff\xfe abc"}\n{"id": 2, "text": "\xe6\x96\x87\xe5\x8c\x96"}\n'
    code, lines = run(["normalize"], data)
    assert code == 1
    assert lines[0]["id"] == 1 and "invalid UTF-8" in lines[0]["error"]
    assert lines[1] == {"id": 2, "text": "文化"}
    code, lines = run(["normalize", "--utf8-errors", "replace"], data)
    assert code == 0 and lines[0]["text"] == "\ufffd\ufffd abc"


def test_text_stream_with_lone_surrogate_does_not_crash():
    code, lines = run(["normalize"], '{"id": 1, "text": "a\\ud800b"}\n')
    assert code == 0 and lines == [{"id": 1, "text": "ab"}]


@pytest.mark.parametrize("argv", [["sentiment", "--model", "best"], ["topic", "--scheme", "news10", "--model", "best"]])
def test_best_models_score_a_text_with_a_lone_surrogate(argv):
    # the words part goes through rjieba, whose Rust strings cannot hold a lone surrogate
    code, lines = run(argv, '{"id": 1, "text": "\\u0007好评\\ud800非常满意"}\n')
    assert code == 0 and lines[0]["id"] == 1 and "error" not in lines[0] and "label" in lines[0]


def test_dedup_reports_earlier_ids():
    data = (
        '{"id": "a", "text": "天津举办国际动漫节，吸引十万观众"}\n'
        '{"id": "b", "text": "上证指数收涨1.2% 券商板块领涨"}\n'
        '{"id": "c", "text": "【快讯】天津举办国际动漫节 吸引十万观众"}\n'
        '{"text": "天津举办国际动漫节吸引十万观众！"}\n'
    )
    code, lines = run(["dedup", "--threshold", "0.5"], data)
    assert code == 0
    assert lines[0]["duplicates"] == [] and lines[1]["duplicates"] == []
    assert [d["id"] for d in lines[2]["duplicates"]] == ["a"]
    assert lines[3]["id"] is None and {d["id"] for d in lines[3]["duplicates"]} == {"a", "c"}


def test_entities_from_file_and_source(tmp_path):
    f = tmp_path / "ents.jsonl"
    f.write_text(json.dumps({"id": "p1", "kind": "park", "name": "先农大院"}, ensure_ascii=False) + "\n", "utf-8")
    code, lines = run(["entities", "--entities", str(f)], '{"id": 1, "text": "先农大院开放"}\n')
    assert code == 0
    assert lines[0]["mentions"] == [
        {"start": 0, "end": 4, "surface": "先农大院", "entity_id": "p1", "kind": "park", "confidence": 0.98}
    ]
    source = lambda: [Entity("d1", "district", "武清区")]  # noqa: E731
    code, lines = run(["entities"], '{"id": 2, "text": "武清区文化节"}\n', entity_source=source)
    assert lines[0]["mentions"][0]["entity_id"] == "d1"
    assert run(["entities"], '{"id": 2, "text": "x"}\n')[0] == 2  # no entities at all: usage error


def test_segment_keywords_summary_normalize():
    line = '{"id": 1, "text": "臺灣動漫產業發展迅速。動漫企業數量增長。"}\n'
    assert run(["normalize"], line)[1][0]["text"] == "台湾动漫产业发展迅速。动漫企业数量增长。"
    assert "动漫" in run(["segment"], '{"id": 1, "text": "动漫产业"}\n')[1][0]["tokens"]
    assert run(["segment", "--pos"], '{"id": 1, "text": "天津"}\n')[1][0]["tokens"] == [["天津", "ns"]]
    kws = run(["keywords", "--top-k", "2"], '{"id": 1, "text": "动漫产业 动漫企业 动漫"}\n')[1][0]["keywords"]
    assert kws[0][0] == "动漫" and len(kws) <= 2
    assert run(["summary", "--max-sentences", "1"], line)[1][0]["summary"].endswith("。")


def test_train_delegates(monkeypatch):
    mod = types.ModuleType("wenzhi.nlp.train")
    seen = {}
    mod.main_train = lambda argv: seen.setdefault("argv", argv) and 0
    monkeypatch.setitem(sys.modules, "wenzhi.nlp.train", mod)
    import wenzhi.nlp as pkg

    monkeypatch.setattr(pkg, "train", mod, raising=False)
    assert cli.main(["train", "sentiment", "--quick"]) == 0
    assert seen["argv"] == ["sentiment", "--quick"]


def test_usage_errors():
    assert cli.main(["dedup", "--threshold", "2"], stdin=io.BytesIO(b""), stdout=io.BytesIO()) == 2
    assert cli.main(["nonsense"], stdin=io.BytesIO(b""), stdout=io.BytesIO()) == 2


def test_python_dash_m_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "wenzhi.nlp.cli", "normalize"],
        input='{"id": 1, "text": "ＡＢＣ"}\n'.encode(),
        capture_output=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"id": 1, "text": "ABC"}

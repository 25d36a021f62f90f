from wenzhi.nlp.normalize import EMOJI_RE, fold_for_matching, normalize, to_halfwidth


def test_traditional_to_simplified_and_fullwidth():
    assert normalize(["臺灣電視劇ＡＢＣ１２３"]) == ["台湾电视剧ABC123"]


def test_chinese_punctuation_kept_unless_asked():
    assert normalize(["你好，世界！"]) == ["你好，世界！"]
    assert normalize(["你好，世界！"], halfwidth_punct=True) == ["你好,世界!"]


def test_whitespace_collapse_and_controls():
    assert normalize(["  a\t\u3000b \x00\x07c\u200b\ufeff  "]) == ["a b c"]
    assert normalize(["第一行 \n\n  第二行"], keep_newlines=True) == ["第一行\n第二行"]


def test_emoji_removed_only_on_request():
    text = "好看😀👍🏻！❤️"
    assert "😀" in normalize([text])[0]
    assert normalize([text], remove_emoji=True) == ["好看！"]
    assert not EMOJI_RE.search(normalize(["🇨🇳国旗"], remove_emoji=True)[0])


def test_empty_none_and_surrogates_do_not_crash():
    out = normalize(["", None, "a\ud800b\udfffc"])  # type: ignore[list-item]
    assert out == ["", "", "abc"]
    out[2].encode("utf-8")  # must be encodable


def test_one_megabyte_string():
    big = ("測試ＡＢＣ 文本。\n" * 110_000)[:1_000_000]
    out = normalize([big])[0]
    assert out.startswith("测试ABC 文本。 测试")
    assert "\n" not in out


def test_batch_order_preserved():
    texts = [f"第{i}條" for i in range(50)]
    assert normalize(texts) == [f"第{i}条" for i in range(50)]


def test_width_and_fold_keep_offsets():
    s = "Ｃ９２文化產業園"
    assert len(fold_for_matching(s)) == len(s)
    assert fold_for_matching(s) == "c92文化產業園"
    assert to_halfwidth([s]) == ["C92文化產業園"]

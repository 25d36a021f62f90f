import pytest

from wenzhi.nlp.keywords import keywords
from wenzhi.nlp.segment import UserDictionary

DOC = (
    "国家动漫产业综合示范园今年新增入驻动漫企业50家。示范园位于滨海新区中新天津生态城，"
    "是动漫产业聚集区。园区动漫企业营业收入同比增长20%。"
)


def test_tfidf_finds_topic_words_and_keeps_registry_name():
    ud = UserDictionary(["国家动漫产业综合示范园"])
    kws = keywords([DOC], top_k=8, user_dict=ud)[0]
    words = [w for w, _ in kws]
    assert "动漫" in words[:3]
    assert "国家动漫产业综合示范园" in words
    assert all(len(w) >= 2 for w in words)
    scores = [s for _, s in kws]
    assert scores == sorted(scores, reverse=True)


def test_textrank_scaled_to_one():
    kws = keywords([DOC], method="textrank", top_k=5)[0]
    assert kws[0][1] == pytest.approx(1.0)
    assert "动漫" in [w for w, _ in kws]


def test_empty_and_stopword_only_texts():
    assert keywords(["", "的 了 是", "12345"]) == [[], [], []]
    assert keywords(["", "我们"], method="textrank") == [[], []]


def test_bad_method():
    with pytest.raises(ValueError):
        keywords(["文化"], method="lda")

"""Culture relevance: business-scope wording, news headlines, and non-culture text."""

from __future__ import annotations

import pytest

from wenzhi.nlp import culture

SCOPE = [
    ("广播电视节目制作、经营；电影摄制；影视策划", "broadcasting_film_tv"),
    ("动漫设计；网络游戏开发及运营", "animation_games"),
    ("演出经纪；营业性演出；文艺创作", "performing_arts"),
    ("会议及展览服务；礼仪服务", "exhibitions"),
    ("工艺美术品销售；艺术品拍卖", "art_trading"),
    ("图书出版、发行；期刊出版", "publishing"),
    ("旅游景区管理；旅行社服务", "cultural_tourism"),
    ("平面设计；广告设计、制作、代理、发布；文化创意服务", "creative_design"),
]


def test_sectors_follow_the_plan():
    assert [c for c, _ in culture.SECTORS] == [
        "broadcasting_film_tv", "publishing", "performing_arts", "creative_design",
        "cultural_tourism", "animation_games", "exhibitions", "art_trading",
    ]
    assert culture.SECTOR_NAMES["art_trading"] == "艺术品交易"


@pytest.mark.parametrize("use_model", [False, True])
def test_business_scope_maps_to_its_sector(use_model):
    out = culture.culture_relevance([t for t, _ in SCOPE], use_model=use_model)
    for (text, sector), r in zip(SCOPE, out, strict=True):
        assert r["relevant"], text
        assert r["sectors"][0][0] == sector, (text, r)
        assert r["evidence"], text


def test_non_culture_scope_is_not_relevant():
    out = culture.culture_relevance([
        "软件开发；集成电路设计；技术咨询",
        "钢材、建材批发；普通货物道路运输",
        "公司拟非公开发行股票募集资金",
        "法院对查封房产进行司法拍卖",
    ])
    assert [r["relevant"] for r in out] == [False, False, False, False], out
    assert all(r["sectors"] == [] for r in out[:3])


def test_news_without_keywords_uses_the_topic_model():
    # no lexicon term here: relevance must come from the TNEWS model (news_travel)
    r = culture.culture_relevance(["周末带孩子去哪玩？这个地方的秋天太美了"])[0]
    off = culture.culture_relevance(["周末带孩子去哪玩？这个地方的秋天太美了"], use_model=False)[0]
    assert r["score"] > off["score"]


def test_empty_text_and_shape():
    r = culture.culture_relevance(["", "故宫博物院推出新展览"])
    assert r[0] == {"relevant": False, "score": 0.0, "sectors": [], "evidence": []}
    assert r[1]["relevant"] and {"cultural_tourism", "exhibitions"} <= {s for s, _ in r[1]["sectors"]}
    assert all(0.0 <= s <= 1.0 for _, s in r[1]["sectors"])

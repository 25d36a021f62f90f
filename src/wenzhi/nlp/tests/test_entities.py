import pytest

from wenzhi.nlp.entities import Entity, EntityLinker, Mention, name_variants

REGISTRY = [
    Entity("e-gd", "enterprise", "天津广播电视网络有限公司", context="河西区 有线电视"),
    Entity("e-jw", "enterprise", "天津今晚网络信息技术股份有限公司"),
    Entity("e-wl", "enterprise", "未来电视有限公司", context="互联网电视"),
    Entity("e-bf", "enterprise", "天津北方网新媒体集团", aliases=["北方网"]),
    Entity("e-hc1", "enterprise", "天津华彩文化传媒有限公司", context="和平区 演出"),
    Entity("e-hc2", "enterprise", "天津华彩文化发展集团有限公司", context="滨海新区 影视"),
    Entity("p-dm", "park", "国家动漫产业综合示范园", context="滨海新区"),
    Entity("p-c92", "park", "C92文化产业园"),
    Entity("d-nk", "district", "南开区"),
    Entity("d-wq", "district", "武清区"),
    Entity("d-hp", "district", "和平区"),
    Entity("d-bh", "district", "滨海新区"),
]


@pytest.fixture(scope="module")
def linker() -> EntityLinker:
    return EntityLinker(REGISTRY)


def _found(linker, text):
    return [(m.surface, m.entity_id) for m in linker.link([text])[0]]


def test_short_names_generated():
    surfaces = {s for s, _ in name_variants(REGISTRY[0])}
    assert {"广电网络公司", "天津广电网络", "天津广播电视网络有限公司"} <= surfaces


def test_full_and_short_names_link(linker):
    assert _found(linker, "天津广播电视网络有限公司发布公告") == [("天津广播电视网络有限公司", "e-gd")]
    assert _found(linker, "天津广电网络今年用户增长") == [("天津广电网络", "e-gd")]
    # 广电网络公司 is also any province's broadcaster: linked only with Tianjin or context evidence
    assert _found(linker, "广电网络公司推出有线电视新套餐") == [("广电网络公司", "e-gd")]
    assert _found(linker, "中央提出组建国家级广电网络公司") == []
    assert _found(linker, "北方网报道：C92文化产业园开园") == [("北方网", "e-bf"), ("C92文化产业园", "p-c92")]


def test_offsets_and_mention_fields(linker):
    text = "据悉，国家动漫产业综合示范园在滨海新区"
    ms = linker.link([text])[0]
    assert [(text[m.start : m.end], m.kind) for m in ms] == [("国家动漫产业综合示范园", "park"), ("滨海新区", "district")]
    assert isinstance(ms[0], Mention) and 0 < ms[0].confidence <= 1
    assert ms[0].as_dict()["entity_id"] == "p-dm"


def test_no_hits_inside_longer_words_or_other_places(linker):
    assert _found(linker, "南开大学举行毕业典礼") == []
    assert _found(linker, "北京广播电视网络有限公司发布公告") == []
    assert _found(linker, "未来电视剧市场怎么走") == []
    assert _found(linker, "AC92文化产业园") == []


def test_generic_short_name_needs_evidence(linker):
    assert _found(linker, "今晚网络直播超级碗") == []
    assert _found(linker, "未来电视推出新应用，天津用户可免费体验") == [("未来电视", "e-wl")]


def test_ambiguous_name_resolved_by_context_or_dropped(linker):
    assert _found(linker, "和平区华彩文化推出新年演出季") == [("和平区", "d-hp"), ("华彩文化", "e-hc1")]
    assert _found(linker, "滨海新区华彩文化影视基地开工") == [("滨海新区", "d-bh"), ("华彩文化", "e-hc2")]
    assert _found(linker, "华彩文化发布年度报告") == []
    low = EntityLinker(REGISTRY, min_confidence=0.4).link(["华彩文化发布年度报告"])[0]
    assert len(low) == 1 and low[0].confidence == 0.5


def test_district_short_name(linker):
    assert _found(linker, "武清文化节开幕") == [("武清", "d-wq")]


def test_fullwidth_text_and_batch(linker):
    out = linker.link(["Ｃ９２文化产业园", "", "没有实体的标题"])
    assert [(m.surface, m.entity_id) for m in out[0]] == [("Ｃ９２文化产业园", "p-c92")]
    assert out[1] == [] and out[2] == []


def test_entity_validation():
    with pytest.raises(ValueError):
        Entity("x", "company", "某公司")
    with pytest.raises(ValueError):
        EntityLinker([Entity("x", "park", "甲园"), Entity("x", "park", "乙园")])

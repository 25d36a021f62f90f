from ..choices import ClassificationSource, Sector
from ..classification import classify, intelligent_score


def test_full_code_maps_through_the_shipped_table():
    r = classify(name="天津某出版社有限公司", industry_code="8621", business_scope="图书出版")
    assert (r.culture_category, r.culture_subcategory, r.source) == ("02", "021", ClassificationSource.GBT_MAPPING)
    assert "8621" in r.evidence["rule"] and "021" in r.evidence["rule"]
    assert r.sector == Sector.PUBLISHING


def test_partial_code_needs_scope_keywords():
    hit = classify(name="天津某科技有限公司", industry_code="6513", business_scope="游戏软件开发；动漫设计")
    assert hit.source == ClassificationSource.GBT_PARTIAL_SCOPE
    assert hit.culture_subcategory == "024" and set(hit.evidence["words"]) >= {"动漫", "游戏"}
    miss = classify(name="天津某科技有限公司", industry_code="6513", business_scope="财务软件开发；系统集成")
    assert miss.source == ClassificationSource.UNCLASSIFIED and miss.culture_category == ""
    assert "仅部分属于" in miss.evidence["rule"]


def test_missing_code_falls_back_to_scope_rules_with_words():
    r = classify(name="天津某文化发展有限公司", industry_code="", business_scope="演出经纪；文化艺术交流活动策划")
    assert r.source == ClassificationSource.SCOPE_KEYWORDS
    assert r.culture_subcategory == "075" and "演出经纪" in r.evidence["words"]
    assert "未填写行业代码" in r.evidence["rule"]
    assert r.sector == Sector.PERFORMING_ARTS


def test_non_cultural_code_is_noted():
    r = classify(name="天津某贸易有限公司", industry_code="5211", business_scope="日用百货销售")
    assert r.source == ClassificationSource.UNCLASSIFIED
    assert "不在文化及相关产业对照表中" in r.evidence["rule"]


def test_intelligent_score_and_evidence():
    score, evidence = intelligent_score("人工智能应用软件开发；虚拟现实技术服务；大数据分析")
    groups = {e["group"] for e in evidence}
    assert {"人工智能", "大数据", "虚拟现实/增强现实"} <= groups
    assert score > 0.6
    assert "智能/智慧" not in groups  # 人工智能 is not counted twice


def test_latin_words_match_whole_words_only():
    assert intelligent_score("ARTS and CARDS")[0] == 0
    score, evidence = intelligent_score("AR 眼镜内容制作")
    assert score > 0 and evidence[0]["words"] == ["AR"]

"""Deterministic classification of an enterprise, with the evidence that decided it.

1. Culture category (2018 大类/中类): from the GB/T 4754-2017 code through the shipped mapping; for a class
   that is only partly cultural (the standard's “*” classes), only when the business scope contains one of
   that class's keywords; for a missing or non-cultural code, from business-scope keyword rules.
2. Sector (the plan's eight): from keywords in the name and business scope, else from the culture 中类.
3. Intelligent score (智能化): keyword groups (AI, big data, VR/AR, digital content, cloud, ...) combined as
   ``1 - Π(1 - weight)``, with the matched words as evidence.

Every rule is a table below, so the page can show which rule or words decided and a reviewer can read why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from . import reference
from .choices import ClassificationSource, Sector

# Business-scope keyword rules: culture 中类 → words. Order matters on ties (more specific classes first).
SCOPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("024", ("动漫", "动画", "网络游戏", "游戏开发", "游戏设计", "电子竞技", "数字内容", "数字动漫", "数字艺术",
             "虚拟现实内容", "数字文化")),
    ("022", ("影视", "电影", "电视剧", "广播电视节目制作", "影视节目", "短视频制作", "纪录片", "录音制作", "音乐制作")),
    ("021", ("图书出版", "期刊出版", "音像制品出版", "电子出版物", "数字出版", "出版物")),
    ("011", ("新闻采编", "新闻", "通讯社")),
    ("014", ("互联网信息服务", "网络文化", "网络视听", "网络直播")),
    ("023", ("文艺创作", "演出", "表演", "戏剧", "曲艺", "歌舞", "杂技", "相声", "音乐创作", "文学创作", "美术创作")),
    ("025", ("博物馆", "文物", "非物质文化遗产", "非遗", "图书馆", "档案", "纪念馆", "古籍")),
    ("026", ("工艺美术品", "工艺品制造", "雕塑", "刺绣", "泥人", "风筝", "剪纸", "漆器", "珠宝首饰设计")),
    ("031", ("广告设计", "广告制作", "广告发布", "广告代理", "广告")),
    ("032", ("工业设计", "平面设计", "创意设计", "服装设计", "室内设计", "建筑设计", "景观设计", "包装设计",
             "展示设计", "品牌设计", "文化创意", "设计服务")),
    ("041", ("图书批发", "图书零售", "报刊", "书店", "出版物发行", "音像制品零售")),
    ("043", ("电影放映", "影院", "影视发行", "电影发行")),
    ("044", ("剧场", "剧院", "演艺场馆", "音乐厅")),
    ("045", ("直播平台", "文化娱乐平台", "音乐平台", "视频平台")),
    ("046", ("艺术品拍卖", "拍卖", "艺术品代理", "画廊")),
    ("047", ("工艺美术品销售", "艺术品销售", "收藏品", "古玩", "字画")),
    ("051", ("文化产业投资", "文化投资", "影视投资")),
    ("052", ("文化产业园", "园区管理", "园区运营", "众创空间", "孵化器")),
    ("061", ("娱乐", "KTV", "歌舞厅", "电子游艺", "网吧", "剧本杀", "密室", "游乐园")),
    ("062", ("景区", "旅游景点", "游览", "公园管理", "风景名胜")),
    ("063", ("休闲观光", "文化旅游", "研学旅行", "乡村旅游", "旅游")),
    ("072", ("印刷", "包装装潢", "复制", "装订", "摄影扩印")),
    ("073", ("版权", "著作权")),
    ("074", ("会展", "展览", "会议服务", "博览会", "展会")),
    ("075", ("演出经纪", "文化经纪", "艺人经纪", "票务代理", "文化活动策划", "活动策划", "庆典")),
    ("076", ("舞台设备租赁", "演出器材租赁", "文化用品租赁")),
    ("077", ("文化艺术培训", "艺术培训", "美术培训", "舞蹈培训", "音乐培训", "书法培训", "文化研究")),
    ("082", ("广播电视设备", "影视设备")),
    ("083", ("摄影器材", "摄像机", "投影设备")),
    ("084", ("舞台灯光", "演艺设备", "舞台设备", "音响工程")),
    ("085", ("游乐设备", "游艺设备")),
    ("086", ("乐器",)),
    ("091", ("文具",)),
    ("093", ("玩具",)),
    ("094", ("烟花", "节庆用品")),
)

# Sector keyword rules on name + business scope; the best-scoring sector wins, else the 中类's default sector.
SECTOR_RULES: dict[str, tuple[str, ...]] = {
    Sector.BROADCASTING_FILM_TV: ("影视", "电影", "电视", "广播", "纪录片", "视听", "影院", "传媒"),
    Sector.PUBLISHING: ("出版", "发行", "图书", "期刊", "报刊", "书店", "印刷", "报业", "新闻"),
    Sector.PERFORMING_ARTS: ("演出", "演艺", "表演", "剧场", "剧院", "戏剧", "曲艺", "相声", "歌舞", "娱乐", "经纪"),
    Sector.CREATIVE_DESIGN: ("设计", "创意", "广告", "品牌策划", "文创"),
    Sector.CULTURAL_TOURISM: ("旅游", "景区", "文旅", "研学", "民宿", "游览", "博物馆", "非遗"),
    Sector.ANIMATION_GAMES: ("动漫", "动画", "游戏", "电竞", "电子竞技"),
    Sector.EXHIBITIONS: ("会展", "展览", "博览", "展会", "会议服务"),
    Sector.ART_TRADING: ("艺术品", "拍卖", "画廊", "收藏品", "古玩", "字画", "工艺美术品销售"),
}

# Intelligent-score keyword groups: (label, weight, words). Latin words match as whole words only.
INTELLIGENT_GROUPS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("人工智能", 0.35, ("人工智能", "AI", "机器学习", "深度学习", "计算机视觉", "语音识别", "自然语言处理",
                      "智能算法", "AIGC", "生成式")),
    ("大数据", 0.25, ("大数据", "数据挖掘", "数据分析", "数据处理", "数据服务")),
    ("虚拟现实/增强现实", 0.3, ("虚拟现实", "增强现实", "混合现实", "VR", "AR", "MR", "XR", "全息", "沉浸式")),
    ("数字内容", 0.2, ("数字内容", "数字出版", "数字媒体", "数字文化", "数字艺术", "数字动漫", "网络视听",
                     "新媒体", "数字孪生")),
    ("元宇宙/数字人", 0.25, ("元宇宙", "数字人", "虚拟人", "虚拟偶像", "数字藏品")),
    ("云计算", 0.15, ("云计算", "云服务", "云平台", "云渲染")),
    ("物联网", 0.15, ("物联网",)),
    ("区块链", 0.15, ("区块链",)),
    ("5G/超高清", 0.1, ("5G", "超高清", "4K", "8K")),
    ("智能/智慧", 0.1, ("智能", "智慧")),
    ("软件与信息技术", 0.05, ("软件开发", "信息技术", "网络技术", "计算机技术", "互联网")),
)


@dataclass
class Classification:
    """The result of classifying one enterprise, ready to copy onto its row."""

    culture_category: str = ""
    culture_subcategory: str = ""
    source: str = ClassificationSource.UNCLASSIFIED
    evidence: dict = field(default_factory=dict)
    sector: str = ""
    intelligent_score: float = 0.0
    intelligent_evidence: list = field(default_factory=list)


@lru_cache(maxsize=16)  # one text is matched against every keyword group in turn
def _prepare(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").upper()


@lru_cache(maxsize=4096)
def _pattern(word: str) -> re.Pattern:
    escaped = re.escape(word.upper())
    if word.isascii():
        # "AR" must not match inside "ARTS" or "CAR": Latin words need non-letter neighbours.
        return re.compile(rf"(?<![A-Z0-9]){escaped}(?![A-Z0-9])")
    return re.compile(escaped)


_ANY_WORD: dict[int, tuple[object, re.Pattern]] = {}


def _any_word(words: Sequence[str]) -> re.Pattern:
    """Any of ``words`` as a plain substring: a text it does not match contains none of them (a bounded match
    of a Latin word is also a substring match), so one search rules out a whole keyword group."""
    hit = _ANY_WORD.get(id(words))
    if hit is None or hit[0] is not words:
        hit = (words, re.compile("|".join(re.escape(w.upper()) for w in words)))
        _ANY_WORD[id(words)] = hit
    return hit[1]


def find_words(text: str, words: Sequence[str]) -> list[str]:
    """The words of ``words`` that occur in ``text`` (normalised), in the order given, each once."""
    prepared = _prepare(text)
    if not _any_word(words).search(prepared):
        return []
    return [w for w in words if _pattern(w).search(prepared)]


def classify_culture(*, industry_code: str, business_scope: str, name: str = "") -> tuple[str, str, str, dict]:
    """(category, subcategory, source, evidence) for an enterprise; see the module docstring for the rules."""
    text = f"{name} {business_scope}"
    code = (industry_code or "").strip()
    mapping = reference.culture_mapping().get(code) if code else None
    names = reference.culture_names()
    industry_name = reference.industry_names().get(code, "")
    if mapping and mapping.inclusion == "full":
        return mapping.category, mapping.subcategory, ClassificationSource.GBT_MAPPING, {
            "rule": f"行业代码 {code} {industry_name} 属于文化及相关产业 {mapping.subcategory} "
                    f"{names.get(mapping.subcategory, '')}",
            "industry_code": code,
        }
    evidence: dict = {"industry_code": code} if code else {}
    if mapping and mapping.inclusion == "partial":
        words = find_words(text, mapping.keywords)
        if words:
            return mapping.category, mapping.subcategory, ClassificationSource.GBT_PARTIAL_SCOPE, {
                "rule": f"行业代码 {code} {industry_name} 仅部分属于文化产业；经营范围含“{'、'.join(words)}”，"
                        f"归入 {mapping.subcategory} {names.get(mapping.subcategory, '')}",
                "industry_code": code, "words": words,
            }
        evidence["note"] = f"行业代码 {code} {industry_name} 仅部分属于文化产业，经营范围未见其关键词"
    elif code:
        evidence["note"] = (f"行业代码 {code} {industry_name} 不在文化及相关产业对照表中" if industry_name
                            else f"行业代码 {code} 无法识别")
    else:
        evidence["note"] = "未填写行业代码"
    best: tuple[int, int, str, list[str]] | None = None
    for order, (subcategory, rule_words) in enumerate(SCOPE_RULES):
        found = find_words(text, rule_words)
        if not found:
            continue
        weight = sum(len(w) for w in found)
        if best is None or weight > best[0]:
            best = (weight, order, subcategory, found)
    if best is None:
        evidence["rule"] = evidence["note"] + "；经营范围也未匹配文化产业关键词，未能归类"
        return "", "", ClassificationSource.UNCLASSIFIED, evidence
    _, _, subcategory, found = best
    evidence.update({
        "rule": f"{evidence['note']}；经营范围含“{'、'.join(found)}”，归入 {subcategory} {names.get(subcategory, '')}",
        "words": found,
    })
    return subcategory[:2], subcategory, ClassificationSource.SCOPE_KEYWORDS, evidence


_SUBCATEGORY_SECTOR: dict[str, str] = {}


def _default_sector(subcategory: str) -> str:
    if not _SUBCATEGORY_SECTOR:
        for m in reference.culture_mapping().values():
            _SUBCATEGORY_SECTOR.setdefault(m.subcategory, m.sector)
    return _SUBCATEGORY_SECTOR.get(subcategory, "")


def classify_sector(*, name: str, business_scope: str, subcategory: str, by_code: bool = False
                    ) -> tuple[str, dict]:
    """(sector, evidence): the 中类's sector when the industry code decided the class (``by_code``); otherwise
    keyword votes in name (counted twice) and business scope, else the 中类's sector."""
    if by_code and _default_sector(subcategory):
        return str(_default_sector(subcategory)), {"rule": f"按行业代码所属文化产业中类 {subcategory} 对应的门类"}
    scores: dict[str, tuple[int, list[str]]] = {}
    for sector, words in SECTOR_RULES.items():
        in_name = find_words(name, words)
        in_scope = find_words(business_scope, words)
        score = 2 * len(in_name) + len(in_scope)
        if score:
            scores[sector] = (score, list(dict.fromkeys(in_name + in_scope)))
    if scores:
        sector, (score, matched) = max(scores.items(), key=lambda kv: kv[1][0])
        return str(sector), {"rule": f"名称或经营范围含“{'、'.join(matched)}”", "words": matched}
    sector = _default_sector(subcategory)
    if sector:
        return sector, {"rule": f"按文化产业中类 {subcategory} 的默认门类"}
    return "", {"rule": "无法判断产业门类"}


def intelligent_score(text: str) -> tuple[float, list[dict]]:
    """(score in [0, 1), evidence): each matched group once, ``1 - Π(1 - weight)``.

    The generic group 智能/智慧 counts only when no more specific group matched the same text, so that
    “人工智能” is not counted twice.
    """
    evidence = []
    remaining = 1.0
    specific = False
    for label, weight, words in INTELLIGENT_GROUPS:
        found = find_words(text, words)
        if label == "智能/智慧":
            stripped = _prepare(text).replace("人工智能", "")
            found = [w for w in words if w in stripped]
            if not found or specific:
                continue
        if not found:
            continue
        if weight >= 0.15:
            specific = True
        remaining *= 1 - weight
        evidence.append({"group": label, "words": found, "weight": weight})
    return round(1 - remaining, 3), evidence


def classify(*, name: str, industry_code: str, business_scope: str) -> Classification:
    """Classify one enterprise: culture category, sector and intelligent score, each with evidence."""
    category, subcategory, source, evidence = classify_culture(
        industry_code=industry_code, business_scope=business_scope, name=name)
    sector, sector_evidence = classify_sector(name=name, business_scope=business_scope, subcategory=subcategory,
                                              by_code=source == ClassificationSource.GBT_MAPPING)
    evidence = {**evidence, "sector": sector_evidence}
    score, intelligent = intelligent_score(f"{name} {business_scope}")
    return Classification(culture_category=category, culture_subcategory=subcategory, source=str(source),
                          evidence=evidence, sector=sector, intelligent_score=score,
                          intelligent_evidence=intelligent)

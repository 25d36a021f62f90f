"""Is a text about the culture industry, and which of the action plan's eight sectors?

Built from what exists (see ``models/culture-sectors-lexicon/MODEL_CARD.md``):

1. **Keyword evidence** per sector: hand-written lists that follow the wording of news headlines
   *and* of enterprises' registered business scope (经营范围), e.g. 广播电视节目制作 →
   broadcasting_film_tv, 演出经纪 → performing_arts, 会议及展览服务 → exhibitions. Each term
   has a weight (1.0 unambiguous, lower for words that are often used outside culture, such as
   设计 or 发行); phrases that contain a keyword but are not culture (软件设计, 股票发行,
   司法拍卖 …) are listed as blockers and consume the match.
2. **The TNEWS topic model** (``topic-tnews15-fast``): the probability it gives to
   news_culture, news_entertainment, news_travel and news_game. It catches news text without
   keywords; it knows nothing about business-scope wording, so it can only add to keyword
   evidence, and is capped below certainty.

A sector's score is ``1 - exp(-sum of its matched weights)`` (0…1), raised to the model's
sector probability where the TNEWS class maps cleanly onto a sector (travel → cultural_tourism,
game → animation_games, entertainment → split between broadcasting_film_tv and performing_arts).
The overall score is the noisy-OR ``1 - (1 - best sector score) × (1 - 0.9 × model culture
probability)``; ``relevant`` is ``score >= 0.5``.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from typing import Any

from wenzhi.nlp.features import prepare, prepare_batch

__all__ = ["SECTORS", "SECTOR_NAMES", "KEYWORDS", "culture_relevance", "RELEVANCE_THRESHOLD"]

#: The action plan's eight culture-industry sectors, in the plan's order: (code, Chinese name).
SECTORS: list[tuple[str, str]] = [
    ("broadcasting_film_tv", "广播影视"),
    ("publishing", "出版发行"),
    ("performing_arts", "演艺娱乐"),
    ("creative_design", "文化创意和设计"),
    ("cultural_tourism", "文化旅游"),
    ("animation_games", "动漫游戏"),
    ("exhibitions", "文化会展"),
    ("art_trading", "艺术品交易"),
]
SECTOR_NAMES = dict(SECTORS)

RELEVANCE_THRESHOLD = 0.5
#: sectors below this score are not listed
SECTOR_MIN_SCORE = 0.3

# weight 1.0: unambiguous; 0.6: usually culture; 0.3: needs company
_W = {"A": 1.0, "B": 0.6, "C": 0.3}

#: sector → {grade: terms}. Terms are matched on NFKC-folded lower-case text; longer terms win.
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "broadcasting_film_tv": {
        "A": ["广播电视", "广播影视", "电影", "影视", "电视剧", "纪录片", "影院", "影城", "院线", "影片", "网络视听",
              "节目制作", "电视节目", "广播节目", "影视制作", "影视剧", "电影发行", "影视发行", "电影放映", "摄制",
              "制片", "剧组", "票房", "卫视", "广电", "有线电视", "影视基地", "影视城", "微电影", "网络剧", "网剧",
              "综艺节目", "视听节目", "电视台", "广播电台", "后期制作", "影视后期", "导演"],
        "B": ["综艺", "电视", "广播", "频道", "短视频", "拍摄", "配音", "演员", "视频制作", "动态影像", "片场",
              "首映", "上映", "主演", "影帝", "影后"],
        "C": ["直播", "视频", "音像", "明星", "特效"],
    },
    "publishing": {
        "A": ["出版", "图书", "期刊", "报纸", "报刊", "杂志社", "出版物", "音像制品", "电子出版物", "书店", "新华书店",
              "图书发行", "出版物发行", "报刊发行", "数字出版", "网络文学", "网络出版", "图书批发", "图书零售",
              "书刊", "书籍", "版权", "著作权", "出版社", "印刷品", "读书会"],
        "B": ["杂志", "作家", "小说", "阅读", "读者", "编辑", "印刷", "诗集", "散文", "书法作品集", "文学"],
        "C": ["发行", "书", "诗", "排版"],
    },
    "performing_arts": {
        "A": ["演出", "演艺", "演唱会", "音乐会", "话剧", "戏剧", "戏曲", "京剧", "昆曲", "评剧", "相声", "曲艺",
              "杂技", "芭蕾", "歌剧", "舞剧", "音乐剧", "剧场", "剧院", "剧团", "演出经纪", "文艺表演", "文艺创作",
              "营业性演出", "演出场所", "歌舞厅", "音乐节", "交响乐", "乐团", "艺人经纪", "艺术表演"],
        "B": ["舞蹈", "歌手", "乐队", "娱乐", "艺人", "经纪", "ktv", "演员", "文艺", "晚会", "巡演", "舞台",
              "歌曲", "专辑", "偶像", "选秀", "音乐", "游乐", "游艺"],
        "C": ["明星", "粉丝", "歌", "唱"],
    },
    "creative_design": {
        "A": ["文化创意", "文创", "创意设计", "工业设计", "平面设计", "广告设计", "包装设计", "服装设计", "视觉设计",
              "品牌设计", "室内设计", "景观设计", "建筑设计", "专业设计服务", "广告制作", "广告发布", "广告代理",
              "广告业", "文创产品", "设计服务", "创意产业", "工艺设计", "时尚设计", "城市规划设计"],
        "B": ["广告", "创意", "品牌策划", "策划", "设计", "企业形象策划", "营销策划", "形象设计"],
        "C": ["时尚", "视觉"],
    },
    "cultural_tourism": {
        "A": ["旅游", "景区", "景点", "文旅", "名胜", "古镇", "古迹", "博物馆", "纪念馆", "旅行社", "游客", "一日游",
              "自驾游", "乡村旅游", "红色旅游", "研学", "文物", "遗址", "非遗", "非物质文化遗产", "民宿", "度假区",
              "风景区", "游览", "导游", "旅行", "文化遗产", "历史文化街区", "旅游开发", "景区管理"],
        "B": ["度假", "风景", "公园", "古城", "古村", "名胜古迹", "攻略", "出游", "自驾", "酒店预订", "游玩", "客栈",
              "寺庙", "石窟", "长城", "故宫", "门票"],
        "C": ["景色", "打卡", "美景", "住宿"],
    },
    "animation_games": {
        "A": ["动漫", "动画", "漫画", "卡通", "网络游戏", "网游", "手游", "电子竞技", "电竞", "游戏开发", "游戏软件",
              "动漫设计", "游戏设计", "二次元", "游戏机", "端游", "页游", "电子游戏", "游戏运营", "数字娱乐",
              "cosplay", "王者荣耀", "英雄联盟", "绝地求生", "吃鸡", "dota", "lol", "steam", "游戏主机", "电玩"],
        "B": ["游戏", "玩家", "副本", "ps4", "ps5", "switch", "任天堂", "手办", "动漫周边"],
        "C": ["皮肤", "英雄"],
    },
    "exhibitions": {
        "A": ["会展", "展览", "展会", "博览会", "会议及展览服务", "会议服务", "展览服务", "展馆", "展览馆", "展陈",
              "文博会", "艺术展", "画展", "展销会", "交易会", "博览", "展台", "展位", "策展", "庆典", "节庆活动"],
        "B": ["展示", "展出", "展品", "论坛", "峰会", "会务", "礼仪服务", "活动策划", "年会", "发布会", "开幕"],
        "C": ["会议", "活动"],
    },
    "art_trading": {
        "A": ["艺术品", "艺术品拍卖", "拍卖会", "古董", "古玩", "字画", "书画", "画廊", "工艺美术品", "工艺品",
              "美术品", "文玩", "藏品", "收藏品", "油画", "国画", "雕塑", "篆刻", "鉴宝", "艺术品经营", "瓷器",
              "玉器", "紫砂", "书法", "画作", "画家", "珠宝玉石"],
        "B": ["拍卖", "收藏", "鉴定", "藏家", "美术", "艺术", "文物商店", "字帖", "名画", "古籍"],
        "C": ["玉石", "宝石", "装裱", "画"],
    },
}

#: Phrases that contain a keyword but are not culture: matched first, they consume the text.
BLOCKERS = [
    "软件设计", "软件开发", "集成电路设计", "电路设计", "芯片设计", "工程设计", "机械设计", "结构设计", "管道设计",
    "电气设计", "给排水设计", "消防设计", "股票发行", "债券发行", "发行股票", "发行债券", "公开发行", "发行价",
    "首发", "非公开发行", "基金发行", "司法拍卖", "房产拍卖", "车辆拍卖", "土地拍卖", "法拍", "游戏规则",
    "博弈", "电视机", "影视墙", "数字电视机", "会议室", "股东大会", "董事会", "旅游鞋", "出版社区", "汽车展示",
    "展示柜", "品牌汽车", "印刷电路", "印刷线路", "电子产品展示", "体育场馆", "美术涂料",
]

#: TNEWS class → (sector, share) for the model signal
_MODEL_SECTORS = {
    "news_travel": [("cultural_tourism", 1.0)],
    "news_game": [("animation_games", 1.0)],
    "news_entertainment": [("broadcasting_film_tv", 0.5), ("performing_arts", 0.5)],
}
_MODEL_CULTURE = ("news_culture", "news_entertainment", "news_travel", "news_game")
_MODEL_CAP = 0.9

_lock = threading.Lock()
_matcher: tuple[re.Pattern[str], dict[str, list[tuple[str, float]]]] | None = None


def _build():
    global _matcher
    with _lock:
        if _matcher is None:
            table: dict[str, list[tuple[str, float]]] = {}
            for sector, grades in KEYWORDS.items():
                for grade, terms in grades.items():
                    for term in terms:
                        entry = table.setdefault(prepare(term), [])
                        if all(s != sector for s, _ in entry):
                            entry.append((sector, _W[grade]))
            for b in BLOCKERS:
                table.setdefault(prepare(b), [])
            alts = sorted(table, key=lambda t: (-len(t), t))
            _matcher = (re.compile("|".join(map(re.escape, alts))), table)
        return _matcher


def _keyword_scores(text: str) -> tuple[dict[str, float], list[str]]:
    pattern, table = _build()
    sums: dict[str, float] = {}
    evidence: list[str] = []
    for m in pattern.finditer(text):
        term = m.group(0)
        hits = table[term]
        if not hits:
            continue
        if term not in evidence:
            evidence.append(term)
            for sector, w in hits:
                sums[sector] = sums.get(sector, 0.0) + w
    return {s: 1.0 - math.exp(-v) for s, v in sums.items()}, evidence


def culture_relevance(texts: Sequence[str], *, use_model: bool = True) -> list[dict[str, Any]]:
    """Per text: ``{"relevant": bool, "score": float, "sectors": [(code, score), ...], "evidence": [terms]}``.

    ``sectors`` lists the :data:`SECTORS` codes scoring at least 0.3, best first; ``evidence``
    the matched keywords in order of appearance (repeats once). ``use_model=False`` skips the
    TNEWS topic model (keywords only, e.g. for business-scope text, where the news model adds
    little). Empty texts get ``relevant=False, score=0.0``.
    """
    texts = list(texts)
    prepared = prepare_batch(texts)
    proba: list[dict[str, float]] | None = None
    if use_model and any(prepared):
        from wenzhi.nlp.features import get_model  # noqa: PLC0415
        from wenzhi.nlp.topic import SCHEMES  # noqa: PLC0415

        clf = get_model("topic-tnews15-fast")
        idx = [i for i, p in enumerate(prepared) if p]
        pr = clf.predict_proba_prepared([prepared[i] for i in idx])
        order = [clf.classes.index(c) for c in SCHEMES["tnews15"]]
        proba = [{}] * len(texts)
        for i, row in zip(idx, pr[:, order].tolist(), strict=True):
            proba[i] = dict(zip(SCHEMES["tnews15"], row, strict=True))
    out = []
    for i, text in enumerate(prepared):
        if not text:
            out.append({"relevant": False, "score": 0.0, "sectors": [], "evidence": []})
            continue
        sectors, evidence = _keyword_scores(text)
        model_score = 0.0
        if proba is not None:
            p = proba[i]
            model_score = _MODEL_CAP * sum(p[c] for c in _MODEL_CULTURE)
            for cls, shares in _MODEL_SECTORS.items():
                for sector, share in shares:
                    sectors[sector] = max(sectors.get(sector, 0.0), _MODEL_CAP * share * p[cls])
        ranked = sorted(((s, round(v, 4)) for s, v in sectors.items() if v >= SECTOR_MIN_SCORE),
                        key=lambda x: (-x[1], x[0]))
        # noisy-OR of the strongest sector's evidence and the model's culture probability
        score = 1.0 - (1.0 - max(sectors.values(), default=0.0)) * (1.0 - model_score)
        out.append({"relevant": score >= RELEVANCE_THRESHOLD, "score": round(float(score), 4),
                    "sectors": ranked, "evidence": evidence})
    return out

"""A small statistics world held in memory (four districts, 2016Q1–2018Q3) for the bulletin's pure tests."""

from decimal import Decimal as D

from wenzhi.statistics.bulletin.source import IndicatorInfo, MemorySource

DISTRICTS = {1: "和平区", 2: "河西区", 3: "南开区", 4: "滨海新区"}
QUARTERS = [f"{y}Q{q}" for y in (2016, 2017, 2018) for q in (1, 2, 3, 4)][:-1]


def world(*, decline: bool = False) -> MemorySource:
    """Value added grows ~10 % a year in every district but 南开区 (falls 20 % in 2018); ``decline`` makes the
    city's 2018 figures fall instead."""
    indicators = {
        "value_added": IndicatorInfo("value_added", "增加值", "亿元", "sum", 2),
        "gdp": IndicatorInfo("gdp", "地区生产总值", "亿元", "sum", 2),
        "screens": IndicatorInfo("screens", "影院银幕数", "块", "last", 0),
        "box_office": IndicatorInfo("box_office", "电影票房收入", "亿元", "sum", 2),
    }
    src = MemorySource(indicators=indicators, district_names=dict(DISTRICTS))
    for i, period in enumerate(QUARTERS):
        year = int(period[:4])
        for d in DISTRICTS:
            base = D(20 * d) + D(i)
            factor = D("1.1") ** (year - 2016)
            if year == 2018 and (decline or d == 3):
                factor = D("0.8")
            src.data[("value_added", period)] = src.data.get(("value_added", period), {})
            src.data[("value_added", period)][d] = (base * factor).quantize(D("0.01"))
            src.data.setdefault(("gdp", period), {})[d] = D(2000 * d)
            src.data.setdefault(("screens", period), {})[d] = D(40 + d + i)
            src.data.setdefault(("box_office", period), {})[d] = D("0.5") * d + D(i) / 10
    src.sectors = {2017: {"内容创作生产": D(500000), "文化传播渠道": D(300000), "创意设计服务": D(200000)},
                   2018: {"内容创作生产": D(560000), "文化传播渠道": D(280000), "创意设计服务": D(260000)}}
    src.late = {"2018Q3": ["南开区"]}
    return src

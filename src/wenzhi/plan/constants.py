"""The action plan's own figures (《天津市智能文化创意产业发展行动计划（2018—2020年）》), loaded by ``reference.py``.

Targets from 二(三) and 三(八), the 2016 baseline from 一(一), the ten key tasks of 三(一)…(十). The plan names
no lead unit per task; the lead units below are the bureaus its text assigns the work to (editable by the city).
"""

from decimal import Decimal as D

# code, name, clause, kind, measure, indicator, unit, horizon, low, high, baseline year, baseline value, order
TARGETS = [
    ("intelligent_parks", "智能文化创意产业园区和综合信息服务平台", "二(三)", "count", "intelligent_parks", "", "个",
     2020, D(2), D(3), None, None, 10),
    ("leading_enterprises", "智能文化创意产业领军企业", "二(三)", "count", "leading_enterprises", "", "家",
     2020, D(3), D(5), None, None, 20),
    ("intelligent_brands", "智能文化产品品牌", "二(三)", "count", "manual", "", "个", 2020, D(2), D(3), None, None, 30),
    ("high_end_talents", "智能文化创意产业高端人才（培育引进）", "二(三)、四(四)", "count", "high_end_talents", "", "名",
     2020, D(100), None, None, None, 40),
    ("screens", "全市影院银幕数", "三(八)", "count", "stat_latest", "screens", "块", 2020, D(500), None,
     None, None, 50),
    ("box_office_growth", "电影票房年均增长", "三(八)", "growth", "stat_growth", "box_office", "%", 2020, D(15), None,
     None, None, 60),
    ("platform_screens", "全市影院银幕数（文化消费平台实时）", "三(八)", "count", "stat_latest", "cinema_screens", "块", 2020,
     D(500), None, None, None, 62),
    ("platform_box_office_growth", "电影票房年增长（文化消费平台实时）", "三(八)", "growth", "stat_growth",
     "cinema_box_office", "%", 2020, D(15), None, None, None, 64),
    ("industry_system_2025", "建立相对健全的智能文化创意产业体系", "二(三)", "qualitative", "manual", "", "", 2025,
     None, None, None, None, 70),
    ("brand_2025", "打造具有天津特色的智能文化创意品牌", "二(三)", "qualitative", "manual", "", "", 2025, None, None,
     None, None, 80),
    ("value_added", "文化产业增加值", "一(一)", "monitored", "stat_year", "value_added", "亿元", 2020, None, None,
     2016, D(800), 100),
    ("units", "全市文化单位", "一(一)", "monitored", "stat_latest", "units", "家", 2020, None, None, 2016, D(22640), 110),
    ("above_scale_units", "规模以上文化企业", "一(一)", "monitored", "stat_latest", "above_scale_units", "家", 2020,
     None, None, 2016, D(1086), 120),
    ("parks", "文化产业园区", "一(一)", "monitored", "parks", "", "个", 2020, None, None, 2016, D(35), 130),
    ("special_funds", "市级文化产业发展专项资金累计发放", "一(一)、四(三)", "monitored", "special_funds", "", "亿元", 2020,
     None, None, 2016, D("4.4"), 140),
    ("funded_projects", "专项资金扶持项目累计", "一(一)", "monitored", "funded_projects", "", "个", 2020, None, None,
     2016, D(218), 150),
    ("social_capital", "专项资金撬动社会资金累计", "一(一)", "monitored", "social_capital", "", "亿元", 2020, None, None,
     2016, D(130), 160),
]

# number, clause, title, lead units, milestones (title, due)
TASKS = [
    (1, "三(一)", "加强智能科技应用", "市委宣传部、市文化和旅游局、天津自贸试验区管委会",
     [("传统文化产业智能化应用试点名单确定", "2018-12-31"), ("自贸试验区外向型智能文化创意产业聚集区挂牌", "2019-12-31")]),
    (2, "三(二)", "培育壮大智能文化创意产业市场主体", "市委宣传部、市国资委、各区人民政府",
     [("领军企业和骨干企业培育名单发布", "2018-12-31"), ("推动重点文化企业上市或新三板挂牌", "2020-12-31")]),
    (3, "三(三)", "实施智能文化创意产业项目带动战略", "市委宣传部、市发展改革委、各区人民政府",
     [("建立重点文化产业项目库和智能文化创意项目库", "2018-12-31"), ("发布文化出口重点企业和项目目录", "2019-06-30"),
      ("每年推出一批市级重点文化项目", "2020-12-31")]),
    (4, "三(四)", "推进智能文化创意产业园区和平台建设", "市委宣传部、市文化和旅游局、市商务局",
     [("选定 2 至 3 家园区实施智能技术改造", "2019-06-30"), ("综合性智能文化金融服务平台上线", "2020-06-30")]),
    (5, "三(五)", "加快媒体融合发展", "市委宣传部、北方网新媒体集团",
     [("“津云”中央厨房智能化升级", "2019-12-31"), ("智能微传播平台矩阵建成", "2020-12-31")]),
    (6, "三(六)", "实施“互联网+”工程", "市委网信办、市文化和旅游局、天津广电网络公司",
     [("网络舆情监控和管理平台功能提升", "2019-12-31"), ("“一张网、一个数据平台、一个指挥平台”格局形成", "2020-12-31")]),
    (7, "三(七)", "实施“文化+”工程", "市文化和旅游局、市工业和信息化局、市体育局",
     [("智慧乡村旅游信息数据库建成", "2019-12-31"), ("12 个文化旅游主题板块提升", "2020-12-31")]),
    (8, "三(八)", "增加智能文化创意产品和服务供给", "市委宣传部、市电影局、市文化和旅游局",
     [("城市影院“一卡通”和在线选座完善", "2019-12-31"), ("全市影院银幕数达到 500 块", "2020-12-31")]),
    (9, "三(九)", "引导和扩大文化消费", "市文化和旅游局、市商务局、滨海新区、武清区",
     [("文化惠民卡项目实施", "2018-12-31"), ("文化信息消费服务平台上线", "2019-12-31")]),
    (10, "三(十)", "推动京津冀智能文化创意产业协同发展", "市委宣传部、市发展改革委、市合作交流办",
     [("成立京津冀文化产业协同发展中心", "2019-06-30"), ("组织京津冀文化项目推介会", "2020-12-31")]),
]

BASELINE_SOURCE = "《天津市智能文化创意产业发展行动计划（2018—2020年）》一(一) 发展现状（2016 年）"

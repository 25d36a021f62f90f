"""Varied text for the demo applications and projects: each summary is put together from its enterprise's name and
sector, a place in Tianjin, one or two of its theme's clauses and three ways of working in random order, figures
and two of several outcomes, so two demo applications of the same theme stay well below the near-duplicate threshold (Jaccard 0.5 on
character bigrams) and the checker flags only the deliberate re-applications (:func:`reworded`).
"""

from __future__ import annotations

import random

PLACES = ["海河", "津门", "五大道", "意式风情区", "古文化街", "杨柳青", "蓟州", "滨海", "中新生态城", "北塘", "西青", "南开",
          "静海", "宝坻", "武清", "东丽", "北辰", "津南", "宁河", "小站", "大沽口", "西沽"]

# (title stem, clauses): a clause may name {place}, {area} (m²), {n} (a count) and {year}.
THEMES: list[tuple[str, tuple[str, ...]]] = [
    ("数字文博沉浸式体验", (
        "运用虚拟现实和增强现实技术建设{area}平方米沉浸式数字文博展厅",
        "以人工智能讲解员串联{n}件馆藏文物的数字化展陈",
        "对{place}近代建筑开展三维扫描并建立数字档案",
        "开发面向中小学生的文博研学课程和线上云展览",
        "建设文物数字资源库并向社会开放授权使用")),
    ("动漫原创内容制作", (
        "每年制作原创动画剧集{n}分钟并在网络平台播出",
        "建设支持多项目并行的云渲染制作平台",
        "以{place}城市故事为素材开发系列动漫形象",
        "开发动漫衍生品和授权商品，布局线上线下渠道",
        "设立青年动画人才孵化营，每期培养{n}名学员")),
    ("文化大数据服务平台", (
        "汇聚景区、剧场和书店的文化消费数据，日处理数据{n}万条",
        "面向文化企业提供客群画像、数据分析与精准营销服务",
        "与{place}商圈合作开展文化消费券效果评估",
        "建设文化产业运行监测指标体系和可视化大屏",
        "采用隐私计算技术保障个人信息安全")),
    ("非遗活化传承", (
        "建设{area}平方米非遗传承工坊，邀请{n}位传承人驻场",
        "面向游客开设泥塑、剪纸、风筝等非遗体验课程",
        "在{place}设立非遗展示与研学基地",
        "开发非遗主题文创产品并拓展电商销售",
        "以短视频和直播记录传统技艺的完整工序")),
    ("影视拍摄基地", (
        "建设{n}个标准摄影棚及配套置景车间",
        "建设后期制作中心，提供调色、剪辑与声音混录服务",
        "在{place}打造年代街景外景地",
        "服务网络剧、微短剧等网络视听内容生产",
        "引入虚拟制片系统，以LED背景墙替代部分实景拍摄")),
    ("文创街区改造", (
        "将{place}{area}平方米老旧厂房改造为文化创意街区",
        "引入设计工作室、独立书店和小剧场共{n}家",
        "保留工业遗存风貌，植入夜间文化消费场景",
        "建设街区公共艺术装置和智慧导览系统",
        "为入驻小微文化企业提供三年租金阶梯优惠")),
    ("演艺新空间", (
        "打造可容纳{n}名观众的驻场演出与沉浸式戏剧空间",
        "配套智慧票务系统和观众会员体系",
        "联合曲艺院团推出{place}主题相声剧场",
        "开发小剧场原创剧目并开展全国巡演",
        "在周末开设亲子剧场和戏剧教育工作坊")),
    ("数字出版平台", (
        "建设数字出版与有声阅读平台，上线图书{n}种",
        "开发人工智能辅助编校系统，提升编辑效率",
        "对{place}地方文献开展数字化整理出版",
        "为少儿读物开发互动点读和绘本动画",
        "建立版权登记与数字发行结算系统")),
    ("文旅融合示范", (
        "串联{place}景区与乡村旅游线路，设计{n}条主题游线",
        "建设游客服务中心和民宿集群",
        "开发地方美食与手工艺结合的文旅伴手礼",
        "打造夜游项目和季节性文化节庆活动",
        "建设智慧景区系统，实现预约、分流与客流监测")),
    ("电竞产业园", (
        "建设可举办职业联赛的电子竞技场馆，座位{n}个",
        "建设赛事直播中心和内容制作基地",
        "设立游戏研发孵化空间，入驻团队{n}支",
        "在{place}举办高校电竞联赛和产业论坛",
        "配套电竞人才培训与认证体系")),
    ("工业设计中心", (
        "面向制造业提供工业设计与品牌策划服务",
        "建设{area}平方米数字孪生设计实验室",
        "联合{place}装备制造企业开展产品外观与结构设计",
        "建设快速成型与3D打印打样车间",
        "每年承接设计项目{n}项，培养设计师队伍")),
    ("艺术品交易中心", (
        "建设艺术品展示交易厅和鉴定评估服务平台",
        "运用区块链进行艺术品确权与流转溯源",
        "在{place}举办年度艺术博览会，参展机构{n}家",
        "为青年艺术家提供首发展览和代理服务",
        "建设艺术品仓储、物流与保险一体化服务")),
]

OPENINGS = (
    "{ent}拟在{place}实施本项目。", "本项目由{ent}投资建设，选址{place}。", "{ent}立足{place}，申报本项目。",
    "项目单位{ent}在{place}已有运营基础。", "{ent}联合合作伙伴在{place}推进本项目。",
)
SECTOR_LINES = (
    "依托企业在{sector}领域多年的积累，", "发挥公司{sector}业务的渠道优势，", "延伸企业{sector}产业链条，",
    "结合企业{sector}方向的技术团队，", "",
)
OUTCOMES = (
    "项目建成后预计年接待{n}万人次。", "项目达产后预计年营业收入{money}万元。", "预计带动就业{jobs}人。",
    "预计{year}年底前完成主体建设。", "项目将形成可复制推广的“{brand}”运营模式。", "建成后预计年纳税{tax}万元。",
    "预计{year}年实现盈亏平衡。", "预计服务中小文化企业{n}家。", "预计年举办展演活动{n}场次。",
)
# How the work is organised: one or two of these follow the theme's clause (any theme).
APPROACHES = (
    "采用“企业+院校”合作模式培养专业人才", "分{phase}期滚动建设，首期投资{money}万元", "引入社会资本设立项目运营公司",
    "与{place}街道共建社区文化服务点", "申请文化和科技融合示范认定", "同步建设线上商城和会员小程序",
    "利用闲置仓储用房降低建设成本", "聘请高校专家组成项目顾问团", "面向京津冀市场开展联合推广",
    "按绿色建筑二星级标准设计施工", "设立{n}万元原创内容扶持计划", "与出境旅游企业合作开拓海外客源",
    "建立版权保护和侵权监测机制", "引进{n}名高层次创意设计人才", "开放部分场地用于公益文化活动",
    "与银行合作开展知识产权质押融资", "采用模块化装配式建设，缩短工期", "与{place}文旅集团签订运营协议",
    "组建{n}人的专职运营团队", "接入天津市文化惠民卡消费场景", "争取纳入区级重点项目储备库", "引入专业物业和安保服务",
    "与{n}家上下游企业签订合作意向", "建设项目专属数据中心和网络安全防护", "首年举办各类活动{n}场",
)
# Brand names (two syllables) that projects carry in their title and text.
SYLLABLES = "云锦津沽海韵星河墨香鼓楼桥畔芦花运河晴川听涛望海清风明月青瓷银杏紫竹金秋新桃"
REWORDINGS = (("建设", "打造"), ("开发", "研发"), ("平台", "系统平台"), ("预计", "预期"), ("本项目", "该项目"))


def _fill(rng: random.Random, template: str, **known: str) -> str:
    known.setdefault("brand", "")
    return template.format(area=rng.randrange(800, 30000, 100), n=rng.randint(3, 300), year=rng.randint(2019, 2022),
                           phase=rng.choice("二三四"),
                           money=rng.randint(300, 20000), jobs=rng.randint(20, 600), tax=rng.randint(50, 3000),
                           **known)


def summary(rng: random.Random, *, enterprise: str, sector: str, place: str, clauses: tuple[str, ...],
            brand: str = "") -> str:
    """A demo project description (about 130–200 characters) from its parts."""
    chosen = [*rng.sample(clauses, rng.choice((1, 2))), *rng.sample(APPROACHES, 3)]
    rng.shuffle(chosen)
    body = "；".join(_fill(rng, c, place=place) for c in chosen)
    lead = rng.choice(SECTOR_LINES).format(sector=sector) if sector else ""
    return (_fill(rng, rng.choice(OPENINGS), ent=enterprise, place=place) + lead + body + "。"
            + "".join(_fill(rng, o, brand=brand) for o in rng.sample(OUTCOMES, 2)))


def title_and_summary(rng: random.Random, *, enterprise: str, sector: str, suffix: str = "项目") -> tuple[str, str]:
    """A title (place, theme, suffix) and a summary for one demo application or project."""
    theme, clauses = rng.choice(THEMES)
    place = rng.choice(PLACES)
    brand = "".join(rng.sample(SYLLABLES, 2))
    return f"{place}“{brand}”{theme}{suffix}", summary(rng, enterprise=enterprise, sector=sector, place=place,
                                                       clauses=clauses, brand=brand)


def reworded(rng: random.Random, title: str, text: str) -> tuple[str, str]:
    """A deliberate re-application of an earlier project: a new name, a few words swapped, the figures kept."""
    for old, new in rng.sample(REWORDINGS, 2):
        text = text.replace(old, new, 1)
    theme = title.rsplit("”", 1)[-1].removesuffix("项目")
    return f"{rng.choice(PLACES)}{theme}提升工程", text

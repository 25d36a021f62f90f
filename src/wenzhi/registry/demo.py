"""A realistic, clearly labelled demo registry at Tianjin's scale (``wenzhi demo``).

At ``scale=1.0``: about 25,000 enterprises with valid credit codes (Tianjin area codes 12xxxx) and their
organisations, ≈1,086 above designated size, 5 state-owned culture groups, 35 parks (8 national,
19 municipal, 8 district) and 47 demonstration bases, ≈100 high-end talents, training programmes for the
four teams and the yearly directories. Every row has ``is_demo=True`` and the pages show a 演示 tag.

Rows are written with ``bulk_create`` in batches (history rows through simple_history's
``bulk_create_with_history``), and classification is cached per (industry code, business scope, trade word),
so the full scale takes well under a minute on two cores.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from .choices import (
    DirectoryKind,
    Gender,
    Ownership,
    ParkKind,
    ParkLevel,
    ParkStatus,
    TalentCategory,
    TalentProgramme,
    TrainingTeam,
)
from .classification import Classification, classify
from .constants import PARK_CRITERIA, USCC_ALPHABET
from .models import (
    Directory,
    DirectoryEntry,
    Enterprise,
    EnterpriseYearFigure,
    Park,
    ParkEvaluation,
    ParkTransition,
    Talent,
    TrainingParticipant,
    TrainingProgramme,
)
from .services import evaluation_outcome
from .validators import normalise_name, uscc_check_char

REASON = "演示数据"
BATCH = 2000
YEARS = (2016, 2017, 2018)

# District weights: 滨海新区 and the central districts hold most cultural enterprises.
DISTRICT_WEIGHTS = {
    "和平区": 9, "河东区": 5, "河西区": 9, "南开区": 9, "河北区": 5, "红桥区": 3, "东丽区": 5, "西青区": 6,
    "津南区": 4, "北辰区": 4, "武清区": 6, "宝坻区": 3, "滨海新区": 22, "宁河区": 2, "静海区": 3, "蓟州区": 5,
}
# 字号 characters chosen so that no pair forms a classification keyword.
TRADE_CHARS = "华津海河星辰鼎盛博雅和睿恒泰嘉禾锦程远航聚德汇东方弘毅宏图卓越精诚瑞祥天成乐享明达丰源志诚信合泽润" \
              "澜清逸尚品悦云水青松翰墨书香正阳旭日宜家安康福顺广益金石玉成长虹立新开元永昌鸿运德昌"
# (trade word in the name, GB/T 4754 code or "" for none, business-scope phrases, weight)
PROFILES = [
    ("文化传媒", "7259", ["广告设计、制作、代理、发布", "文化艺术交流活动策划", "会议及展览服务", "企业形象策划"], 14),
    ("创意设计", "7492", ["平面设计", "工业设计服务", "包装设计", "品牌设计", "文化创意服务"], 10),
    ("影视文化", "8730", ["广播电视节目制作经营", "电影摄制", "影视策划", "影视器材租赁"], 6),
    ("动漫科技", "6572", ["动漫设计", "动画制作", "数字内容服务", "网络游戏开发"], 5),
    ("网络科技", "6513", ["游戏软件开发", "数字出版软件开发", "计算机软件开发", "技术服务"], 5),
    ("信息技术", "6513", ["计算机软件开发", "信息技术咨询服务", "技术推广服务"], 3),
    ("演艺", "8810", ["文艺创作与表演", "演出经纪", "舞台艺术创作", "剧场经营"], 5),
    ("文化艺术", "8890", ["文化艺术交流活动策划", "美术创作", "书法培训", "艺术品销售"], 7),
    ("出版", "8621", ["图书出版", "电子出版物出版", "数字出版", "出版物批发"], 2),
    ("书店", "5243", ["图书、报刊零售", "文具用品零售", "文化用品销售"], 3),
    ("印务", "2319", ["包装装潢印刷品印刷", "其他印刷品印刷", "出版物印刷"], 5),
    ("会展服务", "7284", ["会议及展览服务", "展台设计搭建", "文化活动组织策划"], 5),
    ("工艺品", "2439", ["工艺美术品制造", "泥塑、剪纸、风筝等民间工艺品制作", "工艺品销售"], 4),
    ("艺术品", "5146", ["艺术品、收藏品批发", "字画装裱", "艺术品代理"], 3),
    ("拍卖", "5183", ["艺术品、收藏品拍卖", "文物拍卖"], 1),
    ("文化旅游", "7869", ["景区管理服务", "旅游项目开发", "休闲观光服务", "研学旅行服务"], 4),
    ("娱乐", "9019", ["室内娱乐活动", "剧本娱乐服务", "电子游艺"], 3),
    ("乐器", "2422", ["西乐器制造", "乐器零售", "乐器维修"], 1),
    ("文化科技", "", ["虚拟现实技术开发", "数字文化创意内容制作", "人工智能应用软件开发", "大数据服务"], 3),
    ("文化发展", "", ["文化艺术交流活动策划", "会议服务", "礼仪庆典服务", "企业管理咨询"], 4),
    ("数字科技", "6579", ["数字内容服务", "增强现实技术开发", "云平台服务", "元宇宙数字人制作"], 2),
    ("广播电视", "8720", ["广播电视节目制作", "电视节目播出"], 1),
]
INTELLIGENT_EXTRAS = ["人工智能技术研发", "大数据分析服务", "虚拟现实（VR）内容制作", "云计算服务", "物联网技术开发",
                      "区块链技术服务", "数字人及虚拟偶像制作", "5G超高清视频制作"]
SUFFIXES = ["有限公司"] * 8 + ["有限责任公司", "股份有限公司"]
LEGAL_FORMS = ["有限责任公司（自然人投资或控股）"] * 6 + ["有限责任公司（法人独资）", "股份有限公司", "个人独资企业",
                                                      "有限合伙企业"]
STATE_GROUPS = ["天津演示出版传媒集团有限公司", "天津演示广播影视集团有限公司", "天津演示文化旅游集团有限公司",
                "天津演示演艺集团有限公司", "天津演示文化产业投资集团有限公司"]
STREETS = ["南京路", "解放北路", "友谊路", "卫津路", "黄河道", "中山路", "新开路", "津塘路", "大沽南路", "迎宾大道",
           "洞庭路", "第三大街", "海河东路", "宾水道", "红旗路", "京津路"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀英华慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛" \
        "艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿"
FIELDS = ["影视制作", "出版发行", "戏剧表演", "曲艺", "动漫创作", "游戏设计", "工业设计", "文化遗产保护", "数字媒体", "会展策划",
          "艺术品鉴定", "音乐创作", "广告创意", "文化产业管理", "新闻采编"]


def _converters(model: type[models.Model]) -> list[tuple[str, Callable[[Any], Any]]]:
    """(column, value function) for every concrete column of ``model`` except an auto primary key."""
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        assert f.column is not None  # a concrete field always has its column
        out.append((f.column, _converter(f)))
    return out


def _converter(f: models.Field) -> Callable[[Any], Any]:
    """The value ``executemany`` should send for field ``f`` of a row."""
    attname = f.attname
    if isinstance(f, models.JSONField):
        return lambda obj: json.dumps(getattr(obj, attname), ensure_ascii=False)
    if isinstance(f, models.DateTimeField):
        return _same_value_cached(f)
    if isinstance(f, models.DecimalField):
        return lambda obj: f.get_db_prep_save(getattr(obj, attname), connection)
    return lambda obj: getattr(obj, attname)


def _same_value_cached(field):
    """Demo rows share one timestamp: prepare it for the database once, not 25,000 times."""
    last: list = [object(), None]

    def convert(obj):
        value = getattr(obj, field.attname)
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert


def fast_insert(model, objs: list, *, key: str | None = None, key_filter: dict | None = None) -> None:
    """Insert ``objs`` with one ``executemany`` per batch, skipping the ORM's per-value SQL compilation.

    The ORM's ``bulk_create`` spends most of its time compiling 25,000 × 40 placeholders; demo rows are
    plain values, so this writes them directly. With ``key`` (a unique column), the new primary keys are
    read back and set on the objects.
    """
    columns = _converters(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c, _f in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            batch = objs[start:start + BATCH]
            cursor.executemany(sql, [[f(obj) for _c, f in columns] for obj in batch])
    if key:
        for start in range(0, len(objs), 900):
            batch = objs[start:start + 900]
            ids = dict(model._default_manager.filter(**(key_filter or {}), **{f"{key}__in": [getattr(o, key)
                                                                                             for o in batch]})
                       .values_list(key, "pk"))
            for obj in batch:
                obj.pk = ids[getattr(obj, key)]


def fast_history(model, objs: list) -> None:
    """The “created” history row of each object, as ``bulk_create_with_history`` would write it."""
    history_model = model.history.model
    now = timezone.now()
    tracked = {f.attname for f in model._meta.concrete_fields}
    copied = [f.attname for f in history_model._meta.concrete_fields
              if f.attname in tracked and f.attname != "history_id"]
    rows = []
    for obj in objs:
        h = SimpleNamespace(history_date=now, history_type="+", history_change_reason=REASON, history_user_id=None)
        for attname in copied:
            setattr(h, attname, getattr(obj, attname))
        rows.append(h)
    fast_insert(history_model, rows)


def _org_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body8, weights, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def credit_code(district_code: str, seq: int) -> str:
    """A valid code for a company registered in ``district_code``: 91 + area + MA + 6-char serial + checks."""
    digits = []
    n = seq
    for _ in range(6):
        n, r = divmod(n, 31)
        digits.append(USCC_ALPHABET[r])
    body = "MA" + "".join(reversed(digits))
    first17 = f"91{district_code}{body}{_org_check(body)}"
    return first17 + uscc_check_char(first17)


def _scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


def _pick_weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Generate the demo registry; does nothing if demo enterprises already exist."""
    if Enterprise.all_objects.filter(is_demo=True).exists():
        return {"skipped": "演示登记库已存在", "enterprises": Enterprise.objects.filter(is_demo=True).count()}
    rng = random.Random(20181130)
    with transaction.atomic():
        districts = list(Organisation.objects.filter(level=Level.DISTRICT).order_by("code"))
        parks = _parks(rng, districts, scale)
        enterprises = _enterprises(rng, districts, parks, scale, stdout)
        _parks_life_cycle(rng, parks)
        talents = _talents(rng, enterprises, scale)
        trainings = _trainings(rng, enterprises, districts)
        directories = _directories(rng, enterprises, parks)
        with connection.cursor() as cursor:
            # Fresh statistics after a bulk load, so the planner picks the list indexes (SQLite and PostgreSQL
            # both allow ANALYZE inside a transaction).
            for model in (Organisation, Enterprise, EnterpriseYearFigure, Park):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return {
        "enterprises": len(enterprises),
        "above_scale": sum(e.above_scale for e in enterprises),
        "parks": sum(p.kind != ParkKind.DEMONSTRATION_BASE for p in parks),
        "bases": sum(p.kind == ParkKind.DEMONSTRATION_BASE for p in parks),
        "talents": talents, "trainings": trainings, "directories": directories,
    }


def _parks(rng, districts, scale) -> list[Park]:
    by_name = {d.name: d for d in districts}
    full = scale >= 0.5
    plan = [(ParkLevel.NATIONAL, ParkKind.DEMONSTRATION_PARK, 8 if full else 1),
            (ParkLevel.MUNICIPAL, ParkKind.INDUSTRIAL_PARK, 19 if full else 2),
            (ParkLevel.DISTRICT, ParkKind.INDUSTRIAL_PARK, 2 if full else 1),
            (ParkLevel.MUNICIPAL, ParkKind.DEMONSTRATION_BASE, 47 if full else 2),
            (ParkLevel.DISTRICT, ParkKind.MAKER_BASE, 6 if full else 1)]
    themes = ["创意产业园", "文化产业园", "数字文化产业园", "动漫产业园", "影视产业园", "设计产业园", "出版产业园",
              "文化科技园", "非遗文化产业园", "音乐产业园"]
    base_themes = ["文化产业示范基地", "文化科技示范基地", "非遗传承示范基地", "文化旅游示范基地"]
    rows: list[tuple[Organisation, Park]] = []
    weights = [DISTRICT_WEIGHTS.get(d.name, 3) for d in districts]
    used = set()
    for level, kind, count in plan:
        for i in range(count):
            # The first park is in 和平区: the demo park-operator account is attached to it.
            district = by_name["和平区"] if not rows else _pick_weighted(rng, districts, weights)
            short = district.name.removesuffix("新区").removesuffix("区")
            if kind == ParkKind.DEMONSTRATION_BASE:
                name = f"{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}{rng.choice(base_themes)}"
            elif kind == ParkKind.MAKER_BASE:
                name = f"{short}文化创意众创空间{i + 1}号"
            else:
                name = f"天津{short}{rng.choice(TRADE_CHARS)}{rng.choice(themes)}"
            while name in used:
                name = name + "二期"
            used.add(name)
            designated = dt.date(rng.choice([2012, 2014, 2015, 2016, 2017, 2018]), rng.choice([3, 6, 9, 12]), 1)
            rows.append((district, Park(
                name=f"{name}（演示）", level=level, kind=kind, district=district,
                operator=f"天津{name.removeprefix('天津')[:4]}运营管理有限公司（演示）",
                address=f"天津市{district.name}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                area_sqm=rng.randint(8, 400) * 1000, status=ParkStatus.DESIGNATED, designated_on=designated,
                status_changed_on=designated, is_demo=True,
                description=f"{level.label}{kind.label}，演示数据。")))
    orgs = Organisation.objects.bulk_create(
        [Organisation(level=Level.PARK, name=p.name, parent=d, district=d, code=f"DEMO-PARK-{i + 1:04d}")
         for i, (d, p) in enumerate(rows)], batch_size=BATCH)
    parks = []
    for org, (_, park) in zip(orgs, rows, strict=True):
        park.organisation = org
        parks.append(park)
    return bulk_create_with_history(parks, Park, batch_size=BATCH, default_change_reason=REASON)


def _enterprise_name(rng, i: int, word: str, scale: float, names_seen: set[str]) -> str | None:
    """A state group's name for the first few rows, else a fresh trade name (None: keep the profile's word)."""
    if i < len(STATE_GROUPS) and i < max(1, round(5 * scale)):
        return None
    while True:
        name = f"天津{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}{word}{rng.choice(SUFFIXES)}"
        if name not in names_seen:
            return name
        name = f"天津{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}{word}" \
               f"{rng.choice(SUFFIXES)}"
        if name not in names_seen:
            return name


def _enterprise_row(rng, i: int, district, parks_by_district: dict[int, list[Park]], names_seen: set[str],
                    cache: dict[tuple, Classification], profile_weights: list, scale: float) -> Enterprise:
    """One demo enterprise (unsaved) in ``district``, classified by the real rules."""
    word, code, phrases, _w = _pick_weighted(rng, PROFILES, profile_weights)
    name = _enterprise_name(rng, i, word, scale, names_seen)
    if name is None:
        name = STATE_GROUPS[i]
        word, code, phrases = "文化传媒", "8621" if i == 0 else "8720" if i == 1 else "7869" if i == 2 else \
            "8810" if i == 3 else "7212", PROFILES[0][2]
    names_seen.add(name)
    scope = list(rng.sample(phrases, k=min(len(phrases), rng.randint(2, 4))))
    if rng.random() < 0.12:
        scope.append(rng.choice(INTELLIGENT_EXTRAS))
    scope_text = "；".join(scope) + "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    if code and rng.random() < 0.04:
        code = ""  # some registrations lack the industry code: the scope rules classify them
    key = (code, scope_text, word)
    result = cache.get(key)
    if result is None:
        result = cache[key] = classify(name=f"天津{word}有限公司", industry_code=code,
                                       business_scope=scope_text)
    district_parks = parks_by_district.get(district.id) or []
    park = rng.choice(district_parks) if district_parks and rng.random() < 0.22 else None
    founded = dt.date(rng.randint(1985, 2018), rng.randint(1, 12), rng.randint(1, 28))
    state = i < len(STATE_GROUPS) and name in STATE_GROUPS
    return Enterprise(
        name=name, name_key=normalise_name(name), credit_code=credit_code(district.code, 100_000 + i * 7),
        district=district, park=park.organisation if park else None,
        address=f"天津市{district.name}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
        legal_form="有限责任公司（国有独资）" if state else rng.choice(LEGAL_FORMS),
        ownership=Ownership.STATE if state else _pick_weighted(
            rng, [Ownership.PRIVATE, Ownership.STATE, Ownership.FOREIGN, Ownership.MIXED, Ownership.COLLECTIVE],
            [82, 6, 5, 5, 2]),
        founded_on=founded, industry_code=code, business_scope=scope_text,
        culture_category=result.culture_category, culture_subcategory=result.culture_subcategory,
        classification_source=result.source, classification_evidence=result.evidence, sector=result.sector,
        intelligent_score=result.intelligent_score, intelligent_evidence=result.intelligent_evidence,
        intelligent=result.intelligent_score >= 0.5, state_owned_group=state, is_demo=True)


def _mark_scale_and_tags(rng, rows: list[Enterprise], revenue_scale: list[float], n_above: int,
                         scale: float) -> None:
    """Above-scale flags, the latest figures and the rarer tags, from each row's revenue scale."""
    n = len(rows)
    # The largest by revenue are above designated size (2,000 万元 revenue is the usual threshold).
    order = sorted(range(n), key=lambda k: -revenue_scale[k])
    above = set(order[:n_above])
    for k in above:
        revenue_scale[k] = max(revenue_scale[k], 2000 + rng.random() * 3000)
    for k in range(n):
        if k not in above and revenue_scale[k] >= 2000:
            revenue_scale[k] = 1999 * rng.uniform(0.3, 1.0)
    for k, e in enumerate(rows):
        e.above_scale = k in above
        if e.above_scale and rng.random() < 0.05:
            e.neeq = True
        if e.above_scale and rng.random() < 0.02:
            e.listed = True
        if rng.random() < 0.005 + 0.05 * e.above_scale:
            e.srdi = True
        if rng.random() < 0.003 + 0.03 * e.intelligent:
            e.tech_giant = True
        e.latest_year = YEARS[-1]
        e.latest_revenue = Decimal(str(round(revenue_scale[k], 2)))
        e.latest_employees = max(1, int(revenue_scale[k] ** 0.62 + rng.randint(0, 8)))
    for k in order[: _scaled(5, scale)]:
        rows[k].leading = True
    for k in rng.sample(order[: max(1, n_above)], k=min(n_above, _scaled(60, scale))):
        rows[k].export_key = True


def _enterprise_year_figures(rng, created: list[Enterprise], revenue_scale: list[float]) -> None:
    """Yearly revenue, employees and value added for every enterprise, growing towards the latest year."""
    figures = []
    for k, e in enumerate(created):
        growth = 1.0
        years = YEARS if e.above_scale else YEARS[1:]
        for year in reversed(years):
            revenue = Decimal(str(round(revenue_scale[k] / growth, 2)))
            figures.append(EnterpriseYearFigure(
                enterprise=e, year=year, revenue=revenue,
                employees=max(1, int((e.latest_employees or 1) / growth ** 0.5)),
                value_added=(revenue * Decimal("0.32")).quantize(Decimal("0.01"))))
            growth *= 1 + rng.uniform(-0.05, 0.18)
    fast_insert(EnterpriseYearFigure, figures)


def _enterprises(rng, districts, parks, scale, stdout) -> list[Enterprise]:
    n = _scaled(25_000, scale, minimum=20)
    n_above = _scaled(1086, scale)
    weights = [DISTRICT_WEIGHTS.get(d.name, 3) for d in districts]
    parks_by_district: dict[int, list[Park]] = {}
    for p in parks:
        if p.kind != ParkKind.DEMONSTRATION_BASE:
            parks_by_district.setdefault(p.district_id, []).append(p)
    profile_weights = [p[3] for p in PROFILES]
    names_seen: set[str] = set()
    cache: dict[tuple, Classification] = {}
    rows: list[Enterprise] = []
    revenue_scale: list[float] = []
    for i in range(n):
        district = _pick_weighted(rng, districts, weights)
        e = _enterprise_row(rng, i, district, parks_by_district, names_seen, cache, profile_weights, scale)
        rows.append(e)
        state = e.state_owned_group
        revenue_scale.append(rng.uniform(80_000, 400_000) if state else rng.lognormvariate(5.0, 1.6))  # 万元
    _mark_scale_and_tags(rng, rows, revenue_scale, n_above, scale)
    # Organisations first (the accounts of enterprise users hang on them), then the enterprises.
    orgs = [Organisation(level=Level.ENTERPRISE, name=e.name, code=e.credit_code,
                         parent_id=e.park_id or e.district_id, district_id=e.district_id, is_active=True)
            for e in rows]
    fast_insert(Organisation, orgs, key="code", key_filter={"level": Level.ENTERPRISE})
    now = timezone.now()
    for e, org in zip(rows, orgs, strict=True):
        e.organisation_id = org.pk
        e.created_at = e.updated_at = now
    fast_insert(Enterprise, rows, key="credit_code")
    fast_history(Enterprise, rows)
    if stdout is not None:
        stdout.write(f"  企业 {len(rows)} 家（含组织）")
    _enterprise_year_figures(rng, rows, revenue_scale)
    return rows


def _parks_life_cycle(rng, parks) -> None:
    """2018 evaluations for every park, and a few warned, upgraded or rectifying ones with their records."""
    evaluations, transitions = [], []
    for park in parks:
        scores = {key: round(maximum * rng.uniform(0.55, 0.98), 1) for key, (_l, maximum) in PARK_CRITERIA.items()}
        total = Decimal(str(round(sum(scores.values()), 1)))
        evaluations.append(ParkEvaluation(park=park, year=2018, scores=scores, total=total,
                                          outcome=evaluation_outcome(total), evaluated_on=dt.date(2019, 3, 15),
                                          reason="年度评价（演示数据）"))
    ParkEvaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    changed = []
    for park, ev in zip(parks, evaluations, strict=True):
        if ev.outcome in ("warn", "fail") and park.level != ParkLevel.NATIONAL:
            transitions.append(ParkTransition(park=park, transition="warn", from_status=ParkStatus.DESIGNATED,
                                              to_status=ParkStatus.WARNED, from_level=park.level,
                                              to_level=park.level, happened_on=dt.date(2019, 4, 1),
                                              reason=f"2018 年度评价 {ev.total} 分，限期整改（演示）"))
            park.status, park.status_changed_on = ParkStatus.WARNED, dt.date(2019, 4, 1)
            changed.append(park)
        elif ev.outcome == "excellent" and park.level == ParkLevel.DISTRICT:
            transitions.append(ParkTransition(park=park, transition="upgrade", from_status=ParkStatus.DESIGNATED,
                                              to_status=ParkStatus.UPGRADED, from_level=park.level,
                                              to_level=ParkLevel.MUNICIPAL, happened_on=dt.date(2019, 4, 1),
                                              reason=f"2018 年度评价优秀（{ev.total} 分），晋级为市级（演示）"))
            park.status, park.level, park.status_changed_on = ParkStatus.UPGRADED, ParkLevel.MUNICIPAL, \
                dt.date(2019, 4, 1)
            changed.append(park)
    ParkTransition.objects.bulk_create(transitions, batch_size=BATCH)
    if changed:
        Park.objects.bulk_update(changed, ["status", "level", "status_changed_on"], batch_size=BATCH)


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _talents(rng, enterprises, scale) -> int:
    pool = [e for e in enterprises if e.above_scale] or enterprises
    rows = []
    plan = [(TalentCategory.HIGH_END, TalentProgramme.CULTURE_MASTERS, 30), (TalentCategory.HIGH_END,
            TalentProgramme.FOUR_BATCHES, 70), (TalentCategory.LEADING, TalentProgramme.P131, 60),
            (TalentCategory.YOUNG, TalentProgramme.HAIHE_TALENTS, 40)]
    for category, programme, count in plan:
        for _ in range(_scaled(count, scale, minimum=2)):
            employer = rng.choice(pool)
            rows.append(Talent(
                name=f"{_person(rng)}（演示）", category=category, programme=programme, field=rng.choice(FIELDS),
                title=rng.choice(["总经理", "艺术总监", "总编辑", "首席设计师", "制片人", "技术总监", "国家一级演员",
                                  "研究员"]),
                employer=employer, employer_name=employer.name, district_id=employer.district_id,
                year_recognised=rng.choice([2014, 2015, 2016, 2017, 2018]), gender=rng.choice(Gender.values),
                birth_year=rng.randint(1955, 1990), phone=f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}",
                achievements="演示数据：主持或参与多项市级以上文化产业项目。", is_demo=True))
    bulk_create_with_history(rows, Talent, batch_size=BATCH, default_change_reason=REASON)
    return len(rows)


def _trainings(rng, enterprises, districts) -> int:
    programmes = []
    names = {
        TrainingTeam.CREATIVE_PLANNING: ["文化创意策划高级研修班", "数字内容创意工作坊"],
        TrainingTeam.BUSINESS_MANAGEMENT: ["文化企业经营管理人才培训班", "文化金融与资本运营研修班"],
        TrainingTeam.PROFESSIONAL_SKILLS: ["影视后期制作技能培训", "非遗传承人技艺提升培训"],
        TrainingTeam.INDUSTRY_MANAGEMENT: ["区级文化产业干部培训班", "文化产业园区运营管理培训"],
    }
    for team, titles in names.items():
        for j, title in enumerate(titles):
            start = dt.date(2018, rng.randint(3, 10), rng.randint(1, 20))
            programmes.append(TrainingProgramme(
                name=f"2018 年{title}（演示）", team=team, year=2018, organiser="天津市文化产业主管部门（演示）",
                district=None if j == 0 else rng.choice(districts), starts_on=start,
                ends_on=start + dt.timedelta(days=rng.randint(2, 10)), hours=rng.choice([16, 24, 32, 40]),
                description="演示数据。", is_demo=True))
    programmes = bulk_create_with_history(programmes, TrainingProgramme, default_change_reason=REASON)
    participants = []
    for programme in programmes:
        for employer in rng.sample(enterprises, k=min(len(enterprises), rng.randint(12, 30))):
            participants.append(TrainingParticipant(programme=programme, name=_person(rng), employer=employer,
                                                    employer_name=employer.name,
                                                    position=rng.choice(["经理", "策划", "设计师", "主管"]),
                                                    completed=rng.random() < 0.9))
    TrainingParticipant.objects.bulk_create(participants, batch_size=BATCH)
    return len(programmes)


def _directories(rng, enterprises, parks) -> int:
    published = dt.date(2019, 1, 18)
    specs = [
        (DirectoryKind.EXPORT_KEY, 2018, "2018—2019 年度天津市文化出口重点企业和项目目录（演示）", True,
         [e for e in enterprises if e.export_key]),
        (DirectoryKind.LEADING, 2018, "2018 年天津市文化领军企业名录（演示）", True, [e for e in enterprises if e.leading]),
        (DirectoryKind.SRDI, 2018, "2018 年天津市文化领域专精特新企业名录（演示）", True, [e for e in enterprises if e.srdi]),
        (DirectoryKind.TECH_GIANT, 2018, "2018 年天津市文化科技小巨人企业名录（演示）", False,
         [e for e in enterprises if e.tech_giant]),
        (DirectoryKind.INTELLIGENT, 2018, "2018 年天津市智能文化创意企业名录（演示）", False,
         sorted((e for e in enterprises if e.intelligent), key=lambda e: -e.intelligent_score)[:200]),
    ]
    directories = []
    for kind, year, name, is_published, _members in specs:
        directories.append(Directory(kind=kind, year=year, name=name, published=is_published,
                                     published_on=published if is_published else None, is_demo=True,
                                     description="演示数据：由程序生成，不代表真实名录。"))
    bases = [p for p in parks if p.kind == ParkKind.DEMONSTRATION_BASE]
    directories.append(Directory(kind=DirectoryKind.DEMONSTRATION_BASE, year=2018,
                                 name="天津市文化产业示范基地名录（演示）", published=True, published_on=published,
                                 is_demo=True, description="演示数据：由程序生成，不代表真实名录。"))
    directories = bulk_create_with_history(directories, Directory, default_change_reason=REASON)
    entries = []
    added = dt.date(2018, 12, 20)
    for directory, (_k, _y, _n, _p, members) in zip(directories, specs, strict=False):
        for e in members:
            entries.append(DirectoryEntry(directory=directory, enterprise=e, added_on=added,
                                          added_reason="演示数据", note=e.get_sector_display()))
        if directory.kind == DirectoryKind.EXPORT_KEY:
            for j in range(max(2, len(members) // 5)):
                entries.append(DirectoryEntry(directory=directory, project_name=f"演示出口项目{j + 1}：“津门文化”海外推广",
                                              added_on=added, added_reason="演示数据"))
    for base in bases:
        entries.append(DirectoryEntry(directory=directories[-1], park=base, added_on=base.designated_on or added,
                                      added_reason="演示数据"))
    if entries and any(e.enterprise for e in entries):
        # one removal, so membership history has something to show
        first = next(e for e in entries if e.enterprise)
        first.removed_on, first.removed_reason = dt.date(2019, 6, 30), "企业申请退出（演示）"
    DirectoryEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(directories)


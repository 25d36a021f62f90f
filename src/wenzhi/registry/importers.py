"""Importing enterprises, parks and talents from officials' spreadsheets, and the services that run an import.

The generic reading, header mapping and row bookkeeping live in :mod:`wenzhi.core.importing`; this module
knows the registry: which columns exist and what they are called, Tianjin's districts (和平区 / 和平 /
120101 / 塘沽区 → 滨海新区), parks, credit codes, duplicates within the file and against the registry, and
how a batch of valid rows is written (bulk, with one history row per change, inside the import transaction).

Rows are not passed through ``full_clean()``: it would query the database once or more per row. Each cell is
validated here with the same validators the model uses, against lookups loaded once per import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenzhi.core.choices import Level, Role
from wenzhi.core.importing import (
    COUNT_UNITS,
    UNIT_TABLES,
    CellContext,
    CellError,
    Field,
    Importer,
    ImportFileError,
    ImportResult,
    ParsedRow,
    RowCacheWriter,
    Schema,
    Table,
    bool_parser,
    choice_parser,
    clean_text,
    date_parser,
    decimal_parser,
    int_parser,
    open_row_cache,
    open_table,
    parse_decimal_value,
    run_import,
    text_parser,
)
from wenzhi.core.models import ImportRecord, Organisation
from wenzhi.core.scoping import scope_for

from .choices import (
    ClassificationSource,
    Gender,
    Ownership,
    ParkKind,
    ParkLevel,
    Sector,
    TalentCategory,
    TalentProgramme,
)
from .classification import (
    INTELLIGENT_GROUPS,
    Classification,
    classify_culture,
    classify_sector,
    intelligent_score,
)
from .models import Enterprise, EnterpriseYearFigure, Park, Talent
from .validators import industry_code_error, normalise_name, uscc_check_char, uscc_error

KINDS = {"enterprise": "文化企业", "park": "园区/基地", "talent": "人才"}
RECORD_ERRORS_KEPT = 20_000

# Square metres: area columns come in ㎡, 万平方米, 公顷 or 亩.
UNIT_TABLES.setdefault("平方米", {"平方米": Decimal(1), "㎡": Decimal(1), "m2": Decimal(1), "m²": Decimal(1),
                                  "平米": Decimal(1), "万平方米": Decimal(10_000), "公顷": Decimal(10_000),
                                  "亩": Decimal("666.6667"), "万㎡": Decimal(10_000)})
UNIT_TABLES.setdefault("名", COUNT_UNITS)

# ------------------------------------------------------------------------------------------- lookups

# Former county and district names still found in old spreadsheets.
DISTRICT_ALIASES = {
    "塘沽区": "滨海新区", "汉沽区": "滨海新区", "大港区": "滨海新区", "塘沽": "滨海新区", "汉沽": "滨海新区",
    "大港": "滨海新区", "滨海区": "滨海新区", "蓟县": "蓟州区", "宁河县": "宁河区", "静海县": "静海区",
    "武清县": "武清区", "宝坻县": "宝坻区", "滨海": "滨海新区",
}


def _prepared(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").upper()


# Any word of any intelligent-score group, as a plain substring: a regex match of a group word (bounded or not)
# is always also a substring match, so a text this does not match scores 0 with no evidence.
_INTELLIGENT_ANY = re.compile("|".join(re.escape(w.upper()) for _, _, words in INTELLIGENT_GROUPS for w in words))


def classify_for_import(*, name: str, industry_code: str, business_scope: str) -> Classification:
    """Exactly :func:`classification.classify`, faster for bulk work: the text goes in already normalised
    (NFKC, upper case, which every rule applies first anyway) so each keyword group does not normalise it
    again, and the eleven intelligent-score groups are skipped when none of their words occurs at all.
    ``test_enterprise_import`` checks the results are equal to ``classify()``'s."""
    name, scope = _prepared(name), _prepared(business_scope)
    category, subcategory, source, evidence = classify_culture(industry_code=industry_code, business_scope=scope,
                                                               name=name)
    sector, sector_evidence = classify_sector(name=name, business_scope=scope, subcategory=subcategory,
                                              by_code=source == ClassificationSource.GBT_MAPPING)
    text = f"{name} {scope}"
    score, intelligent = intelligent_score(text) if _INTELLIGENT_ANY.search(text) else (0.0, [])
    return Classification(culture_category=category, culture_subcategory=subcategory, source=str(source),
                          evidence={**evidence, "sector": sector_evidence}, sector=sector, intelligent_score=score,
                          intelligent_evidence=intelligent)


def _key(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_text(text)))


class DistrictLookup:
    """Tianjin's districts by name, short name (和平), division code (120101) and former names."""

    def __init__(self) -> None:
        self.by_key: dict[str, Organisation] = {}
        self._seen: dict[Any, Organisation] = {}
        self.districts = list(Organisation.objects.filter(level=Level.DISTRICT).order_by("code"))
        for d in self.districts:
            keys = {d.name, d.code, f"天津市{d.name}", f"天津{d.name}"}
            for suffix in ("新区", "区", "县"):
                if d.name.endswith(suffix) and len(d.name) > len(suffix) + 1:
                    keys.add(d.name[: -len(suffix)])
                    break
            for k in keys:
                if k:
                    self.by_key[_key(k)] = d
        for alias, name in DISTRICT_ALIASES.items():
            target = next((d for d in self.districts if d.name == name), None)
            if target is not None:
                self.by_key.setdefault(_key(alias), target)

    def find(self, value: Any) -> Organisation:
        hit = self._seen.get(value) if isinstance(value, (str, int)) else None
        if hit is None:
            hit = self._find(value)
            if isinstance(value, (str, int)) and len(self._seen) < 10_000:
                self._seen[value] = hit
        return hit

    def _find(self, value: Any) -> Organisation:
        k = _key(value)
        if k.endswith(".0"):
            k = k[:-2]
        hit = self.by_key.get(k)
        if hit is None and len(k) == 12 and k.isdigit():  # 12-digit division codes of streets
            hit = self.by_key.get(k[:6])
        if hit is None:
            for prefix in ("天津市", "天津"):
                if k.startswith(prefix):
                    hit = self.by_key.get(k[len(prefix):])
                    break
        if hit is None:
            names = "、".join(d.name for d in self.districts)
            raise CellError(f"不是天津市的区（可填：{names}，或 6 位区划代码如 120101）")
        return hit


class ParkLookup:
    """Parks (organisations of level park) by normalised name."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Organisation]] = defaultdict(list)
        for org in Organisation.objects.filter(level=Level.PARK).select_related("district"):
            self.by_key[normalise_name(org.name)].append(org)

    def find(self, value: Any, district: Organisation | None) -> Organisation:
        hits = self.by_key.get(normalise_name(clean_text(value)), [])
        if not hits:
            raise CellError("登记库中没有这个园区（请先登记园区，或核对名称）")
        if district is not None:
            inside = [p for p in hits if p.district_id == district.id]
            if inside:
                return inside[0]
            where = "、".join(sorted({p.district.name for p in hits if p.district}))
            raise CellError(f"园区位于{where}，与所属区“{district.name}”不一致")
        if len(hits) > 1:
            raise CellError("有多个同名园区，请同时填写所属区")
        return hits[0]


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices.choices}


_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


def credit_code_parser(value: Any, ctx: CellContext) -> str:
    """A credit code: full-width → half-width, spaces and hyphens dropped, lower-case letters raised; the check
    character (GB 32100-2015) must be right."""
    s = clean_text(value)
    if _USCC_SHAPE.fullmatch(s) and uscc_check_char(s[:17]) == s[17]:
        return s  # the common case, without the normalisation below
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"[\s\-—_]", "", s).upper()
    if s.startswith("'"):
        s = s[1:]
    message = uscc_error(s)
    if message:
        raise CellError(message)
    return s


def industry_code_parser(value: Any, ctx: CellContext) -> str:
    """A GB/T 4754-2017 小类: ``8710``, ``R8710``, ``8710 广播``; a number that lost its leading zero
    (Excel stores 0111 as 111) gets it back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 0 < value < 10_000:
            code = f"{int(value):04d}"
        else:
            raise CellError("行业代码应为 4 位数字（GB/T 4754-2017 小类）")
    else:
        s = unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")
        m = re.match(r"^[A-Ta-t]?(\d{4})(?:\D.*)?$", s)
        if not m:
            raise CellError(industry_code_error(s) or "行业代码应为 4 位数字（GB/T 4754-2017 小类）")
        code = m.group(1)
    message = industry_code_error(code)
    if message:
        raise CellError(message)
    return code


def names_list_parser(value: Any, ctx: CellContext) -> list[str]:
    parts = re.split(r"[、;；,，/\n]+", clean_text(value))
    return [p.strip() for p in parts if p.strip()]


def year_parser(value: Any, ctx: CellContext) -> int:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    s = unicodedata.normalize("NFKC", clean_text(value)).removesuffix("年度").removesuffix("年")
    if not re.fullmatch(r"\d{4}", s):
        raise CellError("年度应为 4 位年份，如 2019")
    year = int(s)
    if not 1949 <= year <= timezone.localdate().year:
        raise CellError(f"年度应在 1949–{timezone.localdate().year} 之间")
    return year


OWNERSHIP_WORDS = {
    **_labels(Ownership),
    "国有": Ownership.STATE, "国有企业": Ownership.STATE, "国有控股": Ownership.STATE, "国企": Ownership.STATE,
    "国有独资": Ownership.STATE, "事业单位": Ownership.STATE,
    "民营": Ownership.PRIVATE, "民营企业": Ownership.PRIVATE, "私营": Ownership.PRIVATE, "私营企业": Ownership.PRIVATE,
    "民企": Ownership.PRIVATE, "个体": Ownership.PRIVATE,
    "外资": Ownership.FOREIGN, "外商投资": Ownership.FOREIGN, "外商独资": Ownership.FOREIGN, "中外合资": Ownership.FOREIGN,
    "港澳台": Ownership.FOREIGN, "港澳台投资": Ownership.FOREIGN, "外资（含港澳台）": Ownership.FOREIGN,
    "集体": Ownership.COLLECTIVE, "集体企业": Ownership.COLLECTIVE,
    "混合": Ownership.MIXED, "混合所有制": Ownership.MIXED, "混改": Ownership.MIXED,
}
SECTOR_WORDS = {**_labels(Sector), "文化创意设计": Sector.CREATIVE_DESIGN, "创意设计": Sector.CREATIVE_DESIGN,
                "动漫": Sector.ANIMATION_GAMES, "游戏": Sector.ANIMATION_GAMES, "会展": Sector.EXHIBITIONS,
                "影视": Sector.BROADCASTING_FILM_TV, "出版": Sector.PUBLISHING, "演艺": Sector.PERFORMING_ARTS,
                "旅游": Sector.CULTURAL_TOURISM, "艺术品": Sector.ART_TRADING}
PARK_LEVEL_WORDS = {**_labels(ParkLevel), "国家": ParkLevel.NATIONAL, "国家级示范": ParkLevel.NATIONAL,
                    "市": ParkLevel.MUNICIPAL, "省级": ParkLevel.MUNICIPAL, "市级示范": ParkLevel.MUNICIPAL,
                    "区": ParkLevel.DISTRICT, "区县级": ParkLevel.DISTRICT}
PARK_KIND_WORDS = {**_labels(ParkKind), "产业园区": ParkKind.INDUSTRIAL_PARK, "园区": ParkKind.INDUSTRIAL_PARK,
                   "文创园区": ParkKind.INDUSTRIAL_PARK, "示范园区": ParkKind.DEMONSTRATION_PARK,
                   "示范基地": ParkKind.DEMONSTRATION_BASE, "众创空间": ParkKind.MAKER_BASE, "众创": ParkKind.MAKER_BASE}
TALENT_CATEGORY_WORDS = {**_labels(TalentCategory), "高端": TalentCategory.HIGH_END, "领军": TalentCategory.LEADING,
                         "青年": TalentCategory.YOUNG, "青年人才": TalentCategory.YOUNG, "高技能": TalentCategory.SKILLED,
                         "技能人才": TalentCategory.SKILLED}
PROGRAMME_WORDS = {**_labels(TalentProgramme), "四个一批": TalentProgramme.FOUR_BATCHES,
                   "“四个一批”": TalentProgramme.FOUR_BATCHES, "131": TalentProgramme.P131,
                   "131工程": TalentProgramme.P131, "131人才": TalentProgramme.P131,
                   "文化名家": TalentProgramme.CULTURE_MASTERS, "海河英才": TalentProgramme.HAIHE_TALENTS,
                   "其他": TalentProgramme.OTHER}
GENDER_WORDS = {**_labels(Gender), "男性": Gender.MALE, "女性": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}

TAG_FIELDS = [
    ("above_scale", "规模以上", ("规上企业", "是否规上", "是否规模以上", "规模以上企业", "规上")),
    ("state_owned_group", "国有文化企业集团", ("国有文化集团",)),
    ("listed", "上市企业", ("是否上市", "上市")),
    ("neeq", "新三板", ("新三板挂牌", "是否新三板")),
    ("srdi", "专精特新", ("专精特新企业", "是否专精特新")),
    ("tech_giant", "科技小巨人", ("科技小巨人企业",)),
    ("leading", "领军企业", ("是否领军企业",)),
    ("intelligent", "智能文化创意企业", ("智能文创企业",)),
    ("export_key", "文化出口重点企业", ("出口重点企业",)),
]

YEAR_FIELDS = ("revenue", "employees", "value_added")


def enterprise_schema() -> Schema:
    """Columns of an enterprise import; the headers officials usually write need no mapping."""
    fields = [
        Field("name", "企业名称", ("单位名称", "企业（单位）名称", "单位（企业）名称", "名称", "公司名称", "企业全称",
                                 "单位全称", "机构名称", "市场主体名称", "文化企业名称"), required=True,
              parse=text_parser(200)),
        Field("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一信用代码", "统一代码", "USCC",
                                         "统一社会信用代码（18位）"), parse=credit_code_parser),
        Field("district", "所属区", ("所在区", "区", "所属区域", "区域", "行政区", "区县", "所属区县", "所在区县",
                                  "注册地所属区", "属地", "所属行政区", "区划代码"), required=True),
        Field("park", "所在园区", ("园区", "所属园区", "入驻园区", "所在园区/基地", "园区名称")),
        Field("address", "注册地址", ("地址", "住所", "企业地址", "注册地", "经营地址", "通讯地址", "详细地址"),
              parse=text_parser(300)),
        Field("legal_form", "企业类型", ("公司类型", "登记注册类型", "组织形式", "企业类型（组织形式）"),
              parse=text_parser(100)),
        Field("ownership", "所有制", ("经济类型", "所有制性质", "企业性质", "控股情况", "所有制类型"),
              parse=choice_parser(OWNERSHIP_WORDS, what="所有制"), repeats=True),
        Field("founded_on", "成立日期", ("成立时间", "注册日期", "设立日期", "成立年月日", "注册时间", "登记日期"),
              parse=date_parser(earliest=dt.date(1900, 1, 1))),
        Field("industry_code", "行业代码", ("国民经济行业代码", "行业分类代码", "国民经济行业分类代码", "国标行业代码",
                                        "所属行业代码", "行业小类代码", "GB/T4754代码"), parse=industry_code_parser, repeats=True),
        Field("sector", "产业门类", ("所属门类", "八大门类", "文化产业门类", "门类"),
              parse=choice_parser(SECTOR_WORDS, what="产业门类"), repeats=True),
        Field("business_scope", "经营范围", ("主营业务", "经营范围及方式", "主要业务", "业务范围"),
              parse=text_parser(None, strip_inner_newlines=False)),
        Field("former_names", "曾用名", ("原名称", "历史名称", "曾用名称"), parse=names_list_parser),
        Field("year", "年度", ("统计年度", "数据年度", "年份", "报告年度"), parse=year_parser),
        Field("revenue", "营业收入", ("营业收入（万元）", "主营业务收入", "营收", "年营业收入", "营业收入合计",
                                    "收入"), parse=decimal_parser(maximum=Decimal("999999999999")), unit="万元"),
        Field("employees", "从业人员", ("从业人数", "从业人员数", "职工人数", "员工人数", "就业人数",
                                     "从业人员期末人数", "年末从业人员", "从业人员（人）"),
              parse=int_parser(minimum=0, maximum=2_000_000), unit="人"),
        Field("value_added", "增加值", ("增加值（万元）", "文化产业增加值"),
              parse=decimal_parser(allow_negative=True, maximum=Decimal("999999999999")), unit="万元"),
    ]
    for name, label, synonyms in TAG_FIELDS:
        fields.append(Field(name, label, synonyms, parse=bool_parser(), repeats=True))
    return Schema("enterprise", "文化企业", tuple(fields))


def _area(value: Any, ctx: CellContext) -> int:
    """Square metres, rounded (亩 and 公顷 convert to fractions of a square metre)."""
    area = parse_decimal_value(value, ctx, places=2, maximum=Decimal(2_000_000_000))
    return int(area.quantize(Decimal(1)))


def park_schema() -> Schema:
    return Schema("park", "园区/基地", (
        Field("name", "园区名称", ("名称", "基地名称", "园区/基地名称", "园区（基地）名称"), required=True,
              parse=text_parser(200)),
        Field("level", "级别", ("园区级别", "命名级别", "等级"), required=True,
              parse=choice_parser(PARK_LEVEL_WORDS, what="级别")),
        Field("kind", "类型", ("园区类型", "基地类型", "类别"), required=True,
              parse=choice_parser(PARK_KIND_WORDS, what="类型")),
        Field("district", "所属区", ("所在区", "区", "区域", "行政区", "区县"), required=True),
        Field("operator", "运营主体", ("运营单位", "运营机构", "管理机构", "运营方", "运营管理单位"),
              parse=text_parser(200)),
        Field("address", "地址", ("园区地址", "详细地址", "所在地址"), parse=text_parser(300)),
        Field("area_sqm", "面积", ("面积（平方米）", "占地面积", "建筑面积", "园区面积"), parse=_area, unit="平方米"),
        Field("designated_on", "命名日期", ("命名时间", "认定日期", "授牌日期", "认定时间"),
              parse=date_parser(earliest=dt.date(1980, 1, 1))),
        Field("description", "简介", ("园区简介", "基本情况", "说明"), parse=text_parser(None, strip_inner_newlines=False)),
    ))


def talent_schema() -> Schema:
    def birth_year(value: Any, ctx: CellContext) -> int:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.year
        s = unicodedata.normalize("NFKC", clean_text(value))
        m = re.match(r"^(\d{4})(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?月?)?$", s)
        if not m:
            raise CellError("应为出生年份，如 1975 或 1975年6月")
        year = int(m.group(1))
        if not 1900 <= year <= timezone.localdate().year - 14:
            raise CellError("出生年份不合理")
        return year

    return Schema("talent", "人才", (
        Field("name", "姓名", ("人才姓名", "名字"), required=True, parse=text_parser(50)),
        Field("category", "人才类别", ("类别", "人才类型", "类型"), required=True,
              parse=choice_parser(TALENT_CATEGORY_WORDS, what="人才类别")),
        Field("programme", "入选项目", ("人才项目", "入选工程", "人才工程", "入选计划", "项目"), required=True,
              parse=choice_parser(PROGRAMME_WORDS, what="入选项目")),
        Field("field", "专业领域", ("领域", "专业", "从事领域"), parse=text_parser(100)),
        Field("title", "职务/职称", ("职务", "职称", "职务职称"), parse=text_parser(100)),
        Field("employer_name", "工作单位", ("单位", "工作单位名称", "所在单位", "任职单位"), parse=text_parser(200)),
        Field("employer_credit_code", "单位统一社会信用代码", ("工作单位统一社会信用代码", "单位信用代码"),
              parse=credit_code_parser),
        Field("district", "所属区", ("所在区", "区", "区域")),
        Field("year_recognised", "入选年度", ("入选年份", "年度", "入选时间"), parse=year_parser),
        Field("achievements", "主要成就", ("主要业绩", "简介", "主要事迹"), parse=text_parser(None, strip_inner_newlines=False)),
        Field("gender", "性别", (), parse=choice_parser(GENDER_WORDS, what="性别")),
        Field("birth_year", "出生年份", ("出生年月", "出生日期", "出生年"), parse=birth_year),
        Field("phone", "联系电话", ("电话", "手机", "手机号", "联系方式"), parse=text_parser(30)),
    ))


SCHEMAS: dict[str, Callable[[], Schema]] = {"enterprise": enterprise_schema, "park": park_schema,
                                            "talent": talent_schema}


# --------------------------------------------------------------------------------------- importers


class BulkWriter:
    """INSERT and UPDATE many rows through the database cursor, with the history rows django-simple-history
    would write (same columns, one per change, ``history_user`` the actor, the import as change reason).

    ``bulk_create`` / ``bulk_update`` compile every value through the ORM; at 100,000 rows that cost several
    times the reading of the file. Here each column gets one converter and rows go to ``executemany``. New
    primary keys: PostgreSQL returns them from ``bulk_create``; on SQLite they are allocated after the
    table's AUTOINCREMENT sequence, which is safe because the import transaction holds SQLite's write lock
    from its first statement (``transaction_mode = IMMEDIATE``).
    """

    CONVERTED = {"DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField", "UUIDField", "DurationField"}

    def __init__(self, *, actor, reason: str, now: dt.datetime):
        self.conn = transaction.get_connection()
        self.actor_id = getattr(actor, "pk", None)
        self.reason = reason[:100]
        self.now = now

    def _converter(self, f):
        kind = f.get_internal_type()
        if kind == "JSONField":
            encoder = f.encoder

            def dump(v):
                if v is None:
                    return None
                if encoder is None:
                    try:
                        return orjson.dumps(v).decode()
                    except TypeError:
                        pass
                return json.dumps(v, cls=encoder)
            return dump
        if self.conn.vendor == "sqlite" and kind in ("DecimalField", "DateField"):
            # Django registers sqlite3 adapters for Decimal (str) and date (ISO format): the values as they are.
            return None
        if kind in self.CONVERTED:
            conn = self.conn
            last: list = [object(), None]  # the same value (the import's timestamp) repeats on every row

            def convert(v):
                if v is None:
                    return None
                if v is last[0]:
                    return last[1]
                out = f.get_db_prep_save(v, conn)
                last[0], last[1] = v, out
                return out
            return convert
        return None

    def _run(self, sql: str, rows: list) -> None:
        with self.conn.cursor() as cur:
            for start in range(0, len(rows), 1000):
                cur.executemany(sql, rows[start:start + 1000])

    def _values(self, fields, objs, specials: dict | None = None) -> list:
        specials = specials or {}
        names = [f.attname for f in fields if f.attname not in specials]
        getter = attrgetter(*names) if len(names) > 1 else (lambda o, g=attrgetter(names[0]): (g(o),))
        by_name = {f.attname: f for f in fields}
        convs = [(i, c) for i, c in ((i, self._converter(by_name[n])) for i, n in enumerate(names)) if c]
        tail = []
        for f in fields:
            if f.attname in specials:
                conv = self._converter(f)
                tail.append(conv(specials[f.attname]) if conv else specials[f.attname])
        order = names + [f.attname for f in fields if f.attname in specials]
        if order != [f.attname for f in fields]:  # callers list specials last; keep the SQL column order right
            raise ValueError("special columns must come last")
        out = []
        for obj in objs:
            row = list(getter(obj))
            for i, conv in convs:
                row[i] = conv(row[i])
            if tail:
                row.extend(tail)
            out.append(row)
        return out

    def insert(self, model, objs: list) -> None:
        """Insert new rows; afterwards each object has its primary key."""
        if not objs:
            return
        if self.conn.vendor != "sqlite":
            model._base_manager.bulk_create(objs, batch_size=1000)
            return
        meta = model._meta
        qn = self.conn.ops.quote_name
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT MAX({qn(meta.pk.column)}) FROM {qn(meta.db_table)}")
            top = cur.fetchone()[0] or 0
            cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
            seq = cur.fetchone()
            top = max(top, seq[0] if seq else 0)
        for i, obj in enumerate(objs, start=top + 1):
            setattr(obj, meta.pk.attname, i)
        fields = list(meta.concrete_fields)
        cols = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self._run(f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({marks})", self._values(fields, objs))
        # Keep AUTOINCREMENT's sequence ahead of the keys just used.
        with self.conn.cursor() as cur:
            cur.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s AND seq < %s",
                        [top + len(objs), meta.db_table, top + len(objs)])

    def update(self, model, objs: list, fields: list[str]) -> None:
        if not objs or not fields:
            return
        meta = model._meta
        qn = self.conn.ops.quote_name
        fobjs = [meta.get_field(name) for name in fields]
        sets = ", ".join(f"{qn(f.column)} = %s" for f in fobjs)
        rows = self._values([*fobjs, meta.pk], objs)
        self._run(f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s", rows)

    def history(self, model, objs: list, history_type: str) -> None:
        """One history row per object ("+" created, "~" changed), as simple_history's bulk helpers write them."""
        if not objs:
            return
        hmodel = model.history.model
        specials_names = {"history_date", "history_change_reason", "history_type", "history_user_id"}
        fields = [f for f in hmodel._meta.concrete_fields if not f.primary_key and f.attname not in specials_names]
        fields += [f for f in hmodel._meta.concrete_fields if f.attname in specials_names]
        specials = {"history_date": self.now, "history_change_reason": self.reason, "history_type": history_type,
                    "history_user_id": self.actor_id}
        qn = self.conn.ops.quote_name
        cols = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self._run(f"INSERT INTO {qn(hmodel._meta.db_table)} ({cols}) VALUES ({marks})",
                  self._values(fields, objs, specials))


_TEMPLATES: dict[type, tuple[dict, list[str]]] = {}


def _new(model):
    """A new, unsaved instance with every field at its default, without ``Model.__init__``'s per-field work
    (five times faster, which matters at 100,000 rows)."""
    from django.db.models.base import ModelState
    from django.db.models.fields import NOT_PROVIDED

    if model not in _TEMPLATES:
        template, mutable = {}, []
        for f in model._meta.concrete_fields:
            template[f.attname] = f.get_default() if f.default is not NOT_PROVIDED or f.null else f.get_default()
            if isinstance(template[f.attname], (list, dict)):
                mutable.append(f.attname)
        _TEMPLATES[model] = (template, mutable)
    template, mutable = _TEMPLATES[model]
    obj = model.__new__(model)
    obj.__dict__.update(template)
    for name in mutable:
        obj.__dict__[name] = type(template[name])()
    obj._state = ModelState()
    return obj


class RegistryImporter(Importer):
    """What the three kinds share: the actor's scope, the district lookup and the change reason."""

    kind = ""

    def __init__(self, *, actor, filename: str = "", default_year: int | None = None):
        self.actor = actor
        self.schema = SCHEMAS[self.kind]()
        self.filename = filename
        self.reason = f"批量导入：{filename}" if filename else "批量导入"
        scope = scope_for(actor)
        if actor is None or scope.is_city:  # no actor: the command line, run by the server's operator
            self.allowed_district: int | None = None
        elif scope.kind == "district":
            self.allowed_district = scope.organisation_id
        else:
            raise PermissionDenied("只有市级管理员和区级工作人员可以导入登记数据")
        self.default_year = default_year

    def prepare(self, table: Table) -> None:
        self.districts = DistrictLookup()
        self.table = table

    def resolve_district(self, row: ParsedRow, field_name: str = "district") -> Organisation | None:
        raw = row.raw.get(field_name)
        if raw is None or clean_text(raw) == "":
            return None
        try:
            district = self.districts.find(raw)
        except CellError as exc:
            row.error(field_name, str(exc))
            return None
        if self.allowed_district is not None and district.id != self.allowed_district:
            own = next((d.name for d in self.districts.districts if d.id == self.allowed_district), "")
            row.error(field_name, f"“{district.name}”不在您的管辖范围（{own}），区级工作人员只能导入本区的数据")
            return None
        row.values[field_name] = district
        return district

    def now(self) -> dt.datetime:
        return timezone.now()


class EnterpriseImporter(RegistryImporter):
    """Creates new enterprises and updates the ones the registry already has (same credit code, or same
    normalised name where the file gives no code); conflicts are row errors."""

    kind = "enterprise"
    batch_size = 2000

    def prepare(self, table: Table) -> None:
        super().prepare(table)
        mapped = {c.field for c in table.columns if c.field}
        self.parks = ParkLookup() if "park" in mapped else None
        self.has_year_data = bool(mapped & set(YEAR_FIELDS))
        if self.has_year_data and "year" not in mapped:
            self.default_year = self.default_year or timezone.localdate().year - 1
            table.notes.append(f"文件中没有“年度”列，营业收入、从业人员等数据记为 {self.default_year} 年度"
                               "（可在导入选项中指定年度）。")
        # Every existing enterprise, deleted ones too, in one query. A credit code names the live enterprise
        # that holds it; a code only a deleted enterprise held is free to register again.
        # (pk, name, district id, deleted, credit code)
        self.by_code: dict[str, tuple[int, str, int, bool, str]] = {}
        self.by_name: dict[str, list[tuple[int, str, int, bool, str]]] = defaultdict(list)
        for pk, code, key, district_id, deleted_at, name in Enterprise.all_objects.values_list(
                "pk", "credit_code", "name_key", "district_id", "deleted_at", "name").iterator(chunk_size=5000):
            rec = (pk, name, district_id, deleted_at is not None)
            if code and (deleted_at is None or code not in self.by_code):
                self.by_code[code] = (pk, name, district_id, deleted_at is not None, code)
            self.by_name[key or normalise_name(name)].append((*rec, code))
        self.seen_code: dict[str, int] = {}
        self.seen_name: dict[str, tuple[int, str]] = {}
        # A new enterprise gets the organisation its users will belong to (as enterprise_create does); one left
        # over with the same code and no enterprise is reused.
        used = set(Enterprise.all_objects.exclude(organisation=None).values_list("organisation_id", flat=True))
        self.org_by_code = {code: (pk, pk in used) for code, pk in Organisation.objects.filter(
            level=Level.ENTERPRISE).exclude(code="").values_list("code", "pk")}

    def check(self, row: ParsedRow) -> None:
        v = row.values
        district = self.resolve_district(row)
        if "park" in v and self.parks is not None:
            try:
                v["park"] = self.parks.find(row.raw["park"], district)
            except CellError as exc:
                row.error("park", str(exc))
        name = v.get("name", "")
        code = v.get("credit_code", "")
        key = normalise_name(name) if name else ""
        row.label = name
        v["name_key"] = key
        # Duplicates within the file: the later row is the one reported.
        duplicate = False
        if code:
            first = self.seen_code.get(code)
            if first is not None:
                duplicate = True
                row.error("credit_code", f"与第 {first} 行的统一社会信用代码相同：同一企业在文件中出现了两次，请删除或合并其中一行")
            else:
                self.seen_code[code] = row.number
        if key and not duplicate:
            previous = self.seen_name.get(key)
            if previous is None:
                self.seen_name[key] = (row.number, code)
            elif code and previous[1] and code != previous[1]:
                row.error("name", f"与第 {previous[0]} 行企业名称相同，但统一社会信用代码不同（第 {previous[0]} 行为 "
                                  f"{previous[1]}）；请核对是否为同一企业")
            else:
                row.error("name", f"与第 {previous[0]} 行是同一企业（企业名称相同）：同一企业在文件中出现了两次，"
                                  "请删除或合并其中一行")
        if row.errors:
            return
        # Against the registry.
        existing = self.by_code.get(code) if code else None
        if existing is not None and existing[3]:
            existing = None  # held only by a deleted enterprise: registered anew
        if existing is not None:
            pk, ename, edistrict, _deleted, _ecode = existing
            row.action, row.target = "update", pk
            if normalise_name(ename) != key:
                row.label = f"{name}（原名 {ename}）"
        elif key and self.by_name.get(key):
            live = [r for r in self.by_name[key] if not r[3]]
            if len(live) > 1:
                ids = "、".join(str(r[0]) for r in live[:5])
                row.error("name", f"登记库中有 {len(live)} 家企业名称与此相同（编号 {ids}），无法确定更新哪一家；请填写统一社会信用代码")
                return
            if live:
                pk, ename, edistrict, _deleted, ecode = live[0]
                if code and ecode and ecode != code:
                    row.error("credit_code", f"登记库中已有同名企业“{ename}”，其统一社会信用代码为 {ecode}，与本行不同；"
                                             "请核对是同一企业还是名称有误")
                    return
                row.action, row.target = "update", pk
            else:
                row.action = "create"
        else:
            row.action = "create"
        if row.action == "update":
            if self.allowed_district is not None and edistrict != self.allowed_district:
                row.error("name", "该企业已登记在其他区，不在您的管辖范围，不能由本区导入修改")
                return
        elif district is None:
            row.error("district", "新企业必须填写所属区")
        elif code and self.org_by_code.get(code, (0, False))[1]:
            row.error("credit_code", "已有另一家企业的账号组织使用此代码，请联系市级管理员核对")

    def describe(self, row: ParsedRow) -> dict:
        return {"row": row.number, "action": row.action, "label": row.label,
                "credit_code": row.values.get("credit_code", ""),
                "district": getattr(row.values.get("district"), "name", ""), "target": row.target}

    # -- writing ------------------------------------------------------------------------------------

    ENTERPRISE_FIELDS = ("name", "credit_code", "address", "legal_form", "ownership", "founded_on", "industry_code",
                         "sector", "business_scope") + tuple(name for name, _, _ in TAG_FIELDS)

    def _apply(self, obj: Enterprise, v: dict, creating: bool) -> set[str]:
        changed: set[str] = set()
        if creating:
            d = obj.__dict__
            for f in self.ENTERPRISE_FIELDS:
                if f in v:
                    d[f] = v[f]
        else:
            for f in self.ENTERPRISE_FIELDS:
                if f in v and getattr(obj, f) != v[f]:
                    setattr(obj, f, v[f])
                    changed.add(f)
        if "district" in v and obj.district_id != v["district"].id:
            obj.district_id = v["district"].id
            changed.add("district")
        if "park" in v and obj.park_id != v["park"].id:
            obj.park_id = v["park"].id
            changed.add("park")
        if "former_names" in v:
            merged = list(dict.fromkeys([*(obj.former_names or []), *v["former_names"]]))
            if merged != obj.former_names:
                obj.former_names = merged
                changed.add("former_names")
        if "name" in changed and not creating:
            changed.add("name_key")
        obj.name_key = v.get("name_key") or normalise_name(obj.name)
        if creating or changed & {"name", "industry_code", "business_scope"}:
            c = classify_for_import(name=obj.name, industry_code=obj.industry_code,
                                    business_scope=obj.business_scope)
            if not obj.classification_override:  # an official's decision is not undone by an import
                obj.culture_category, obj.culture_subcategory = c.culture_category, c.culture_subcategory
                obj.classification_source, obj.classification_evidence = c.source, c.evidence
                changed |= {"culture_category", "culture_subcategory", "classification_source",
                            "classification_evidence"}
                if "sector" not in v:
                    obj.sector = c.sector
                    changed.add("sector")
            obj.intelligent_score, obj.intelligent_evidence = c.intelligent_score, c.intelligent_evidence
            changed |= {"intelligent_score", "intelligent_evidence"}
        return changed

    def _apply_figures(self, obj: Enterprise, v: dict, changed: set[str]) -> None:
        """Copy this row's figures onto the enterprise's latest_* fields when they are for its latest year."""
        if not any(f in v for f in YEAR_FIELDS):
            return
        year = v.get("year") or self.default_year
        if obj.latest_year is not None and year < obj.latest_year:
            return
        if obj.latest_year != year:
            obj.latest_year, obj.latest_revenue, obj.latest_employees = year, None, None
            changed.add("latest_year")
        if "revenue" in v and obj.latest_revenue != v["revenue"]:
            obj.latest_revenue = v["revenue"]
        if "employees" in v and obj.latest_employees != v["employees"]:
            obj.latest_employees = v["employees"]
        changed |= {"latest_year", "latest_revenue", "latest_employees"}

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        now = self.now()
        writer = BulkWriter(actor=self.actor, reason=self.reason, now=now)
        creates: list[Enterprise] = []
        updates: list[Enterprise] = []
        update_fields: set[str] = set()
        targets = Enterprise.objects.in_bulk([r.target for r in rows if r.action == "update"])
        for row in rows:
            v = row.values
            if row.action == "update":
                obj = targets.get(row.target)
                if obj is None:  # deleted between the check and the write
                    raise IntegrityError(f"第 {row.number} 行要更新的企业（编号 {row.target}）已不存在")
                old_name = obj.name
                changed = self._apply(obj, v, creating=False)
                if "name" in changed and old_name not in (obj.former_names or []):
                    obj.former_names = [*(obj.former_names or []), old_name]
                    changed.add("former_names")
                self._apply_figures(obj, v, changed)
                row.target = obj
                if changed:
                    obj.updated_at = now
                    update_fields |= changed | {"updated_at"}
                    updates.append(obj)
            else:
                obj = _new(Enterprise)
                obj.district_id, obj.created_at, obj.updated_at = v["district"].id, now, now
                self._apply(obj, v, creating=True)
                self._apply_figures(obj, v, set())
                creates.append(obj)
                row.target = obj
        orgs = []
        for obj in creates:
            reuse = self.org_by_code.get(obj.credit_code) if obj.credit_code else None
            if reuse is not None and not reuse[1]:
                obj.organisation_id = reuse[0]
                self.org_by_code[obj.credit_code] = (reuse[0], True)
                continue
            org = _new(Organisation)
            org.level, org.name, org.code, org.is_active = Level.ENTERPRISE, obj.name, obj.credit_code, True
            org.parent_id = obj.park_id or obj.district_id
            org.district_id = obj.district_id
            orgs.append((obj, org))
        writer.insert(Organisation, [org for _, org in orgs])
        for obj, org in orgs:
            obj.organisation_id = org.pk
        writer.insert(Enterprise, creates)
        writer.history(Enterprise, creates, "+")
        writer.update(Enterprise, updates, sorted(update_fields))
        writer.history(Enterprise, updates, "~")
        if self.has_year_data:
            self._write_figures(rows, writer)
        return len(creates), sum(1 for r in rows if r.action == "update")

    def _write_figures(self, rows: list[ParsedRow], writer: BulkWriter) -> None:
        wanted: dict[tuple[int, int], dict] = {}
        updated_ids = set()
        for row in rows:
            v = row.values
            if not any(f in v for f in YEAR_FIELDS):
                continue
            year = v.get("year") or self.default_year
            wanted[(row.target.pk, year)] = {f: v[f] for f in YEAR_FIELDS if f in v}
            if row.action == "update":
                updated_ids.add(row.target.pk)
        existing = {}
        if updated_ids:
            existing = {(f.enterprise_id, f.year): f for f in EnterpriseYearFigure.objects.filter(
                enterprise_id__in=updated_ids, year__in={k[1] for k in wanted})}
        creates, updates, fields = [], [], set()
        for (eid, year), values in wanted.items():
            fig = existing.get((eid, year))
            if fig is None:
                fig = _new(EnterpriseYearFigure)
                fig.enterprise_id, fig.year = eid, year
                for k, val in values.items():
                    setattr(fig, k, val)
                creates.append(fig)
                continue
            changed = {k for k, val in values.items() if getattr(fig, k) != val}
            for k in changed:
                setattr(fig, k, values[k])
            if changed:
                fields |= changed
                updates.append(fig)
        writer.insert(EnterpriseYearFigure, creates)
        writer.history(EnterpriseYearFigure, creates, "+")
        writer.update(EnterpriseYearFigure, updates, sorted(fields))
        writer.history(EnterpriseYearFigure, updates, "~")


class ParkImporter(RegistryImporter):
    """Parks and bases: a new park also gets its organisation (level park, under its district)."""

    kind = "park"
    batch_size = 500
    FIELDS = ("name", "level", "kind", "operator", "address", "area_sqm", "designated_on", "description")

    def prepare(self, table: Table) -> None:
        super().prepare(table)
        self.existing: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for pk, name, district_id in Park.all_objects.values_list("pk", "name", "district_id"):
            self.existing[normalise_name(name)].append((pk, district_id, name))
        self.seen: dict[str, int] = {}

    def check(self, row: ParsedRow) -> None:
        district = self.resolve_district(row)
        name = row.values.get("name", "")
        row.label = name
        key = normalise_name(name)
        if key in self.seen:
            row.error("name", f"与第 {self.seen[key]} 行是同一园区（名称相同）：请删除或合并其中一行")
            return
        if key:
            self.seen[key] = row.number
        if row.errors or district is None:
            return
        hits = self.existing.get(key, [])
        same = [h for h in hits if h[1] == district.id]
        if same:
            row.action, row.target = "update", same[0][0]
        elif hits:
            where = "、".join(sorted({d.name for d in self.districts.districts if d.id in {h[1] for h in hits}}))
            row.error("name", f"登记库中已有同名园区，位于{where}；如确为两个园区，请在名称中注明区别")
        else:
            row.action = "create"

    def describe(self, row: ParsedRow) -> dict:
        return {"row": row.number, "action": row.action, "label": row.label,
                "district": getattr(row.values.get("district"), "name", ""), "target": row.target}

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        now = self.now()
        writer = BulkWriter(actor=self.actor, reason=self.reason, now=now)
        new_rows = [r for r in rows if r.action == "create"]
        orgs = Organisation.objects.bulk_create([
            Organisation(level=Level.PARK, name=r.values["name"], parent=r.values["district"],
                         district=r.values["district"]) for r in new_rows])
        parks = []
        for row, org in zip(new_rows, orgs, strict=True):
            park = Park(organisation=org, district=row.values["district"], created_at=now, updated_at=now)
            for f in self.FIELDS:
                if f in row.values:
                    setattr(park, f, row.values[f])
            parks.append(park)
        writer.insert(Park, parks)
        writer.history(Park, parks, "+")
        targets = Park.objects.in_bulk([r.target for r in rows if r.action == "update"])
        updates, fields = [], set()
        for row in rows:
            if row.action != "update":
                continue
            park = targets[row.target]
            changed = {f for f in self.FIELDS if f in row.values and getattr(park, f) != row.values[f]}
            for f in changed:
                setattr(park, f, row.values[f])
            if changed:
                park.updated_at = now
                fields |= changed | {"updated_at"}
                updates.append(park)
        writer.update(Park, updates, sorted(fields))
        writer.history(Park, updates, "~")
        return len(parks), sum(1 for r in rows if r.action == "update")


class TalentImporter(RegistryImporter):
    """Talents: the same person is the same name at the same employer; the employer is linked to the
    registry's enterprise by credit code or normalised name when there is exactly one."""

    kind = "talent"
    batch_size = 1000
    FIELDS = ("name", "category", "programme", "field", "title", "employer_name", "year_recognised", "achievements",
              "gender", "birth_year", "phone")

    def prepare(self, table: Table) -> None:
        super().prepare(table)
        self.enterprise_by_code = dict(Enterprise.objects.exclude(credit_code="")
                                       .values_list("credit_code", "pk"))
        names: dict[str, list[int]] = defaultdict(list)
        self.enterprise_district: dict[int, int] = {}
        for pk, key, district_id in Enterprise.objects.values_list("pk", "name_key", "district_id").iterator():
            names[key].append(pk)
            self.enterprise_district[pk] = district_id
        self.enterprise_by_name = names
        self.existing: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pk, name, employer_name in Talent.all_objects.values_list("pk", "name", "employer_name"):
            self.existing[(_key(name), normalise_name(employer_name))].append(pk)
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, row: ParsedRow) -> None:
        v = row.values
        district = self.resolve_district(row)
        employer = None
        if v.get("employer_credit_code"):
            employer = self.enterprise_by_code.get(v["employer_credit_code"])
            if employer is None:
                row.error("employer_credit_code", "登记库中没有这个统一社会信用代码的企业")
        elif v.get("employer_name"):
            hits = self.enterprise_by_name.get(normalise_name(v["employer_name"]), [])
            employer = hits[0] if len(hits) == 1 else None
        v["employer_id"] = employer
        if district is None and employer is not None:
            v["district_id"] = self.enterprise_district.get(employer)
        elif district is not None:
            v["district_id"] = district.id
        if self.allowed_district is not None and v.get("district_id") != self.allowed_district and "district" not in v:
            row.error("district", "区级工作人员导入人才须填写本区为所属区（或工作单位为本区已登记企业）")
        key = (_key(v.get("name", "")), normalise_name(v.get("employer_name", "")))
        row.label = f"{v.get('name', '')}（{v.get('employer_name', '')}）"
        if key in self.seen:
            row.error("name", f"与第 {self.seen[key]} 行是同一人（姓名和工作单位相同）：请删除或合并其中一行")
            return
        self.seen[key] = row.number
        if row.errors:
            return
        hits = self.existing.get(key, [])
        if len(hits) > 1:
            row.error("name", f"登记库中有 {len(hits)} 位同名且同单位的人才，无法确定更新哪一位")
        elif hits:
            row.action, row.target = "update", hits[0]
        else:
            row.action = "create"

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        now = self.now()
        creates = []
        targets = Talent.objects.in_bulk([r.target for r in rows if r.action == "update"])
        updates, fields = [], set()
        for row in rows:
            v = row.values
            obj = Talent(created_at=now, updated_at=now) if row.action == "create" else targets[row.target]
            changed = {f for f in self.FIELDS if f in v and getattr(obj, f) != v[f]}
            for f in changed:
                setattr(obj, f, v[f])
            for f in ("employer_id", "district_id"):
                if v.get(f) and getattr(obj, f) != v[f]:
                    setattr(obj, f, v[f])
                    changed.add(f[:-3])
            if row.action == "create":
                creates.append(obj)
            elif changed:
                obj.updated_at = now
                fields |= changed | {"updated_at"}
                updates.append(obj)
        writer = BulkWriter(actor=self.actor, reason=self.reason, now=now)
        writer.insert(Talent, creates)
        writer.history(Talent, creates, "+")
        writer.update(Talent, updates, sorted(fields))
        writer.history(Talent, updates, "~")
        return len(creates), sum(1 for r in rows if r.action == "update")


IMPORTERS: dict[str, type[RegistryImporter]] = {"enterprise": EnterpriseImporter, "park": ParkImporter,
                                                "talent": TalentImporter}


# ----------------------------------------------------------------------------------------- services


def may_import(user) -> bool:
    """City administrators import anything; district officers import their own district's rows."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.CITY_ADMIN, Role.DISTRICT_OFFICER)


def import_record_create(*, actor, kind: str, uploaded, filename: str = "", dry_run: bool = True,
                         skip_invalid: bool = False, overrides: dict[str, str] | None = None,
                         encoding: str = "", year: int | None = None, sheet: str = "") -> ImportRecord:
    """Store an uploaded file with a new :class:`ImportRecord` (status pending); nothing is read yet."""
    if kind not in IMPORTERS:
        raise ValueError(f"导入类型应为 {'、'.join(IMPORTERS)}，不是“{kind}”")
    if actor is not None and not may_import(actor):
        raise PermissionDenied("只有市级管理员和区级工作人员可以导入登记数据")
    name = filename or getattr(uploaded, "name", "") or "upload"
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:200]
    record = ImportRecord(kind=kind, original_name=name, created_by=actor, dry_run=dry_run,
                          options={"skip_invalid": skip_invalid, "overrides": overrides or {}, "encoding": encoding,
                                   "year": year, "sheet": sheet})
    content = uploaded if hasattr(uploaded, "chunks") else ContentFile(uploaded.read() if hasattr(uploaded, "read")
                                                                      else uploaded)
    record.file.save(_safe_storage_name(name), content, save=False)
    record.save()
    return record


def _safe_storage_name(name: str) -> str:
    suffix = re.sub(r"[^A-Za-z0-9.]", "", name.rsplit(".", 1)[-1])[:8] if "." in name else "bin"
    digest = hashlib.sha1(f"{name}{timezone.now().isoformat()}".encode(), usedforsecurity=False).hexdigest()[:12]
    return f"import-{digest}.{suffix or 'bin'}"


def _read_key(record: ImportRecord) -> str:
    o = record.options or {}
    return json.dumps([o.get("encoding") or "", o.get("sheet") or "", o.get("overrides") or {}], sort_keys=True,
                      ensure_ascii=False)


def _cache_name(record: ImportRecord) -> str:
    return f"imports/cache/{record.pk}.jsonl.gz"


def _progress_saver(record: ImportRecord) -> Callable[[int, int | None, str], None]:
    last = {"n": -1}

    def progress(done: int, total: int | None, phase: str) -> None:
        if phase == "write" and done == 0:
            ImportRecord.objects.filter(pk=record.pk).update(message=f"校验完成，正在写入 {total} 行")
            return
        if phase != "check" or done - last["n"] < 2000 and done != total:
            return
        last["n"] = done
        ImportRecord.objects.filter(pk=record.pk).update(processed_rows=done, total_rows=max(total or 0, done))
    return progress


def registry_import(*, actor, record: ImportRecord, commit: bool | None = None,
                    progress: Callable[[int, int | None, str], None] | None = None) -> ImportResult:
    """Check (``record.dry_run``) or commit an import; the record keeps the outcome, problems and plan.

    A dry run reads the file once and keeps its raw rows in a cache, so the commit that follows replays them
    instead of parsing the workbook again. The commit checks every row again against the registry as it is
    then and writes all valid rows in one transaction: with ``skip_invalid`` off, any invalid row means
    nothing is written. Unreadable files set the record to failed with the reason.
    """
    if record.kind not in IMPORTERS:
        raise ValueError(f"未知的导入类型“{record.kind}”")
    commit = (not record.dry_run) if commit is None else commit
    options = record.options or {}
    importer = IMPORTERS[record.kind](actor=actor, filename=record.original_name, default_year=options.get("year"))
    save_progress = _progress_saver(record)

    def report(done: int, total: int | None, phase: str) -> None:
        save_progress(done, total, phase)
        if progress:
            progress(done, total, phase)

    ImportRecord.objects.filter(pk=record.pk).update(status=ImportRecord.Status.RUNNING, processed_rows=0,
                                                     message="正在校验" if not commit else "正在导入")
    cache = options.get("cache") or {}
    table = None
    sink = None
    cache_tmp = None
    try:
        if cache.get("key") == _read_key(record) and default_storage.exists(cache.get("name", "")):
            table = open_row_cache(lambda: default_storage.open(cache["name"], "rb"), importer.schema,
                                   options.get("overrides"))
        else:
            table = open_table(record.file.path if _has_path(record) else record.file.open("rb"), importer.schema,
                               filename=record.original_name, overrides=options.get("overrides"),
                               declared_encoding=options.get("encoding") or None, sheet=options.get("sheet") or None)
            if not commit:  # a commit later replays these rows instead of parsing the workbook again
                cache_tmp = tempfile.TemporaryFile()
                sink = RowCacheWriter(table, cache_tmp)
        ImportRecord.objects.filter(pk=record.pk).update(total_rows=table.total_rows or 0)
        result = run_import(table, importer, commit=commit, skip_invalid=bool(options.get("skip_invalid")),
                            progress=report, sink=sink, durable=not transaction.get_connection().in_atomic_block)
    except ImportFileError as exc:
        _finish_failed(record, str(exc))
        raise
    except (IntegrityError, PermissionDenied) as exc:
        _finish_failed(record, f"导入失败，没有写入任何数据：{exc}")
        raise
    except Exception as exc:
        _finish_failed(record, f"导入出错，没有写入任何数据：{type(exc).__name__}: {exc}")
        raise
    finally:
        if table is not None:
            table.close()
        if sink is not None:
            sink.close()
    if result.committed and cache.get("name"):
        default_storage.delete(cache["name"])  # replayed once; the original file stays with the record
        options = {k: v for k, v in options.items() if k != "cache"}
    if cache_tmp is not None:
        cache_tmp.seek(0)
        name = _cache_name(record)
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, cache_tmp)
        cache_tmp.close()
        options = {**options, "cache": {"name": name, "key": _read_key(record)}}
    _finish(record, result, options)
    return result


def _has_path(record: ImportRecord) -> bool:
    """Whether the original file lies on local disk (remote storages have no path to hand to openpyxl)."""
    from django.core.files.storage import FileSystemStorage

    return isinstance(record.file.storage, FileSystemStorage)


def _finish_failed(record: ImportRecord, message: str) -> None:
    record.status = ImportRecord.Status.FAILED
    record.message = message
    record.created_count = record.updated_count = 0
    record.save(update_fields=["status", "message", "created_count", "updated_count"])


def _finish(record: ImportRecord, result: ImportResult, options: dict) -> None:
    if result.committed:
        status = ImportRecord.Status.COMMITTED
    elif result.dry_run:
        status = ImportRecord.Status.CHECKED
    else:
        status = ImportRecord.Status.REJECTED
    record.status = status
    record.dry_run = result.dry_run
    record.total_rows = result.total_rows
    record.processed_rows = result.total_rows
    record.created_count = result.created if result.committed else result.to_create
    record.updated_count = result.updated if result.committed else result.to_update
    record.error_count = result.error_count
    # The record keeps the first problems for the page and its CSV; the command line's report has them all.
    record.errors = [e.as_dict() for e in result.errors[:RECORD_ERRORS_KEPT]]
    record.message = result.message
    record.options = {**options, "report": {
        "format": result.format, "encoding": result.encoding, "sheet": result.sheet, "header_row": result.header_row,
        "mapping": result.mapping, "notes": result.notes, "valid_rows": result.valid_rows,
        "invalid_rows": result.invalid_rows, "to_create": result.to_create, "to_update": result.to_update,
        "plan": result.plan[:200], "errors_omitted": result.error_count - len(record.errors),
        "committed": result.committed,
        "created": result.created, "updated": result.updated}}
    record.save()


def enterprise_import(*, actor, record: ImportRecord, commit: bool | None = None, progress=None) -> ImportResult:
    """Check or commit an enterprise import (see :func:`registry_import`)."""
    assert record.kind == "enterprise"
    return registry_import(actor=actor, record=record, commit=commit, progress=progress)


def park_import(*, actor, record: ImportRecord, commit: bool | None = None, progress=None) -> ImportResult:
    """Check or commit a park and base import (see :func:`registry_import`)."""
    assert record.kind == "park"
    return registry_import(actor=actor, record=record, commit=commit, progress=progress)


def talent_import(*, actor, record: ImportRecord, commit: bool | None = None, progress=None) -> ImportResult:
    """Check or commit a talent import (see :func:`registry_import`)."""
    assert record.kind == "talent"
    return registry_import(actor=actor, record=record, commit=commit, progress=progress)


# ----------------------------------------------------------------------------------------- selectors


def import_records_for(user):
    """Import records the user may see: every registry import for the city, the district's own for a district
    officer (imports started by users of that district), none for anyone else."""
    qs = ImportRecord.objects.filter(kind__in=list(KINDS)).select_related("created_by")
    if not may_import(user):
        return qs.none()
    scope = scope_for(user)
    if scope.is_city:
        return qs
    if scope.kind == "district":
        return qs.filter(created_by__organisation_id=scope.organisation_id)
    return qs.none()


def import_commit_prepare(*, actor, record: ImportRecord, skip_invalid: bool) -> ImportRecord:
    """Turn a checked import into a commit by ``actor`` (who is recorded as the author of every change)."""
    if record.status not in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED):
        raise ValueError("只有已校验、尚未导入的记录可以导入")
    record.dry_run = False
    record.status = ImportRecord.Status.PENDING
    record.options = {**(record.options or {}), "skip_invalid": skip_invalid, "actor_id": getattr(actor, "pk", None)}
    record.message = "等待导入"
    record.save(update_fields=["dry_run", "status", "options", "message"])
    return record


def import_remap(*, record: ImportRecord, overrides: dict[str, str]) -> ImportRecord:
    """Change the column mapping of an import (header or column letter → field, empty: do not import); the
    import goes back to a dry run."""
    if record.status in (ImportRecord.Status.COMMITTED, ImportRecord.Status.RUNNING):
        raise ValueError("已导入或正在处理的记录不能修改映射")
    record.dry_run = True
    record.status = ImportRecord.Status.PENDING
    record.options = {**(record.options or {}), "overrides": overrides}
    record.message = "等待重新校验"
    record.save(update_fields=["dry_run", "status", "options", "message"])
    return record

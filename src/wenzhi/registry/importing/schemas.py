"""The registry's import columns and lookups: enterprises, parks and talents as officials' spreadsheets write them.

The generic reading, header mapping and row bookkeeping live in :mod:`wenzhi.core.importing`; this module
knows the registry: which columns exist and what they are called, Tianjin's districts (和平区 / 和平 /
120101 / 塘沽区 → 滨海新区), parks, credit codes, duplicates within the file and against the registry, and
how a batch of valid rows is written (bulk, with one history row per change, inside the import transaction).

Rows are not passed through ``full_clean()``: it would query the database once or more per row. Each cell is
validated here with the same validators the model uses, against lookups loaded once per import.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level
from wenzhi.core.importing import (
    CellContext,
    CellError,
    Field,
    Schema,
    bool_parser,
    choice_parser,
    clean_text,
    date_parser,
    decimal_parser,
    int_parser,
    parse_decimal_value,
    text_parser,
)
from wenzhi.core.models import Organisation

from ..choices import (
    ClassificationSource,
    Gender,
    Ownership,
    ParkKind,
    ParkLevel,
    Sector,
    TalentCategory,
    TalentProgramme,
)
from ..classification import (
    INTELLIGENT_GROUPS,
    Classification,
    classify_culture,
    classify_sector,
    intelligent_score,
)
from ..validators import industry_code_error, normalise_name, uscc_check_char, uscc_error

KINDS = {"enterprise": _("文化企业"), "park": _("园区/基地"), "talent": _("人才")}

# Square metres: area columns come in ㎡, 万平方米, 公顷 or 亩.
AREA_UNITS = MappingProxyType({"平方米": Decimal(1), "㎡": Decimal(1), "m2": Decimal(1), "m²": Decimal(1),
                               "平米": Decimal(1), "万平方米": Decimal(10_000), "公顷": Decimal(10_000),
                               "亩": Decimal("666.6667"), "万㎡": Decimal(10_000)})

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

    def name_of(self, pk: int | None) -> str:
        return next((d.name for d in self.districts if d.id == pk), "")

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
            raise CellError(gettext("不是天津市的区（可填：{names}，或 6 位区划代码如 120101）").format(names=names))
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
            raise CellError(gettext("登记库中没有这个园区（请先登记园区，或核对名称）"))
        if district is not None:
            inside = [p for p in hits if p.district_id == district.id]
            if inside:
                return inside[0]
            where = "、".join(sorted({p.district.name for p in hits if p.district}))
            raise CellError(gettext("园区位于{where}，与所属区“{district}”不一致").format(where=where, district=district.name))
        if len(hits) > 1:
            raise CellError(gettext("有多个同名园区，请同时填写所属区"))
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
            raise CellError(gettext("行业代码应为 4 位数字（GB/T 4754-2017 小类）"))
    else:
        s = unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")
        m = re.match(r"^[A-Ta-t]?(\d{4})(?:\D.*)?$", s)
        if not m:
            raise CellError(industry_code_error(s) or gettext("行业代码应为 4 位数字（GB/T 4754-2017 小类）"))
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
        raise CellError(gettext("年度应为 4 位年份，如 2019"))
    year = int(s)
    if not 1949 <= year <= timezone.localdate().year:
        raise CellError(gettext("年度应在 1949–{last} 之间").format(last=timezone.localdate().year))
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
        Field("area_sqm", "面积", ("面积（平方米）", "占地面积", "建筑面积", "园区面积"), parse=_area, unit="平方米",
              units=AREA_UNITS),
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
            raise CellError(gettext("应为出生年份，如 1975 或 1975年6月"))
        year = int(m.group(1))
        if not 1900 <= year <= timezone.localdate().year - 14:
            raise CellError(gettext("出生年份不合理"))
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



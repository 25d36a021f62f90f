"""The standard indicator catalogue, the district quarterly form and its validation rules, as shipped.

Loaded idempotently by :func:`wenzhi.statistics.reference.load_catalogue` (a reference loader): codes are the
contract other modules read by (``selectors.indicator_series("screens")``); names, units and rules may be
edited by the city administrator afterwards.
"""

from django.utils.translation import gettext_lazy as _

# code, name, unit, kind, aggregation, decimals, category
INDICATORS = [
    ("value_added", _("文化产业增加值"), _("亿元"), "amount", "sum", 2, "economy"),
    ("revenue", _("营业收入"), _("亿元"), "amount", "sum", 2, "economy"),
    ("gdp", _("地区生产总值"), _("亿元"), "amount", "sum", 2, "macro"),
    ("employees", _("从业人员"), _("人"), "count", "last", 0, "units"),
    ("units", _("文化产业法人单位数"), _("家"), "count", "last", 0, "units"),
    ("above_scale_units", _("规模以上文化企业数"), _("家"), "count", "last", 0, "units"),
    ("parks", _("文化产业园区数"), _("个"), "count", "last", 0, "parks"),
    ("projects", _("在建重点文化产业项目"), _("个"), "count", "last", 0, "parks"),
    ("investment", _("文化产业项目完成投资"), _("亿元"), "amount", "sum", 2, "parks"),
    ("screens", _("影院银幕数"), _("块"), "count", "last", 0, "film"),
    ("box_office", _("电影票房"), _("万元"), "amount", "sum", 2, "film"),
    ("performances", _("营业性演出场次"), _("场"), "count", "sum", 0, "performance"),
    ("audiences", _("演出观众人次"), _("万人次"), "number", "sum", 2, "performance"),
    ("consumption", _("居民人均文化娱乐消费支出"), _("元"), "amount", "average", 2, "consumption"),
]

# Computed from the registry's enterprise yearly figures; never entered.
DERIVED_INDICATORS = [
    ("registry_enterprises", _("登记库文化企业数（有年报）"), _("家"), "count", "last", 0, "registry"),
    ("registry_above_scale_units", _("登记库规上企业数（有年报）"), _("家"), "count", "last", 0, "registry"),
    ("registry_above_scale_revenue", _("登记库规上企业营业收入"), _("亿元"), "amount", "sum", 2, "registry"),
    ("registry_employees", _("登记库企业从业人员"), _("人"), "count", "last", 0, "registry"),
    ("cinema_screens", _("文化消费平台影院银幕数（有放映）"), _("块"), "count", "last", 0, "film"),
    ("cinema_box_office", _("文化消费平台电影票房"), _("万元"), "amount", "sum", 2, "film"),
]

DISTRICT_FORM = ("district_quarterly", _("区文化产业季度统计报表"), "quarterly", "district", 0, 15, 90)
DISTRICT_FORM_INDICATORS = [code for code, *_rest in INDICATORS]

ENTERPRISE_FORM = ("enterprise_yearly", _("规模以上文化企业年度报表"), "yearly", "enterprise", 0, 60, 120)
ENTERPRISE_FORM_INDICATORS = ["revenue", "value_added", "employees"]

# name, left, operator, right, importance, message
RULES = [
    (_("规上单位不超过全部单位"), "above_scale_units", "<=", "units", "error",
     _("规模以上文化企业数不能多于文化产业法人单位数。")),
    (_("增加值不超过营业收入"), "value_added", "<=", "revenue", "error",
     _("文化产业增加值不能大于营业收入。")),
    (_("增加值环比变动不超过50%"), "abs(value_added - prev_quarter(value_added))", "<=",
     "0.5 * prev_quarter(value_added)", "warning",
     _("增加值较上季度变动超过 ±50%，请说明原因。")),
    (_("银幕数不减少过多"), "screens", ">=", "0.8 * prev_quarter(screens)", "warning",
     _("银幕数较上季度减少超过 20%，请说明原因。")),
    (_("增加值不超过地区生产总值"), "value_added", "<=", "gdp", "error",
     _("文化产业增加值不能大于地区生产总值。")),
]

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    COUNT = "count", _("数量目标")
    GROWTH = "growth", _("年均增长目标")
    QUALITATIVE = "qualitative", _("定性目标")
    MONITORED = "monitored", _("监测指标")


class Measure(models.TextChoices):
    """Where a target's live value comes from (plan/progress.py computes each)."""

    INTELLIGENT_PARKS = "intelligent_parks", _("登记库：列入智能文化创意名录的园区/平台")
    LEADING_ENTERPRISES = "leading_enterprises", _("登记库：最新领军企业名录的在录企业")
    HIGH_END_TALENTS = "high_end_talents", _("登记库：2018 年起入选的高端人才")
    PARKS = "parks", _("登记库：未撤销命名的园区和基地")
    STAT_LATEST = "stat_latest", _("统计：指标最新一期数值")
    STAT_YEAR = "stat_year", _("统计：指标最近完整年度数值")
    STAT_GROWTH = "stat_growth", _("统计：指标年度增长率")
    SPECIAL_FUNDS = "special_funds", _("项目库：专项资金累计（亿元）")
    FUNDED_PROJECTS = "funded_projects", _("项目库：获专项资金扶持的项目数")
    SOCIAL_CAPITAL = "social_capital", _("项目库：撬动社会资金累计（亿元）")
    MANUAL = "manual", _("人工填报")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DELAYED = "delayed", _("滞后")
    DONE = "done", _("已完成")


class ProgressState(models.TextChoices):
    """A target's state as the dashboard shows it."""

    NO_DATA = "no_data", _("暂无数据")
    BEHIND = "behind", _("未达目标")
    MET = "met", _("已达目标")
    MONITORED = "monitored", _("监测")

"""Choices of the registry: ownership, sectors, park levels and states, talent programmes, directory kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ownership(models.TextChoices):
    STATE = "state", _("国有")
    PRIVATE = "private", _("民营")
    FOREIGN = "foreign", _("外资（含港澳台）")
    COLLECTIVE = "collective", _("集体")
    MIXED = "mixed", _("混合所有制")


class Sector(models.TextChoices):
    """The action plan's eight sectors (八大门类)."""

    BROADCASTING_FILM_TV = "broadcasting_film_tv", _("广播影视")
    PUBLISHING = "publishing", _("出版发行")
    PERFORMING_ARTS = "performing_arts", _("演艺娱乐")
    CREATIVE_DESIGN = "creative_design", _("文化创意和设计")
    CULTURAL_TOURISM = "cultural_tourism", _("文化旅游")
    ANIMATION_GAMES = "animation_games", _("动漫游戏")
    EXHIBITIONS = "exhibitions", _("文化会展")
    ART_TRADING = "art_trading", _("艺术品交易")


class ClassificationSource(models.TextChoices):
    GBT_MAPPING = "gbt_mapping", _("行业代码对照")
    GBT_PARTIAL_SCOPE = "gbt_partial_scope", _("行业代码（部分文化）+ 经营范围关键词")
    SCOPE_KEYWORDS = "scope_keywords", _("经营范围关键词")
    OVERRIDE = "override", _("人工认定")
    UNCLASSIFIED = "unclassified", _("未能归类")


class ParkLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    MUNICIPAL = "municipal", _("市级")
    DISTRICT = "district", _("区级")


class ParkKind(models.TextChoices):
    INDUSTRIAL_PARK = "industrial_park", _("文化产业园区")
    DEMONSTRATION_PARK = "demonstration_park", _("文化产业示范园区")
    DEMONSTRATION_BASE = "demonstration_base", _("文化产业示范基地")
    MAKER_BASE = "maker_base", _("众创基地")


class ParkStatus(models.TextChoices):
    CANDIDATE = "candidate", _("创建中")
    DESIGNATED = "designated", _("已命名")
    WARNED = "warned", _("已警告（限期整改）")
    RECTIFYING = "rectifying", _("整改待复核")
    UPGRADED = "upgraded", _("已晋级")
    REVOKED = "revoked", _("已撤销命名")


class EvaluationOutcome(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    WARN = "warn", _("基本合格（警告）")
    FAIL = "fail", _("不合格")


class TalentCategory(models.TextChoices):
    HIGH_END = "high_end", _("高端人才")
    LEADING = "leading", _("领军人才")
    YOUNG = "young", _("青年英才")
    SKILLED = "skilled", _("高技能人才")


class TalentProgramme(models.TextChoices):
    FOUR_BATCHES = "four_batches", _("“四个一批”人才")
    P131 = "p131", _("“131”创新型人才培养工程")
    CULTURE_MASTERS = "culture_masters", _("文化名家暨“四个一批”人才工程")
    HAIHE_TALENTS = "haihe", _("海河英才")
    OTHER = "other", _("其他")


class TrainingTeam(models.TextChoices):
    """The plan's four teams (四支队伍)."""

    CREATIVE_PLANNING = "creative_planning", _("创意策划")
    BUSINESS_MANAGEMENT = "business_management", _("经营管理")
    PROFESSIONAL_SKILLS = "professional_skills", _("专业技能")
    INDUSTRY_MANAGEMENT = "industry_management", _("产业管理")


class Gender(models.TextChoices):
    FEMALE = "F", _("女")
    MALE = "M", _("男")


class DirectoryKind(models.TextChoices):
    EXPORT_KEY = "export_key", _("文化出口重点企业和项目目录")
    LEADING = "leading", _("领军企业名录")
    SRDI = "srdi", _("专精特新企业名录")
    TECH_GIANT = "tech_giant", _("科技小巨人企业名录")
    DEMONSTRATION_BASE = "demonstration_base", _("文化产业示范基地名录")
    INTELLIGENT = "intelligent", _("智能文化创意企业名录")

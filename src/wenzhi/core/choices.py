from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    PARK = "park", _("园区")
    ENTERPRISE = "enterprise", _("企业")
    INSTITUTION = "institution", _("机构")


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    DISTRICT_OFFICER = "district_officer", _("区级工作人员")
    PARK_OPERATOR = "park_operator", _("园区运营方")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    EXPERT_REVIEWER = "expert_reviewer", _("评审专家")
    MEDIA_EDITOR = "media_editor", _("融媒体编辑")
    VENUE_OPERATOR = "venue_operator", _("场馆商户")
    PUBLIC = "public", _("公众")


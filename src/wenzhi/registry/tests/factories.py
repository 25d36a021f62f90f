"""factory_boy factories of registry rows; they write through the services, like the application does."""

from __future__ import annotations

import itertools

import factory

from wenzhi.core.choices import Level
from wenzhi.core.factories import ModelFactory
from wenzhi.core.models import Organisation

from .. import services
from ..choices import DirectoryKind, ParkKind, ParkLevel, TalentCategory, TalentProgramme
from ..models import Directory, Enterprise, Park, Talent
from ..validators import uscc_check_char

_serial = itertools.count(1)


def valid_credit_code(district_code: str = "120101") -> str:
    """A fresh, valid credit code of a company registered in ``district_code``."""
    n = next(_serial)
    first17 = f"91{district_code}MA{n:06d}" + "0"
    return first17 + uscc_check_char(first17)


def district(name: str = "和平区") -> Organisation:
    return Organisation.objects.get(level=Level.DISTRICT, name=name)


class EnterpriseFactory(ModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"天津测试{n}号文化传媒有限公司")
    district = factory.LazyFunction(district)
    park = None
    credit_code = factory.LazyAttribute(lambda o: valid_credit_code(o.district.code))
    industry_code = "7259"
    business_scope = "广告设计、制作、代理、发布；文化艺术交流活动策划"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.enterprise_create(actor=None, **kwargs)


class ParkFactory(ModelFactory[Park]):
    class Meta:
        model = Park

    name = factory.Sequence(lambda n: f"测试文化产业园{n}")
    district = factory.LazyFunction(district)
    level = ParkLevel.MUNICIPAL
    kind = ParkKind.INDUSTRIAL_PARK

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.park_create(actor=None, **kwargs)


class TalentFactory(ModelFactory[Talent]):
    class Meta:
        model = Talent

    name = factory.Sequence(lambda n: f"测试人才{n}")
    category = TalentCategory.HIGH_END
    programme = TalentProgramme.FOUR_BATCHES
    year_recognised = 2018
    gender = "F"
    birth_year = 1980
    phone = "13800000000"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.talent_create(actor=None, **kwargs)


class DirectoryFactory(ModelFactory[Directory]):
    class Meta:
        model = Directory

    kind = DirectoryKind.EXPORT_KEY
    year = 2018
    name = factory.Sequence(lambda n: f"2018 年文化出口重点企业目录 {n}")

"""Registry fixtures: a small registry across two districts, on top of core's users and organisations."""

import pytest

from ..choices import ParkLevel
from ..models import Park
from .factories import DirectoryFactory, EnterpriseFactory, TalentFactory


@pytest.fixture
def registry(orgs, users):
    """Parks over core's two park organisations, an enterprise in each park (the enterprise users' own),
    one more in 滨海新区, talents and an export directory (unpublished)."""
    park_a = Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name, level=ParkLevel.MUNICIPAL,
                                 kind="industrial_park", district=orgs["heping"])
    park_b = Park.objects.create(organisation=orgs["park_b"], name=orgs["park_b"].name, level=ParkLevel.DISTRICT,
                                 kind="industrial_park", district=orgs["binhai"])
    ent_a = EnterpriseFactory(name="天津和平甲文化传媒有限公司", district=orgs["heping"], park=orgs["park_a"])
    # core's fixture user for the enterprise role belongs to ent_a's organisation
    users["enterprise_user"].organisation = ent_a.organisation
    users["enterprise_user"].save(update_fields=["organisation"])
    ent_b = EnterpriseFactory(name="天津滨海乙动漫科技有限公司", district=orgs["binhai"], park=orgs["park_b"],
                              industry_code="6572", business_scope="动漫设计；动画制作；虚拟现实技术开发")
    ent_c = EnterpriseFactory(name="天津滨海丙印务有限公司", district=orgs["binhai"], industry_code="2319")
    talent_a = TalentFactory(employer=ent_a)
    talent_b = TalentFactory(employer=ent_b)
    directory = DirectoryFactory()
    return {"park_a": park_a, "park_b": park_b, "ent_a": ent_a, "ent_b": ent_b, "ent_c": ent_c,
            "talent_a": talent_a, "talent_b": talent_b, "directory": directory}

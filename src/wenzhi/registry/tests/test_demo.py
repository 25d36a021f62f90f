from wenzhi.core.choices import Level
from wenzhi.core.demo import demo_accounts
from wenzhi.core.models import Organisation, User

from ..demo import generate
from ..models import Directory, Enterprise, Park
from ..validators import uscc_is_valid


def test_demo_registry_small_scale(db):
    result = generate(scale=0.02)
    assert result["enterprises"] == 500 and result["above_scale"] == 22
    assert all(uscc_is_valid(c) for c in Enterprise.objects.values_list("credit_code", flat=True))
    assert all(c.startswith("9112") for c in Enterprise.objects.values_list("credit_code", flat=True))
    assert not Enterprise.objects.filter(is_demo=False).exists()
    assert Enterprise.objects.filter(organisation__isnull=True).count() == 0
    assert Enterprise.objects.exclude(classification_source="unclassified").count() > 400
    assert Enterprise.objects.first().history.count() == 1
    heping_park = Park.objects.filter(district__name="和平区").order_by("organisation_id").first()
    assert heping_park is not None
    assert Directory.objects.filter(published=True).exists()
    # running again does not duplicate
    assert generate(scale=0.02)["enterprises"] == 500
    # the demo accounts land on 和平区's first park and an enterprise inside it that has a registry row
    demo_accounts()
    park_user = User.objects.get(username="park")
    ent_user = User.objects.get(username="enterprise")
    assert park_user.organisation.level == Level.PARK
    assert ent_user.organisation.parent == park_user.organisation
    assert Enterprise.objects.filter(organisation=ent_user.organisation).exists()
    assert Organisation.objects.filter(level=Level.ENTERPRISE).count() == 500

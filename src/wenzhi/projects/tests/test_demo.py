"""The demo history: every page has data, the demo expert has reviews and work waiting, runs once."""

from wenzhi.core.models import User
from wenzhi.registry.demo import generate as registry_demo

from ..choices import NoticeStatus
from ..demo import generate
from ..models import Application, Call, Decision, Project, PublicNotice, Review


def test_demo_history_small_scale(db, reference_data):
    registry_demo(scale=0.02)
    result = generate(scale=0.05)
    assert result["calls"] == 7 and result["applications"] > 90
    assert Call.objects.filter(is_demo=True).values("year").distinct().count() == 4
    expert = User.objects.get(username="expert")
    assert Review.objects.filter(expert=expert).exists()
    current = Call.objects.order_by("-year").first()
    assert current.is_open
    assert Application.objects.filter(call=current, assignments__expert=expert, reviews__isnull=True).exists() or \
        Application.objects.filter(call=current, assignments__expert=expert).exclude(reviews__expert=expert).exists()
    assert Decision.objects.filter(outcome="city_key").exists()
    assert PublicNotice.objects.filter(status=NoticeStatus.PUBLISHED).count() == 3
    assert Project.objects.filter(level="city_key", applications__isnull=False).exists()
    assert Project.objects.filter(is_demo=False).count() == 0
    assert generate(scale=0.05)["skipped"]

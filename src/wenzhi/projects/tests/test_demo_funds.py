"""The demo funds history: funds with approved allocations and tranches, progress with overdue and stalled
projects, fingerprints, export directories, showcase and fair; runs once; leverage from the plan's history."""

import time

from wenzhi.registry.demo import generate as registry_demo

from ..demo import generate as projects_demo
from ..demo_funds import generate
from ..models import (
    ApplicationFingerprint,
    Disbursement,
    ExportDirectory,
    Fund,
    Grant,
    ProgressReport,
    ShowcaseEntry,
)
from ..selectors_progress import overdue_projects, stalled_projects


def test_demo_funds_small_scale(db, reference_data, users):
    registry_demo(scale=0.02)
    projects_demo(scale=0.05)
    started = time.perf_counter()
    result = generate(scale=0.05)
    assert time.perf_counter() - started < 60  # a generous bound: the demo must stay quick at any scale
    assert result["funds"] == 3 and Fund.objects.filter(is_demo=True).count() == 3
    assert Grant.objects.filter(allocation__status="approved", amount__gt=0).exists()
    for d in Disbursement.objects.select_related("grant", "milestone"):
        assert d.milestone.done_on is not None and d.amount <= d.grant.amount
    assert ProgressReport.objects.filter(is_demo=True).exists()
    assert overdue_projects().exists() and stalled_projects()
    assert ApplicationFingerprint.objects.count() > 50
    assert ShowcaseEntry.objects.exists() and ExportDirectory.objects.exists()
    assert generate(scale=0.05)["skipped"]

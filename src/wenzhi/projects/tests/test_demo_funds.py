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


def test_demo_text_varied_only_deliberate_copies_flagged(db, reference_data, users):
    from ..models import Application
    from ..selectors_progress import duplicate_matches

    registry_demo(scale=0.02)
    projects_demo(scale=0.05)
    generate(scale=0.05)
    apps = list(Application.objects.filter(is_demo=True).exclude(status="draft").order_by("id"))
    assert len({a.summary for a in apps}) > 0.95 * len(apps)  # not a dozen templates
    copies = {a.pk for a in apps if a.title.endswith("提升工程")}  # the deliberate re-applications
    assert len(copies) >= 6
    flagged = {a.pk for a in apps if duplicate_matches(a, passages=False)}
    originals = flagged - copies
    assert copies <= flagged  # every deliberate copy is caught...
    assert len(originals) <= len(copies)  # ...and besides them only the projects they copied

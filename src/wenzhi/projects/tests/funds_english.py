"""Latin rows of the funds, progress and promotion pages for the English-mode walk (tests/test_english.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone


def latin_funds_world(users, enterprise) -> None:
    """A fund with an approved allocation (a tranche paid) and a proposed one, a progress report, messages to the
    enterprise and its district, an export directory, the project on the showcase with interest, a fair."""
    from wenzhi.projects import services as p
    from wenzhi.projects.models import Application, Fund, Grant, InboxMessage, Project
    from wenzhi.projects.services import funds as f
    from wenzhi.projects.services import progress as pr
    from wenzhi.projects.services import promotion as pm

    admin = users["city_admin"]
    project = Project.objects.get(name="Harbour Digital Museum")
    app = Application.objects.get(title="Harbour VR Theatre")
    app.project = project
    app.requested_amount = Decimal(800_000)
    app.save(update_fields=["project", "requested_amount"])
    pr.application_fingerprint(application=app)
    fund = f.fund_create(actor=admin, name="Culture Fund 2026", year=2026, budget=Decimal(5_000_000),
                         description="Annual special fund")
    approved = f.allocation_propose(actor=admin, fund=fund, call=app.call, amount=Decimal(1_000_000),
                                    title="Key Projects Allocation")
    f.allocation_approve(actor=admin, allocation=approved)
    grant = Grant.objects.get(allocation=approved)
    m = p.milestone_add(actor=None, project=project, title="Galleries open", due=timezone.localdate())
    p.milestone_complete(actor=None, milestone=m, done_on=timezone.localdate(), evidence="Opening report")
    p.milestone_add(actor=None, project=project, title="Second hall", due=timezone.localdate() + dt.timedelta(days=90))
    f.disbursement_create(actor=admin, grant=grant, amount=Decimal(300_000), milestone=m, note="First tranche")
    f.allocation_propose(actor=admin, fund=fund, call=app.call, amount=Decimal(500_000), title="Reserve Allocation")
    p.project_funding_add(actor=None, project=project, source="social_capital", amount=Decimal(6_000_000), year=2026)
    pr.progress_report_submit(actor=users["enterprise_user"], project=project, year=2025, quarter=4,
                              investment_completed=Decimal(1_000_000), progress="Galleries fitted out and tested.")
    for org in (enterprise.organisation, project.district):
        InboxMessage.objects.create(organisation=org, kind="reminder", subject="Report due soon", body="Quarterly report",
                                    project=project)
    project.export_oriented = True
    project.save(update_fields=["export_oriented"])
    directory = pm.export_directory_create(actor=admin, year=2026, name="Export Projects 2026")
    pm.export_entry_add(actor=admin, directory=directory, project=project, markets="Europe")
    pm.export_directory_publish(actor=admin, directory=directory)
    pm.export_directory_create(actor=admin, year=2027, name="Export Projects 2027")
    pm.showcase_save(actor=admin, project=project, pitch="Immersive galleries seeking partners.", seeking=Decimal(2_000_000))
    fair = pm.fair_create(actor=admin, name="Beijing Tianjin Hebei Project Fair", held_on=timezone.localdate(),
                          venue="Meijiang Centre", projects=[project])
    pm.interest_submit(project=project, fair=fair, investor_name="Wang Wu", organisation="North Capital",
                       email="wang@example.org", message="Let us meet")
    assert Fund.objects.filter(name="Culture Fund 2026").exists()
    latin_imports_and_objections(users, enterprise)


def latin_imports_and_objections(users, enterprise) -> None:
    """Project-list imports (one checked with a row to commit and a problem, one still running) and the open
    notice's objection upheld, which changed the decision it was about."""
    from wenzhi.core.models import ImportRecord
    from wenzhi.projects import services as p
    from wenzhi.projects.models import Objection
    from wenzhi.projects.services import imports

    admin = users["city_admin"]
    text = f"项目名称,项目单位,计划总投资（万元）\nHarbour Light Garden,{enterprise.name},300\nUnknown Owner Park,Nobody Ltd,5\n"
    checked = imports.project_import_create(actor=admin, uploaded=text.encode(), filename="projects.csv")
    imports.project_import_run(actor=admin, record=checked)
    running = imports.project_import_create(actor=admin, uploaded=text.encode(), filename="more-projects.csv")
    ImportRecord.objects.filter(pk=running.pk).update(status=ImportRecord.Status.RUNNING, total_rows=2,
                                                      processed_rows=1)
    objection = Objection.objects.get(name="Li Si")
    p.objection_submit(notice=objection.notice, name="Zhao Liu", contact="zhao@example.org",  # left to answer
                       text="The budget seems too high for a design week.", application=objection.application)
    p.objection_answer(actor=admin, objection=objection, answer="Confirmed: the week took place last year.",
                       upheld=True, outcome="reserve")

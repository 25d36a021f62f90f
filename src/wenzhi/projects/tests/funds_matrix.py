"""Sample rows of the funds, progress and promotion routes for the projects authorization matrix
(``test_authorization.py`` adds them to its world): all in 和平区, owned by the matrix enterprise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

FUNDS_SAMPLES = {
    "projects:fund_detail": "fund", "projects:allocation_propose": "fund",
    "projects:allocation_detail": "allocation", "projects:allocation_approve": "allocation",
    "projects:grant_detail": "grant", "projects:grant_adjust": "grant", "projects:grant_disburse": "grant",
    "projects:progress_report_new": "project", "projects:showcase_edit": "project",
    "projects:application_duplicates": "application", "projects:message_read": "message",
    "projects:export_directory_detail": "directory", "projects:export_entry_add": "directory",
    "projects:export_directory_publish": "directory", "projects:showcase_detail": "project",
    "projects:fair_detail": "fair", "projects:fair_add_project": "fair", "projects:fair_interest": "fair",
    "fund-detail": "fund", "fund-propose": "fund", "fund-allocation-detail": "allocation",
    "fund-allocation-approve": "allocation", "grant-detail": "grant", "grant-adjust": "grant",
    "grant-disburse": "grant", "disbursement-detail": "disbursement", "progress-report-detail": "report",
}


def funds_rows(orgs: dict, rows: dict) -> dict:
    """A fund with an approved allocation, a grant on the matrix application with one paid tranche, a progress
    report, a message to 和平区, a published export directory, the project on the showcase and a fair."""
    from ..models import (
        Disbursement,
        ExportDirectory,
        ExportDirectoryEntry,
        Fair,
        Fund,
        FundAllocation,
        Grant,
        InboxMessage,
        Milestone,
        ProgressReport,
        ShowcaseEntry,
    )
    from ..services.progress import application_fingerprint

    project, app = rows["project"], rows["application"]
    app.project = project
    app.save(update_fields=["project"])
    application_fingerprint(application=app)
    fund = Fund.objects.create(name="矩阵专项资金", year=2026, budget=Decimal(10_000_000))
    allocation = FundAllocation.objects.create(fund=fund, call=rows["call"], title="矩阵方案", amount=Decimal(1_000_000),
                                               status="approved", approved_at=timezone.now())
    grant = Grant.objects.create(allocation=allocation, application=app, project=project, enterprise=app.enterprise,
                                 district=app.district, score=80, min_amount=Decimal(100_000),
                                 max_amount=Decimal(500_000), proposed_amount=Decimal(500_000),
                                 amount=Decimal(500_000), reason="at_max", score_per_yuan=80 / 500_000)
    milestone = Milestone.objects.create(project=project, title="开工", due=dt.date(2026, 1, 1),
                                         done_on=dt.date(2026, 1, 1), evidence="开工报告")
    tranche = Disbursement.objects.create(grant=grant, milestone=milestone, amount=Decimal(100_000),
                                          paid_on=dt.date(2026, 1, 2))
    report = ProgressReport.objects.create(project=project, year=2025, quarter=4, progress="矩阵进度报告内容。",
                                           evidence=SimpleUploadedFile("m.pdf", b"%PDF-1.4"))
    message = InboxMessage.objects.create(organisation=orgs["heping"], kind="overdue", subject="矩阵消息",
                                          body="矩阵", project=project)
    directory = ExportDirectory.objects.create(year=2026, name="矩阵出口目录", published_on=dt.date(2026, 1, 1))
    project.export_oriented = True
    project.save(update_fields=["export_oriented"])
    ExportDirectoryEntry.objects.create(directory=directory, project=project)
    ShowcaseEntry.objects.create(project=project, pitch="矩阵项目推介内容，十个字以上。")
    fair = Fair.objects.create(name="矩阵推介会", held_on=dt.date(2026, 9, 1), venue="天津")
    fair.projects.add(project)
    return {"fund": fund, "allocation": allocation, "grant": grant, "disbursement": tranche, "report": report,
            "message": message, "directory": directory, "fair": fair}

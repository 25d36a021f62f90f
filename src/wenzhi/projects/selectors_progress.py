"""Reads of progress and checks, scoped by the permission table: progress reports, the overdue list, stalled
projects, near-duplicate applications (with passages side by side) and projects funded twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from wenzhi.core.permissions import can, restrict

from .choices import Stage
from .choices_funds import AllocationStatus
from .duplicates import DEFAULT_THRESHOLD, Fingerprint, Passage, matched_passages, prefilter, verify
from .models import (
    Application,
    ApplicationFingerprint,
    FingerprintBand,
    Grant,
    InboxMessage,
    ProgressReport,
    Project,
)
from .services.progress import REPORTING_STAGES, application_text, last_due_quarter, quarter_end

# Days in one stage after which a project is flagged as stalled (储备 two years, 培育 one year, 在建 18 months).
STALL_DAYS: dict[str, int] = {Stage.RESERVE: 730, Stage.INCUBATING: 365, Stage.UNDER_CONSTRUCTION: 548}


def progress_report_list(*, user) -> QuerySet[ProgressReport]:
    """Progress reports of the projects the user may see."""
    qs = ProgressReport.objects.select_related("project", "project__district", "project__owner", "milestone")
    return restrict(qs, user, "progress.view")


def overdue_projects(*, today: dt.date | None = None, user=None) -> QuerySet[Project]:
    """Projects in 培育 or 在建 (since before the quarter ended) with no report for the last due quarter."""
    today = today or timezone.localdate()
    y, q = last_due_quarter(today)
    reported = ProgressReport.objects.filter(project=OuterRef("pk"), year=y, quarter=q)
    qs = (Project.objects.filter(stage__in=REPORTING_STAGES)
          .filter(Q(stage_changed_on__isnull=True) | Q(stage_changed_on__lte=quarter_end(y, q)))
          .exclude(Exists(reported))
          .select_related("owner", "district"))
    if user is not None:
        qs = restrict(qs, user, "progress.monitor")
    return qs.order_by("district__name", "name")


def enterprise_has_overdue_report(enterprise) -> bool:
    """Whether the enterprise owns a project whose progress report for the last due quarter is missing
    (the eligibility check ``no_overdue_report`` of calls)."""
    return overdue_projects().filter(owner_id=enterprise.pk).exists()


@dataclass
class StalledProject:
    project: Project
    since: dt.date
    days: int
    limit: int


def stalled_projects(*, user=None, today: dt.date | None = None) -> list[StalledProject]:
    """Live projects that stayed in their stage longer than ``STALL_DAYS`` allows, longest first."""
    today = today or timezone.localdate()
    qs = Project.objects.filter(stage__in=list(STALL_DAYS)).select_related("owner", "district")
    if user is not None:
        qs = restrict(qs, user, "progress.monitor")
    q = Q()
    for stage, days in STALL_DAYS.items():
        cutoff = today - dt.timedelta(days=days)
        q |= Q(stage=stage) & (Q(stage_changed_on__lte=cutoff)
                               | Q(stage_changed_on__isnull=True, created_at__date__lte=cutoff))
    out = []
    for p in qs.filter(q)[:2000]:
        since = p.stage_changed_on or timezone.localtime(p.created_at).date()
        out.append(StalledProject(p, since, (today - since).days, STALL_DAYS[p.stage]))
    out.sort(key=lambda s: -s.days)
    return out


@dataclass
class DuplicateMatch:
    """An earlier application near-duplicating the one checked, with the matched passages side by side."""

    application: Application
    similarity: float
    passages: list[Passage] = field(default_factory=list)


def duplicate_matches(application: Application, *, threshold: float = DEFAULT_THRESHOLD,
                      passages: bool = True, limit: int = 20) -> list[DuplicateMatch]:
    """Other applications (any call, district or year) whose text near-duplicates this one's, the ``limit``
    most similar.

    Candidates come from the stored LSH band keys; their signatures are compared at once; the few left get
    the exact check. The application's own fingerprint is computed on the fly when it has none yet."""
    from .duplicates import fingerprint
    from .services.progress import fingerprints_backfill

    fingerprints_backfill()
    stored = ApplicationFingerprint.objects.filter(application=application).first()
    fp = Fingerprint(stored.canonical, tuple(stored.bands.values_list("key", flat=True)), bytes(stored.signature)) \
        if stored else fingerprint(application_text(application), threshold=threshold)
    if not fp.keys:
        return []
    cand_ids = set(FingerprintBand.objects.filter(key__in=fp.keys).values_list("fingerprint_id", flat=True))
    sigs = list(ApplicationFingerprint.objects.filter(pk__in=cand_ids).exclude(application=application)
                .values_list("pk", "signature"))
    keep = prefilter(fp, [(pk, bytes(sig)) for pk, sig in sigs], threshold)
    rows = dict(ApplicationFingerprint.objects.filter(pk__in=keep).values_list("pk", "canonical"))
    matches = verify(fp, rows.items(), threshold)[:limit]
    app_of = dict(ApplicationFingerprint.objects.filter(pk__in=[m.key for m in matches])
                  .values_list("pk", "application_id"))
    apps = Application.objects.select_related("call", "enterprise", "district").in_bulk(list(app_of.values()))
    me = application_text(application)
    out = []
    for m in matches:
        other = apps[app_of[m.key]]
        out.append(DuplicateMatch(other, m.similarity,
                                  matched_passages(me, application_text(other)) if passages else []))
    return out


def visible_duplicates(*, user, application: Application) -> list[DuplicateMatch]:
    """Near-duplicates shown on the review page: only to those who may run the check, and only matches the
    user may open."""
    if not can(user, "application.duplicates", application):
        return []
    return [m for m in duplicate_matches(application) if can(user, "application.view", m.application)]


@dataclass
class DoubleFunding:
    """An enterprise funded more than once for one project (the same project, or near-duplicate texts)."""

    enterprise_name: str
    project_name: str
    grants: list[Grant]
    why: str


def double_funding_flags(*, user) -> list[DoubleFunding]:
    """Approved grants that fund the same enterprise twice for one project: two grants on the same project,
    or two funded applications of the enterprise whose texts near-duplicate each other."""
    grants = restrict(Grant.objects.filter(allocation__status=AllocationStatus.APPROVED, amount__gt=0)
                      .select_related("application", "enterprise", "project", "allocation__fund"),
                      user, "progress.monitor")
    flags: list[DoubleFunding] = []
    twice = (grants.filter(project__isnull=False).values("project").annotate(n=Count("id")).filter(n__gt=1)
             .values_list("project", flat=True))
    by_project: dict[int, list[Grant]] = {}
    for g in grants.filter(project__in=list(twice)):
        assert g.project_id is not None
        by_project.setdefault(g.project_id, []).append(g)
    for gs in by_project.values():
        flags.append(DoubleFunding(gs[0].enterprise.name, gs[0].project.name if gs[0].project else "", gs,
                                   "same_project"))
    seen = {g.pk for gs in by_project.values() for g in gs}
    flags.extend(_near_duplicate_grants([g for g in grants if g.pk not in seen]))
    return flags


def _near_duplicate_grants(grants: list[Grant]) -> list[DoubleFunding]:
    """Pairs of one enterprise's funded applications whose texts near-duplicate each other (compared within
    each enterprise only, from the stored canonical texts)."""
    from .duplicates import similarity
    from .services.progress import fingerprints_backfill

    by_ent: dict[int, list[Grant]] = {}
    for g in grants:
        by_ent.setdefault(g.enterprise_id, []).append(g)
    multi = [gs for gs in by_ent.values() if len(gs) > 1]
    if not multi:
        return []
    fingerprints_backfill()
    canon = dict(ApplicationFingerprint.objects.filter(
        application_id__in=[g.application_id for gs in multi for g in gs]).values_list("application_id", "canonical"))
    out = []
    for gs in multi:
        used: set[int] = set()
        for i, a in enumerate(gs):
            for b in gs[i + 1:]:
                if a.pk in used or b.pk in used:
                    continue
                if similarity(canon.get(a.application_id, ""), canon.get(b.application_id, "")) >= DEFAULT_THRESHOLD:
                    out.append(DoubleFunding(a.enterprise.name, a.application.title, [a, b], "near_duplicate"))
                    used.update({a.pk, b.pk})
    return out


def messages_for(*, user) -> QuerySet[InboxMessage]:
    """The in-app messages of the user's organisation."""
    if not user.is_authenticated or not user.organisation_id:
        return InboxMessage.objects.none()
    return InboxMessage.objects.filter(organisation_id=user.organisation_id).select_related("project")

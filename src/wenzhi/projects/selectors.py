"""Every read of projects, calls, applications and reviews for a user, scoped by the permission table.

City: everything; district officer: their district's projects and applications; park operator: its park's
projects; enterprise user: its own; expert reviewer: only the applications assigned to them. Calls are read by
every signed-in role that takes part; the notice and the final list are public once opened or published.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from wenzhi.core.choices import Role
from wenzhi.core.permissions import can, restrict

from .choices import NoticeStatus, ReviewStatus
from .models import Application, Call, Project, PublicNotice, Review
from .ranking import rank_reviews


def project_list(*, user) -> QuerySet[Project]:
    """Projects the user may see (by district, park or own enterprise)."""
    qs = Project.objects.select_related("district", "park", "owner")
    return restrict(qs, user, "project.view")


def call_list(*, user) -> QuerySet[Call]:
    """Calls: every call for the city and for applicants and experts; a district officer's own district's
    calls and the city's."""
    if not can(user, "call.view"):
        return Call.objects.none()
    qs = Call.objects.select_related("district").annotate(
        application_count=Count("applications", filter=~Q(applications__status="draft")))
    from wenzhi.core.scoping import scope_for

    scope = scope_for(user)
    if scope.kind == "district":
        return qs.filter(Q(district__isnull=True) | Q(district_id=scope.organisation_id))
    return qs


def application_list(*, user) -> QuerySet[Application]:
    """Applications: the city all, a district its own, an enterprise its own, an expert those assigned."""
    qs = Application.objects.select_related("call", "enterprise", "district")
    if not can(user, "application.view"):
        return qs.none()
    if user.has_role(Role.EXPERT_REVIEWER) and not user.has_role(Role.CITY_ADMIN):
        return qs.filter(assignments__expert=user).exclude(status="draft")
    qs = restrict(qs, user, "application.view")
    from wenzhi.core.scoping import scope_for

    if scope_for(user).kind != "enterprise":
        qs = qs.exclude(status="draft")  # a draft is the enterprise's own until submitted
    return qs


def reviews_for(*, user, application: Application) -> QuerySet[Review]:
    """The reviews of an application a user may read: officials all; an expert their own, and the others'
    submitted reviews once their own is submitted when the call shares reviews; an applicant none."""
    qs = application.reviews.select_related("expert").prefetch_related("scores")
    if can(user, "call.rank", application.call):
        return qs
    if user.is_authenticated and user.has_role(Role.EXPERT_REVIEWER):
        own = qs.filter(expert=user)
        if application.call.reviews_shared and own.filter(status=ReviewStatus.SUBMITTED).exists():
            return qs.filter(Q(expert=user) | Q(status=ReviewStatus.SUBMITTED))
        return own
    return qs.none()


@dataclass(frozen=True)
class ReviewFigure:
    """One submitted review as the ranking needs it (read as plain values, not model rows)."""

    pk: int
    total: float
    expert_name: str


@dataclass
class RankRow:
    """One application's line of a call's ranking."""

    application: Application
    count: int
    total: float | None
    mean: float | None
    trimmed_mean: float | None
    spread: float | None
    rank: int
    reviews: list[tuple[ReviewFigure, bool]]  # (review, flagged as an outlier)

    @property
    def outlier_reviews(self) -> list[ReviewFigure]:
        return [review for review, flagged in self.reviews if flagged]

    @property
    def outliers(self) -> int:
        return sum(1 for _r, flagged in self.reviews if flagged)


def _num(value) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), 2)


# What a ranking row shows: loading whole enterprise rows (JSON evidence, scopes) cost most of the page.
RANKING_COLUMNS = ("id", "title", "status", "version", "call_id", "is_demo", "enterprise_id", "district_id",
                   "enterprise__name", "district__name")


def call_ranking(*, call: Call, applications: QuerySet[Application] | None = None) -> list[RankRow]:
    """The ranking of a call's applications in review or decided, from their submitted reviews (one query
    for the applications, one for the reviews, one vectorised computation: ``ranking.rank_reviews``)."""
    apps = list((applications if applications is not None else call.applications.all())
                .filter(status__in=["district_recommended", "under_review", "decided"])
                .select_related("enterprise", "district").order_by("id")
                .only(*RANKING_COLUMNS))
    index = {a.pk: i for i, a in enumerate(apps)}
    rows = (Review.objects.filter(application__call_id=call.pk, status=ReviewStatus.SUBMITTED)
            .order_by("application_id", "id")
            .values_list("id", "application_id", Cast("total", FloatField()), "expert__display_name",
                         "expert__username"))  # a float, not a Decimal: SQLite's decimal converter was 1/4 of the page
    reviews = [(ReviewFigure(pk, float(total), name or username), index[app_id])
               for pk, app_id, total, name, username in rows if app_id in index]
    app_idx = np.fromiter((i for _r, i in reviews), dtype=np.int64, count=len(reviews))
    totals = np.fromiter((r.total for r, _i in reviews), dtype=np.float64, count=len(reviews))
    result = rank_reviews(app_idx, totals, len(apps))
    per_app: list[list[tuple[ReviewFigure, bool]]] = [[] for _ in apps]
    for i, (review, _i) in enumerate(reviews):
        per_app[app_idx[i]].append((review, bool(result.outlier[i])))
    ranked = [RankRow(application=a, count=int(result.count[i]), total=_num(result.total[i]),
                    mean=_num(result.mean[i]), trimmed_mean=_num(result.trimmed_mean[i]),
                    spread=_num(result.spread[i]), rank=int(result.rank[i]), reviews=per_app[i])
            for i, a in enumerate(apps)]
    return sorted(ranked, key=lambda r: r.rank)


def notice_public(*, pk: int) -> PublicNotice:
    """A notice the public may read: open for objections, closed or published (404 otherwise)."""
    return PublicNotice.objects.select_related("call").get(
        pk=pk, status__in=[NoticeStatus.OPEN, NoticeStatus.CLOSED, NoticeStatus.PUBLISHED])


def expert_users() -> QuerySet:
    """Active accounts with the expert reviewer role (roles are a JSON list: filtered in Python on a small set)."""
    from wenzhi.core.models import User

    return User.objects.filter(is_active=True, roles__icontains=Role.EXPERT_REVIEWER).select_related("organisation")


def published_selection(*, year: int) -> list[tuple[PublicNotice, list]]:
    """The final lists the city published for its calls of ``year``: ``[(notice, selected decisions best first)]``.

    Public data (``notice.view_public``: anyone may read a published list), so read without a user; the central
    kitchen's machine-written announcement is drafted from it and checked against it again before approval."""
    from .choices import CallLevel, NoticeStatus
    from .services.selection import selected_decisions

    notices = (PublicNotice.objects.filter(status=NoticeStatus.PUBLISHED, call__year=year, call__level=CallLevel.CITY)
               .select_related("call").order_by("call_id"))
    return [(notice, list(selected_decisions(notice.call).select_related("application__enterprise")))
            for notice in notices]

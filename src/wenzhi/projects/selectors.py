"""Every read of projects, calls, applications and reviews for a user, scoped by the permission table.

City: everything; district officer: their district's projects and applications; park operator: its park's
projects; enterprise user: its own; expert reviewer: only the applications assigned to them. Calls are read by
every signed-in role that takes part; the notice and the final list are public once opened or published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from django.db import connection
from django.db.models import Count, FilteredRelation, FloatField, Q, QuerySet
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


def call_list(*, user, counted: bool = True) -> QuerySet[Call]:
    """Calls: every call for the city and for applicants and experts; a district officer's own district's
    calls and the city's. ``counted``: with ``application_count`` (submitted applications), for the list."""
    if not can(user, "call.view"):
        return Call.objects.none()
    qs = Call.objects.select_related("district")
    if counted:
        qs = qs.annotate(application_count=Count("applications", filter=~Q(applications__status="draft")))
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
    expert_name: str  # read for the flagged reviews only (the page names who gave an outlier score)


@dataclass(frozen=True)
class RankedApplication:
    """What a ranking line shows of its application, read as plain values (one narrow query per page)."""

    pk: int
    title: str
    status: str
    version: int
    enterprise_id: int
    enterprise_name: str
    district_id: int | None
    district_name: str
    outcome: str  # the decision taken, "" if none

    @property
    def id(self) -> int:
        return self.pk


@dataclass
class RankRow:
    """One application's line of a call's ranking."""

    application: RankedApplication
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


# What a ranking line reads of its application (RankedApplication's fields, in order).
RANKING_COLUMNS = ("id", "title", "status", "version", "enterprise_id", "enterprise__name", "district_id",
                   "district__name", "decision__outcome")
RANKED_STATUSES = ("district_recommended", "under_review", "decided")


class CallRanking(Sequence[RankRow]):
    """A call's ranking computed from application ids and submitted review totals only (two narrow queries and
    one vectorised pass, ``ranking.rank_reviews``); full rows are loaded only for the slice that is shown.

    It is a sequence of :class:`RankRow` in rank order: ``len()`` is cheap, ``ranking[a:b]`` loads the
    applications (and reviewers' names) of that slice only, so a ``Paginator`` over it reads one page.
    """

    def __init__(self, call: Call, applications: QuerySet[Application] | None = None) -> None:
        self.call_id = call.pk
        apps = (applications if applications is not None else call.applications.all()).filter(
            status__in=RANKED_STATUSES)
        # One query, one line per submitted review (and one for an application without any): the application's
        # id, the review's id and total — and nothing else (left join on the submitted reviews).
        lines = apps.annotate(submitted=FilteredRelation("reviews", condition=Q(
            reviews__status=ReviewStatus.SUBMITTED))).order_by().values_list(
            "id", "submitted__id", Cast("submitted__total", FloatField()))
        data = _fetch_floats(lines, 3)
        self.app_ids = np.unique(data[:, 0].astype(np.int64))
        has_review = ~np.isnan(data[:, 1])
        ids, app = data[has_review, 1].astype(np.int64), data[has_review, 0].astype(np.int64)
        order = np.lexsort((ids, app))
        self.review_ids, self.review_totals = ids[order], data[has_review, 2][order]
        self.review_app = np.searchsorted(self.app_ids, app[order])
        self.result = rank_reviews(self.review_app, self.review_totals, len(self.app_ids))
        self.order = np.argsort(self.result.rank, kind="stable")  # positions in app_ids, best first

    def __len__(self) -> int:
        return int(self.app_ids.size)

    @overload
    def __getitem__(self, key: int) -> RankRow: ...

    @overload
    def __getitem__(self, key: slice) -> list[RankRow]: ...

    def __getitem__(self, key: int | slice) -> RankRow | list[RankRow]:
        if isinstance(key, slice):
            return self.rows(self.order[key])
        return self.rows(self.order[[key]])[0]

    def row_for(self, application_id: int) -> RankRow | None:
        """The ranking line of one application (None when it is not ranked)."""
        position = int(np.searchsorted(self.app_ids, application_id))
        if position >= self.app_ids.size or self.app_ids[position] != application_id:
            return None
        return self.rows(np.array([position]))[0]

    def _applications(self, positions: np.ndarray) -> QuerySet[Application]:
        wanted = Application.objects.filter(call_id=self.call_id).order_by()
        if len(positions) > 500:  # most of the call: no long IN list (SQLite caps the parameters of a query)
            return wanted
        return wanted.filter(pk__in=[int(self.app_ids[p]) for p in positions])

    def rows(self, positions: np.ndarray | None = None) -> list[RankRow]:
        """The lines at ``positions`` (indices into ``app_ids``; default every line in rank order), with their
        applications and their reviewers' names loaded in two queries."""
        positions = self.order if positions is None else np.asarray(positions, dtype=np.int64)
        apps = {pk: RankedApplication(pk, title, status, version, ent, ent_name, district, district_name or "",
                                      outcome or "")
                for pk, title, status, version, ent, ent_name, district, district_name, outcome
                in self._applications(positions).values_list(*RANKING_COLUMNS)}
        wanted = np.flatnonzero(np.isin(self.review_app, positions))
        flagged = self.review_ids[wanted[self.result.outlier[wanted]]].tolist()
        names = {pk: name or username for pk, name, username in Review.objects.filter(pk__in=flagged).order_by()
                 .values_list("id", "expert__display_name", "expert__username")} if flagged else {}
        per_app: dict[int, list[tuple[ReviewFigure, bool]]] = {}
        for i in wanted:
            pk = int(self.review_ids[i])
            per_app.setdefault(int(self.review_app[i]), []).append(
                (ReviewFigure(pk, float(self.review_totals[i]), names.get(pk, "")), bool(self.result.outlier[i])))
        r = self.result
        return [RankRow(application=apps[int(self.app_ids[p])], count=int(r.count[p]), total=_num(r.total[p]),
                        mean=_num(r.mean[p]), trimmed_mean=_num(r.trimmed_mean[p]), spread=_num(r.spread[p]),
                        rank=int(r.rank[p]), reviews=per_app.get(int(p), [])) for p in positions]


def _fetch_floats(queryset: QuerySet, width: int) -> np.ndarray:
    """The rows of a ``values_list`` query as a float matrix (NULL as NaN), read through the cursor from the ORM's
    own SQL: no per-value converters (a Decimal per review total was a quarter of the ranking page on SQLite)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, width)


def call_ranking(*, call: Call, applications: QuerySet[Application] | None = None) -> list[RankRow]:
    """The whole ranking of a call's applications in review or decided, best first (the xlsx export, the API,
    the demo); pages use :class:`CallRanking` and load only the rows they show."""
    return CallRanking(call, applications).rows()


def project_import_records(*, user) -> QuerySet:
    """Project-list import records the user may open: every one for the city, those started by the district's
    users for a district officer (as the registry's imports), none for anyone else."""
    from wenzhi.core.models import ImportRecord
    from wenzhi.core.scoping import scope_for

    qs = ImportRecord.objects.filter(kind="project").select_related("created_by")
    if not can(user, "project.import"):
        return qs.none()
    scope = scope_for(user)
    if scope.is_city:
        return qs
    if scope.kind == "district" and scope.organisation_id is not None:
        return qs.filter(created_by__organisation_id=scope.organisation_id)
    return qs.none()


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

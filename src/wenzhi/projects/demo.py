"""Labelled demo history of the project library (``wenzhi demo``): three years of calls, ≈2,000 applications at
``scale=1`` with district opinions, expert reviews (the demo ``expert`` account among eleven experts),
decisions, public notices with answered objections and published lists, the selected projects in the library
with stages, funding and milestones, and this year's open call with work waiting for the demo expert.

Every row is ``is_demo`` where the model has the flag; rows are written with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from wenzhi.core.choices import Role
from wenzhi.core.models import User
from wenzhi.registry.choices import Sector
from wenzhi.registry.classification import intelligent_score
from wenzhi.registry.constants import INTELLIGENT_THRESHOLD
from wenzhi.registry.models import Enterprise

from .choices import (
    ApplicationStatus,
    FundingSource,
    NoticeStatus,
    Outcome,
    ProjectLevel,
    ReviewStatus,
    Stage,
)
from .demo_text import reworded, title_and_summary
from .models import (
    Application,
    Call,
    Decision,
    ExpertAssignment,
    Milestone,
    Objection,
    Project,
    ProjectFunding,
    ProjectTransition,
    PublicNotice,
    Review,
    ReviewScore,
)
from .rubric import DEFAULT_RUBRIC, weighted_total
from .services.calls import DEFAULT_ATTACHMENTS, DEFAULT_ELIGIBILITY

REASON = "演示数据"
YEARS = (2016, 2017, 2018)
STEP_TO: dict[str, str] = {Stage.INCUBATING: "incubate", Stage.UNDER_CONSTRUCTION: "start_construction", Stage.COMPLETED: "complete",
           Stage.TERMINATED: "terminate"}
EXPERT_NAMES = ["王立群", "李晓峰", "张慧敏", "刘志远", "陈雅琴", "杨振华", "赵文博", "黄思远", "周明远", "吴佳宁"]


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Generate the demo project history; does nothing when demo calls already exist."""
    if Call.all_objects.filter(is_demo=True).exists():
        return {"skipped": "演示项目库已存在", "calls": Call.objects.filter(is_demo=True).count()}
    enterprises = list(Enterprise.objects.filter(is_demo=True).exclude(credit_code="")
                       .only("id", "name", "district_id", "park_id", "sector", "culture_category", "organisation_id")
                       .order_by("id")[: max(200, int(6000 * scale))])
    if not enterprises:
        return {"skipped": "没有演示企业，先生成演示登记库"}
    rng = random.Random(20181201)
    experts = _experts()
    per_call = max(8, round(600 * scale))
    counts = {"calls": 0, "applications": 0, "reviews": 0, "projects": 0}
    earlier: list[Application] = []
    for year in YEARS:
        call = _call(year, past=True)
        apps = _applications(rng, call, enterprises, per_call, decided=True, earlier=earlier)
        earlier += apps
        counts["reviews"] += _reviews(rng, call, apps, experts, submitted=True)
        selected = _decisions(rng, call, apps)
        counts["projects"] += _publish(rng, call, selected, year)
        district_call = _call(year, past=True, district_id=enterprises[0].district_id)
        local = [e for e in enterprises if e.district_id == district_call.district_id]
        dapps = _applications(rng, district_call, local, max(4, per_call // 10), decided=True)
        counts["reviews"] += _reviews(rng, district_call, dapps, experts, submitted=True)
        _decisions(rng, district_call, dapps)
        counts["calls"] += 2
        counts["applications"] += len(apps) + len(dapps)
    current = _call(timezone.localdate().year, past=False)
    apps = _applications(rng, current, enterprises, max(6, per_call // 3), decided=False, earlier=earlier)
    counts["reviews"] += _reviews(rng, current, apps[: len(apps) // 2], experts, submitted=False)
    counts["calls"] += 1
    counts["applications"] += len(apps)
    counts["projects"] += _library(rng, enterprises, max(20, round(1000 * scale)))
    return counts


def _experts() -> list[User]:
    """The demo ``expert`` account (created here if ``wenzhi demo`` has not made it yet) and ten more."""
    out = []
    if settings.WENZHI_DEMO_ACCOUNTS:
        from wenzhi.core.demo import demo_accounts

        demo_accounts()
        demo = User.objects.filter(username="expert").first()
        if demo is not None:
            out.append(demo)
    for i, name in enumerate(EXPERT_NAMES, start=1):
        user = User.objects.filter(username=f"demo_expert_{i:02d}").first()
        if user is None:
            user = User(username=f"demo_expert_{i:02d}", display_name=f"{name}（演示专家）", roles=[Role.EXPERT_REVIEWER],
                        is_demo=True)
            from wenzhi.core.demo import DEMO_PASSWORD

            if settings.WENZHI_DEMO_ACCOUNTS:  # listed with the demo accounts: they sign in like them
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
        out.append(user)
    return out


def _call(year: int, *, past: bool, district_id: int | None = None) -> Call:
    tz = timezone.get_current_timezone()
    if past:
        opens = dt.datetime(year, 3, 1, 9, tzinfo=tz)
        closes, review = dt.datetime(year, 4, 30, 17, tzinfo=tz), dt.datetime(year, 6, 30, 17, tzinfo=tz)
    else:
        opens = timezone.now() - dt.timedelta(days=10)
        closes, review = opens + dt.timedelta(days=60), opens + dt.timedelta(days=120)
    level = "district" if district_id else "city"
    name = (f"{year} 年区级重点文化产业项目申报（演示）" if district_id
            else f"{year} 年天津市重点文化产业项目申报（演示）")
    call = Call(name=name, year=year, level=level, district_id=district_id, opens_at=opens, closes_at=closes,
                review_deadline=review, description="围绕“建成一批、储备一批、培育一批”，重点支持智能文化创意项目。",
                eligibility=dict(DEFAULT_ELIGIBILITY), attachments=DEFAULT_ATTACHMENTS,
                questions=[{"key": "jobs", "label": "带动就业人数", "required": True}], rubric=DEFAULT_RUBRIC,
                budget=Decimal(8000 if district_id else 150000) * 10000, reviews_shared=year % 2 == 0,
                conflict_rules={"same_district": True}, is_demo=True)
    call._change_reason = REASON  # type: ignore[attr-defined]  # read by simple_history on save
    call.save()
    return call


def _sector_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Sector.choices}


def _applications(rng, call: Call, enterprises, n: int, *, decided: bool,
                  earlier: Sequence[Application] = ()) -> list[Application]:
    """``n`` applications, each with its own text (``demo_text``); about one in a hundred (at least two when there
    are earlier ones) deliberately re-applies an earlier year's project under a new name, which the near-duplicate
    check is there to catch."""
    rows = []
    now = timezone.now()
    sectors = _sector_labels()
    chosen = rng.sample(enterprises, min(n, len(enterprises)))
    copies = set(rng.sample(range(len(chosen)), min(len(chosen), max(2, len(chosen) // 100)))) if earlier else set()
    for i, ent in enumerate(chosen):
        if i in copies:
            original = rng.choice(earlier)
            title, text = reworded(rng, original.title, original.summary)
        else:
            title, text = title_and_summary(rng, enterprise=ent.name, sector=sectors.get(ent.sector or "", ""))
        score, evidence = intelligent_score(f"{title} {text}")
        roll = rng.random()
        if decided:
            status = ApplicationStatus.DISTRICT_REJECTED if roll < 0.1 else ApplicationStatus.DECIDED
        else:
            status = (ApplicationStatus.SUBMITTED, ApplicationStatus.DISTRICT_RECOMMENDED,
                      ApplicationStatus.UNDER_REVIEW)[int(roll * 3)]
        submitted = call.opens_at + dt.timedelta(days=rng.randint(1, 50)) if decided else now
        rows.append(Application(
            call=call, enterprise_id=ent.pk, district_id=ent.district_id, title=title, summary=text,
            planned_investment=Decimal(rng.randint(200, 50000)) * 10000,
            requested_amount=Decimal(rng.randint(20, 800)) * 10000, answers={"jobs": str(rng.randint(10, 500))},
            status=status, version=3, submitted_at=submitted, district_opinion="同意推荐" if roll >= 0.1 else "材料不全，暂不推荐",
            district_reviewed_at=submitted, intelligent_score=score, intelligent_evidence=evidence, is_demo=True))
    Application.objects.bulk_create(rows, batch_size=1000)
    return list(Application.objects.filter(call=call).select_related("enterprise").order_by("id"))


def _reviews(rng, call: Call, apps, experts, *, submitted: bool) -> int:
    """Five reviews per application in review (the demo expert's share left unscored on an open call)."""
    apps = [a for a in apps if a.status in (ApplicationStatus.DECIDED, ApplicationStatus.UNDER_REVIEW)]
    assignments = []
    for app in apps:
        for expert in rng.sample(experts, min(5, len(experts))):
            assignments.append(ExpertAssignment(application=app, expert=expert))
    ExpertAssignment.objects.bulk_create(assignments, batch_size=2000)
    assignments = list(ExpertAssignment.objects.filter(application__call=call).select_related("expert"))
    reviews, scores = [], []
    for a in assignments:
        if not submitted and a.expert.username == "expert":
            continue  # waiting for the demo expert
        quality = 0.4 + 0.5 * ((a.application_id * 7919) % 100) / 100
        values = {c["key"]: Decimal(str(max(0, min(c["max_score"], round(rng.gauss(quality * c["max_score"], 1.2) * 2) / 2))))
                  for c in call.rubric}
        reviews.append(Review(assignment=a, application_id=a.application_id, expert_id=a.expert_id,
                              status=ReviewStatus.SUBMITTED, total=weighted_total(call.rubric, values),
                              comment="演示评审意见", submitted_at=timezone.now()))
        scores.append(values)
    Review.objects.bulk_create(reviews, batch_size=2000)
    ReviewScore.objects.bulk_create([ReviewScore(review=r, criterion=k, score=v) for r, values in zip(reviews, scores, strict=True)
                                     for k, v in values.items()], batch_size=5000)
    return len(reviews)


def _decisions(rng, call: Call, apps) -> list[Decision]:
    """City key, district key and reserve by rank (5 %, 10 %, 15 %), the rest rejected; with their reasons."""
    from .selectors import call_ranking

    rows = call_ranking(call=call)
    full = {a.pk: a for a in apps}  # the ranking reads a few columns; the projects need the whole rows
    n = len(rows)
    decisions = []
    for row in rows:
        share = row.rank / max(n, 1)
        outcome = (Outcome.CITY_KEY if share <= 0.05 and call.level == "city" else
                   Outcome.DISTRICT_KEY if share <= 0.15 else Outcome.RESERVE if share <= 0.30 else Outcome.REJECTED)
        decisions.append(Decision(application=full[row.application.pk], outcome=outcome, reason=f"评审排名第 {row.rank} 位",
                                  score=Decimal(str(row.trimmed_mean or 0)), rank=row.rank))
    Decision.objects.bulk_create(decisions, batch_size=2000)
    return [d for d in decisions if d.outcome != Outcome.REJECTED]


def _publish(rng, call: Call, selected: list[Decision], year: int) -> int:
    """The call's notice (published, with two answered objections) and its selected projects in the library."""
    notice = PublicNotice(call=call, title=f"{call.name}拟入选项目公示", document_number=f"津文产〔{year}〕{rng.randint(10, 60)}号",
                          opens_on=dt.date(year, 7, 1), closes_on=dt.date(year, 7, 7), status=NoticeStatus.PUBLISHED,
                          published_at=dt.datetime(year, 7, 15, 10, tzinfo=timezone.get_current_timezone()), is_demo=True)
    notice.save()
    Objection.objects.bulk_create([Objection(notice=notice, application=d.application, name="演示异议人",
                                             contact="022-00000000", text="该项目实际投资额与申报材料不符，请核实。",
                                             answer="经核实，申报材料属实，维持原决定。", answered_at=notice.published_at)
                                   for d in selected[:2]])
    levels: dict[str, str] = {Outcome.CITY_KEY: ProjectLevel.CITY_KEY, Outcome.DISTRICT_KEY: ProjectLevel.DISTRICT_KEY,
              Outcome.RESERVE: ProjectLevel.LIBRARY}
    projects = [_project(rng, d.application, levels[d.outcome], year) for d in selected]
    created = bulk_create_with_history(projects, Project, batch_size=1000, default_change_reason=REASON)
    by_title = {(p.owner_id, p.name): p for p in Project.objects.filter(is_demo=True, start_year=year)}
    apps = []
    for d in selected:
        d.application.project = by_title.get((d.application.enterprise_id, d.application.title))
        apps.append(d.application)
    Application.objects.bulk_update(apps, ["project"], batch_size=1000)
    _project_details(rng, [p for p in by_title.values()])
    return len(created)


def _project(rng, app: Application, level: str, year: int) -> Project:
    age = timezone.localdate().year - year
    stage = rng.choice([Stage.INCUBATING, Stage.UNDER_CONSTRUCTION, Stage.COMPLETED, Stage.COMPLETED][: 2 + min(age, 2)])
    if rng.random() < 0.04:
        stage = Stage.TERMINATED
    planned = app.planned_investment
    done = {Stage.COMPLETED: planned, Stage.UNDER_CONSTRUCTION: planned * Decimal("0.5")}.get(stage, Decimal("0"))
    ent = app.enterprise
    return Project(name=app.title, owner_id=app.enterprise_id, district_id=app.district_id, park_id=ent.park_id,
                   sector=ent.sector, culture_category=ent.culture_category, description=app.summary, level=level,
                   stage=stage, stage_changed_on=dt.date(year, 9, 1), start_year=year, planned_investment=planned,
                   completed_investment=done.quantize(Decimal("0.01")), export_oriented=rng.random() < 0.15,
                   intelligent_score=app.intelligent_score, intelligent_evidence=app.intelligent_evidence,
                   intelligent=app.intelligent_score >= INTELLIGENT_THRESHOLD, is_demo=True)


def _project_details(rng, projects: list[Project]) -> None:
    fundings, milestones, steps = [], [], []
    for p in projects:
        year = p.start_year or YEARS[0]
        fundings.append(ProjectFunding(project=p, source=FundingSource.SOCIAL_CAPITAL, year=year,
                                       amount=(p.planned_investment * Decimal("0.6")).quantize(Decimal("0.01"))))
        if rng.random() < 0.4:
            fundings.append(ProjectFunding(project=p, source=FundingSource.BANK_LOAN, year=year,
                                           amount=(p.planned_investment * Decimal("0.2")).quantize(Decimal("0.01"))))
        for i, title in enumerate(("开工建设", "主体完工", "投入运营")):
            due = dt.date(year + i, 12, 1)
            done = due if p.stage == Stage.COMPLETED or (p.stage == Stage.UNDER_CONSTRUCTION and i == 0) else None
            milestones.append(Milestone(project=p, title=title, due=due, done_on=done,
                                        evidence="演示：验收材料已归档" if done else ""))
        if p.stage != Stage.RESERVE:
            steps.append(ProjectTransition(project=p, transition=STEP_TO[p.stage], from_stage=Stage.RESERVE,
                                           to_stage=p.stage, happened_on=p.stage_changed_on or dt.date(year, 9, 1),
                                           reason="演示：按入选名单推进"))
    ProjectFunding.objects.bulk_create(fundings, batch_size=2000)
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    ProjectTransition.objects.bulk_create(steps, batch_size=2000)


def _library(rng, enterprises, n: int) -> int:
    """Projects entered into the library without a call (储备 and 培育), as from imported lists."""
    rows = []
    sectors = _sector_labels()
    for ent in rng.choices(enterprises, k=n):
        name, text = title_and_summary(rng, enterprise=ent.name, sector=sectors.get(ent.sector or "", ""),
                                       suffix="储备项目")
        score, evidence = intelligent_score(f"{name} {text}")
        rows.append(Project(name=name, owner_id=ent.pk, district_id=ent.district_id, park_id=ent.park_id,
                            sector=ent.sector, culture_category=ent.culture_category, description=text,
                            stage=rng.choice([Stage.RESERVE, Stage.RESERVE, Stage.INCUBATING]),
                            start_year=rng.choice(YEARS), planned_investment=Decimal(rng.randint(100, 20000)) * 10000,
                            intelligent_score=score, intelligent_evidence=evidence,
                            intelligent=score >= INTELLIGENT_THRESHOLD, is_demo=True))
    bulk_create_with_history(rows, Project, batch_size=1000, default_change_reason=REASON)
    return len(rows)

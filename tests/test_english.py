"""English mode is fully English: every page, walked as every role, shows no Chinese interface text.

How it works, so that the pages of every new module are checked without anyone listing them:

1. A small world of rows with Latin names and text (``latin_world``; a new module adds a few rows of its own
   there) and one signed-in user per role, also Latin.
2. For each role (and a visitor who is not signed in) a walker starts from the dashboard and from every URL
   pattern that takes no argument, and follows the links and form targets it finds on each page (at most
   ``PER_PATTERN`` different URLs per pattern), in English (the language cookie and ``Accept-Language``).
3. On each HTML page it takes the visible text (text nodes, ``title``/``placeholder``/``aria-label``/``alt``
   and button values, the strings of JSON islands such as chart data), removes every value that comes from
   the database (reference tables such as district and industry names are Chinese data, not interface),
   and reports whatever Chinese is left: that is untranslated interface text.
4. Every URL pattern must have been reached by some role, or be listed in ``NOT_WALKED`` with a reason; a
   new page that no link leads to fails the test until it is linked or listed.

Error pages (403, 404, 500) and a few form error states are rendered explicitly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict, deque
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

# Chinese characters and the full-width punctuation that comes with them (，：（）、。).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Shown as they are in both languages: the product's name and the switch back to Chinese.
ALLOWED = {"文智": "the product's name, like a logo", "中文": "the language switch shows the other language's name"}
# URL prefixes that are not interface pages: the admin site, the API (JSON), language switching, files.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")
# URL patterns the walker cannot reach by following links, each with the reason.
NOT_WALKED: dict[str, str] = {
    "core:account_reactivate": "a POST-only action whose button shows on a deactivated account; the walker's world has none",
    "core:password_reset_confirm": "reached only through the one-time link in a reset mail (core/tests/test_accounts.py)",
    "projects:review_total": "an htmx POST while an expert types scores (projects/tests/test_views.py checks it in English)",
    "media_kitchen:story_approve": "a POST step of a story in review; the walker opens two stories per role (media/kitchen/tests/test_views.py takes every step through the pages in English)",
    "media_kitchen:story_return": "a POST step of a story in review (media/kitchen/tests/test_views.py)",
    "media_kitchen:story_publish": "a POST step of an approved story (media/kitchen/tests/test_views.py)",
    "media_kitchen:story_withdraw": "a POST step of a published story (media/kitchen/tests/test_views.py)",
    "media_kitchen:story_found": "a redirect reached from a search hit on a story (media/kitchen/tests/test_search.py)",
    "statistics:report_cell": "an htmx POST sent as a grid cell is typed (hx-post); statistics/tests/test_views.py posts to it",
    "card:apply": "the application form shows only to a resident without a card; the walker's resident has one "
                  "(consumption/card/tests/test_views.py applies)",
    "tourism:photo_delete": "a button under a photo; the walker's world has no uploaded photo files "
                            "(consumption/tourism/tests/test_authorization.py posts to it)",
    "consumption:payment_callback": "called by a payment provider's server, not a page (consumption/tests/test_orders.py)",
    "consumption:order_pay": "a POST-only button on a waiting order; the world's order is paid (test_orders posts to it)",
    "consumption:session_seats_json": "JSON of seat statuses for a refresh, not a page",
}
# Untranslated text whose fix is on its way in another change, by the page it is on: (URL pattern, text) → who
# fixes it. The test fails when such text is no longer found, so the entry is removed once the fix lands.
AWAITING: dict[tuple[str, str], str] = {}
PER_PATTERN = 2  # different URLs visited per URL pattern and role
MAX_REQUESTS = 400  # per role: a safety net against a walker that never ends


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """Requests in English leave English active in this thread: give the tests that follow the default back."""
    from django.utils import translation

    yield
    translation.deactivate()


# The world ---------------------------------------------------------------------------------------------------


def _registry_world(city_admin, district, other_district) -> dict:
    """Registry rows with Latin names: a park in each district, enterprises with figures, a talent, a training
    programme, directories (one published), an import waiting for confirmation."""
    from django.core.files.base import ContentFile

    from wenzhi.core.models import ImportRecord
    from wenzhi.registry import services
    from wenzhi.registry.choices import DirectoryKind, ParkKind, ParkLevel, TalentCategory, TalentProgramme
    from wenzhi.registry.models import Park

    park = services.park_create(actor=None, name="Riverside Creative Park", district=district,
                                level=ParkLevel.MUNICIPAL, kind=ParkKind.INDUSTRIAL_PARK, operator="Riverside Ltd",
                                address="1 River Road", designated_on=dt.date(2019, 5, 6), area_sqm=120000,
                                description="A park for design firms")
    other_park = services.park_create(actor=None, name="Harbour Media Base", district=other_district,
                                      level=ParkLevel.DISTRICT, kind=ParkKind.DEMONSTRATION_BASE)
    enterprise = services.enterprise_create(
        actor=city_admin, name="Alpha Media Co Ltd", district=district, park=park.organisation,
        credit_code="91120101MA05000006", address="2 River Road", legal_form="LLC", ownership="private",
        founded_on=dt.date(2015, 3, 4), industry_code="7259", business_scope="advertising design")
    other = services.enterprise_create(actor=city_admin, name="Beta Animation Co Ltd", district=other_district,
                                       park=other_park.organisation, industry_code="6572",
                                       business_scope="人工智能；虚拟现实；动漫设计")  # shows intelligence evidence
    services.enterprise_set_tags(actor=city_admin, enterprise=enterprise, reason="Checked",
                                 tags={"above_scale": True, "intelligent": True})
    services.enterprise_update(actor=city_admin, enterprise=enterprise, reason="Renamed twice",
                               data={"former_names": ["Alpha Old Name", "Alpha Older Name"]})
    services.enterprise_figure_set(actor=city_admin, enterprise=enterprise, year=2024, revenue=Decimal("12345.60"),
                                   employees=1234, value_added=Decimal("2345.00"))
    services.park_evaluate(actor=city_admin, park=park, year=2024, reason="Well run",
                           scores={"management": 18, "clustering": 20, "performance": 20, "innovation": 12,
                                   "public_service": 12})
    services.park_transition(actor=city_admin, park=other_park, transition="warn", reason="Too few firms",
                             happened_on=dt.date(2025, 1, 2))
    Park.objects.filter(pk=other_park.pk).update(status_changed_on=dt.date(2025, 1, 2))
    services.talent_create(actor=None, name="Li Lei", category=TalentCategory.HIGH_END,
                           programme=TalentProgramme.FOUR_BATCHES, employer=enterprise, district=district,
                           field="Animation", title="Director", year_recognised=2018, gender="F",
                           birth_year=1980, phone="13800000000", achievements="Several films")
    programme = services.training_programme_create(actor=None, name="Design Managers 2024", team="creative_planning",
                                                   year=2024, organiser="City Bureau", district=district,
                                                   starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2024, 4, 5),
                                                   hours=40, description="Five days")
    services.training_participant_add(actor=None, programme=programme, name="Han Meimei", employer=enterprise,
                                      position="Manager", completed=True)
    published = services.directory_create(actor=city_admin, kind=DirectoryKind.EXPORT_KEY, year=2024,
                                          name="Export Key Enterprises 2024", description="Firms that export")
    services.directory_entry_add(actor=city_admin, directory=published, enterprise=enterprise, note="Games")
    services.directory_entry_add(actor=city_admin, directory=published, project_name="Harbour Festival")
    services.directory_publish(actor=city_admin, directory=published)
    services.directory_create(actor=city_admin, kind=DirectoryKind.EXPORT_KEY, year=2025, name="Draft 2025")
    report = {"format": "CSV", "encoding": "utf-8", "header_row": 1, "valid_rows": 1199, "invalid_rows": 1,
              "to_create": 1000, "to_update": 199, "mapping": [
                  {"letter": "A", "index": 0, "header": "name", "field": "name", "how": "synonym", "note": "", "unit": ""},
                  {"letter": "B", "index": 1, "header": "revenue", "field": "revenue", "how": "exact", "note": "",
                   "unit": "10k yuan"}]}
    for status, name in ((ImportRecord.Status.CHECKED, "firms.csv"), (ImportRecord.Status.RUNNING, "more.csv")):
        ImportRecord.objects.create(kind="enterprise", original_name=name, created_by=city_admin, status=status,
                                    total_rows=1200, processed_rows=600, error_count=1, options={"report": report},
                                    errors=[{"row": 7, "column": "B", "field": "revenue", "value": "x",
                                             "error": "not a number"}],
                                    file=ContentFile(b"name,revenue\nGamma Ltd,12\n", name=name))
    return {"park": park, "enterprise": enterprise, "other": other}


def _statistics_outputs_world(city_admin) -> None:
    """Statistics figures, a draft, an approved and an issued bulletin (their text is Chinese data, as issued) and an
    assessment scheme with a Latin name."""
    from wenzhi.statistics.assessment.services import ItemInput, assessment_scheme_save
    from wenzhi.statistics.bulletin import services
    from wenzhi.statistics.bulletin.models import Bulletin
    from wenzhi.statistics.tests.outputs_world import fill

    fill()
    # Newest first on the dashboard and the list (the walker opens two per role): an approved one (reopen and
    # issue buttons), a draft (approve) and an issued one (what districts read).
    approved = services.bulletin_draft(actor=city_admin, period="2018Q3")
    Bulletin.objects.filter(pk=approved.pk).update(status="approved")
    services.bulletin_draft(actor=city_admin, period="2018Q2")
    issued = services.bulletin_draft(actor=city_admin, period="2018Q1")
    Bulletin.objects.filter(pk=issued.pk).update(status="issued", number=1, issued_on=dt.date(2018, 5, 1))
    assessment_scheme_save(actor=city_admin, year=2018, name="Assessment 2018", note="Yearly", items=[
        ItemInput("value_added", "level", "60"), ItemInput("value_added", "growth", "40")])


@pytest.fixture
def latin_world(reference_data):
    """One user per role with Latin names, and the rows their pages show. A new module adds its rows here."""
    from wenzhi.core.choices import Level, Role
    from wenzhi.core.models import Organisation
    from wenzhi.core.services import user_create

    city = Organisation.objects.get(level=Level.CITY)
    district = Organisation.objects.get(level=Level.DISTRICT, name="和平区")
    other_district = Organisation.objects.get(level=Level.DISTRICT, name="滨海新区")

    def user(role, organisation=None):
        return user_create(username=f"en_{role}", password="pw-Test-12345", roles=[role], organisation=organisation,
                           display_name=f"Tester {role.replace('_', ' ').title()}")

    admin = user(Role.CITY_ADMIN, city)
    admin.roles = [Role.CITY_ADMIN, Role.MEDIA_EDITOR]  # role names are listed, joined in the page's language
    admin.save(update_fields=["roles"])
    rows = _registry_world(admin, district, other_district)
    _statistics_outputs_world(admin)
    world = {
        "anonymous": None,
        "city_admin": admin,
        "district_officer": user(Role.DISTRICT_OFFICER, district),
        "park_operator": user(Role.PARK_OPERATOR, rows["park"].organisation),
        "enterprise_user": user(Role.ENTERPRISE_USER, rows["enterprise"].organisation),
        "expert_reviewer": user(Role.EXPERT_REVIEWER),
        "media_editor": user(Role.MEDIA_EDITOR),
        "public": user(Role.PUBLIC),
    }
    _statistics_world(admin, world["district_officer"], district, other_district)
    _projects_world(world, rows["enterprise"])
    _media_world(district)
    world["venue_operator"] = user(Role.VENUE_OPERATOR)
    _card_tourism_world(world, district, other_district)
    _watch_world(world, district)
    _consumption_world(world)
    return world


def _media_world(district) -> None:
    """Opinion monitoring: a feed source in the district with a failed fetch, and documents with Latin text."""
    from wenzhi.media.fetch import fetch_source
    from wenzhi.media.ingest import ingest_records
    from wenzhi.media.models import Source

    source = Source.objects.create(name="Riverside News Feed", kind="rss", url="http://127.0.0.1:9/feed",
                                   district=district, timeout_seconds=1)
    fetch_source(source)
    ingest_records(source, [
        {"id": "1", "title": "Riverside Creative Park opens a design week", "text": "Visitors praised the show.",
         "url": "https://news.example.org/1", "published_at": "2026-11-20T10:00:00Z"},
        {"id": "2", "title": "Riverside Creative Park opens a design week", "text": "Visitors praised the show.",
         "url": "https://mirror.example.org/1", "published_at": "2026-11-20T11:00:00Z"},
    ])


def _card_tourism_world(users, district, other_district) -> None:
    """Benefit card and rural tourism rows in Latin: a merchant run by the venue operator, a subsidy rule and
    budget, the resident's card with a top-up, a purchase and a refund; a village, a site with a photo-less page,
    and a route."""
    from django.utils import timezone

    from wenzhi.consumption.card import services as card
    from wenzhi.consumption.tourism import services as tourism

    admin = users["city_admin"]
    merchant = card.merchant_save(actor=admin, merchant=None, operators=[users["venue_operator"]], data={
        "name": "Grand Theatre", "organisation": district, "district": district, "category": "theatre",
        "address": "1 Park Road", "is_participating": True, "subsidy_eligible": True})
    year = timezone.localdate().year
    card.budget_set(actor=admin, year=year, amount_fen=1_000_000, note="Budget note")
    card.rule_save(actor=admin, rule=None, merchants=[merchant], data={
        "name": "Performance subsidy", "year": year, "percent": 30, "cap_fen": 5000, "categories": ["performance"],
        "is_active": True})
    mine = card.card_issue(actor=users["public"], holder=users["public"], holder_name="Li Lei")
    card.card_topup(actor=users["public"], card=mine, amount_fen=100_00, client_key="en-1")
    sale = card.card_redeem(actor=users["venue_operator"], card=mine, merchant=merchant, amount_fen=40_00,
                            client_key="en-2", item_category="performance", reference="ORDER-1")
    card.card_refund(actor=users["venue_operator"], redemption=sale, amount_fen=10_00, client_key="en-3",
                     reason="Changed plans")
    village = tourism.place_save(actor=admin, place=None, data={
        "kind": "village", "name": "Willow Village", "district": district, "summary": "Old courtyards",
        "opening_hours": "Daily 9:00-17:00"})
    site = tourism.place_save(actor=admin, place=None, data={
        "kind": "site", "name": "Print Workshop", "district": district, "village": village, "summary": "Prints",
        "longitude": Decimal("117.2"), "latitude": Decimal("39.12"), "opening_hours": "Tue-Sun 9:00-17:00"})
    tourism.route_save(actor=admin, route=None, data={"name": "Willow Day Trip", "district": district,
                                                      "summary": "A day"}, stops=[village, site])


def _watch_world(users, district) -> None:
    """Opinion monitoring with Latin text: a document, a keyword rule, its alert assigned and answered, a webhook
    and a report."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from wenzhi.media.models import Document, Source
    from wenzhi.media.watch import services as w
    from wenzhi.media.watch.models import OpinionReport

    admin, officer = users["city_admin"], users["district_officer"]
    source = Source.objects.create(name="Harbour News", kind="rss")
    doc = Document.objects.create(source=source, title="Crowd crush at the Harbour Theatre", text="Crowd crush",
                                  keywords="crush theatre", published_at=timezone.now(), district=district,
                                  sentiment="negative", sentiment_score=0.1)
    hook = w.webhook_save(actor=admin, data={"name": "Partner desk", "url": "https://partner.example/hook"})
    w.rule_save(actor=admin, data={"name": "Stage safety", "kind": "keyword", "keywords": ["crush"],
                                   "webhooks": [hook]})
    (alert,) = w.alerts_evaluate(document_ids=[doc.pk])
    w.alert_step(actor=admin, alert=alert, step="assign", unit=district, assignee=officer, comment="Please check")
    w.alert_step(actor=officer, alert=alert, step="acknowledge")
    w.alert_step(actor=officer, alert=alert, step="answer", response="The exits were cleared, nobody was hurt.")
    report = OpinionReport.objects.create(kind="daily", period_start=timezone.localdate(),
                                          period_end=timezone.localdate(), title="Daily opinion report")
    report.docx.save("daily.docx", ContentFile(b"docx"), save=False)
    report.pdf.save("daily.pdf", ContentFile(b"%PDF-1.4"), save=True)


def _consumption_world(world) -> None:
    """A theatre kept by the venue operator, a session on sale and a paid order of the resident."""
    from wenzhi.consumption.services.orders import order_create, order_pay
    from wenzhi.consumption.tests import factories

    venue = factories.venue(name="Latin Theatre", managers=[world["venue_operator"]])
    session = factories.session(factories.hall(venue, layout="Stalls 1 AAAA.AAAA\nCircle 1 BBBBBBBBB",
                                               zones="A Premium\nB Standard", name="Main Hall"))
    session.event.title = "Hamlet"
    session.event.save()
    order = order_create(buyer=world["public"], session=session, seat_ids=factories.seat_ids(session, 2))
    order_pay(actor=world["public"], order=order, provider="test")


def _statistics_world(city_admin, district_officer, district, other_district) -> None:
    """Reports the walker opens: for the district a draft with a warning explained in Latin; for the city (the
    newest, a monthly form's) one submitted and one approved and locked; and a reminder."""
    from wenzhi.statistics import services as statistics
    from wenzhi.statistics.models import ReportingForm

    form = ReportingForm.objects.get(code="district_quarterly")
    values = {"value_added": "10", "revenue": "40", "gdp": "300", "employees": "18000", "units": "1500",
              "above_scale_units": "80", "parks": "4", "projects": "20", "investment": "1.2", "screens": "45",
              "box_office": "9000", "performances": "300", "audiences": "15", "consumption": "620"}
    earlier = statistics.report_open(actor=city_admin, form=form, organisation=district, period_code="2026Q2")
    statistics.values_save(actor=city_admin, submission=earlier, values=values)  # closed for the district by now
    report = statistics.report_open(actor=district_officer, form=form, organisation=district, period_code="2026Q3")
    results = statistics.values_save(actor=district_officer, submission=report, values={**values, "value_added": "30"})
    for result in results:
        statistics.result_explain(actor=district_officer, result=result, comment="A new cinema opened")
    statistics.reminders_send(actor=city_admin, form=form, period_code="2026Q3", email=False)
    monthly = statistics.form_create(actor=city_admin, code="latin_monthly", name="Monthly cinema report",
                                     indicator_codes=["screens", "box_office"], period_type="monthly",
                                     on_time_days=10, close_days=60)
    for org in (district, other_district):
        sub = statistics.report_open(actor=city_admin, form=monthly, organisation=org, period_code="2026-10")
        statistics.values_save(actor=city_admin, submission=sub, values={"screens": "40", "box_office": "800"})
        statistics.submission_submit(actor=city_admin, submission=sub)
        if org == district:
            statistics.submission_approve(actor=city_admin, submission=sub, comment="Checked")


def _projects_world(users, enterprise) -> None:
    """Project rows with Latin text: a project with a stage step, an open call with a draft and an application
    scored by the expert and decided, a published notice with an answered objection."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from wenzhi.projects import services as p
    from wenzhi.projects.models import PublicNotice

    admin = users["city_admin"]
    project = p.project_create(actor=admin, name="Harbour Digital Museum", owner=enterprise,
                               description="Immersive virtual reality galleries", planned_investment=Decimal("1E7"))
    p.project_transition(actor=admin, project=project, transition="incubate", reason="Plan approved")
    def submitted(call, title):
        app = p.application_save(actor=None, call=call, enterprise=enterprise, data={
            "title": title, "summary": "A theatre for virtual reality shows in the old harbour.",
            "planned_investment": Decimal("5000000"), "answers": {"jobs": "40"}})
        p.application_attach(actor=None, application=app, kind="plan", uploaded=SimpleUploadedFile(
            "plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf"))
        return p.application_submit(actor=None, application=app)

    def decided(call, title):
        app = submitted(call, title)
        p.district_review(actor=None, application=app, recommend=True, opinion="Recommended")
        p.expert_assign(actor=None, application=app, expert=users["expert_reviewer"])
        p.review_save(actor=users["expert_reviewer"], application=app, scores={"impact": 8, "ai": 9},
                      comment="Strong", submit=True)
        p.application_decide(actor=None, application=app, outcome="city_key", reason="Ranked first")
        return app

    def open_call(name):
        return p.call_create(actor=admin, name=name, year=2026, opens_at=now - dt.timedelta(days=1),
                             closes_at=now + dt.timedelta(days=9), review_deadline=now + dt.timedelta(days=19),
                             description="Key projects", questions=[{"key": "jobs", "label": "Jobs created",
                                                                     "required": True}],
                             attachments=[{"key": "plan", "label": "Plan", "types": ["pdf"], "max_mb": 5}],
                             rubric=[{"key": "impact", "label": "Impact", "weight": 0.5, "max_score": 10},
                                     {"key": "ai", "label": "Intelligence", "weight": 0.5, "max_score": 10,
                                      "intelligence": True}])

    now = timezone.now()
    today = timezone.localdate()
    call, open_notice_call, plain_call = (open_call("City Key Projects 2026"), open_call("Design Projects 2026"),
                                          open_call("Harbour Projects 2026"))
    app = decided(call, "Harbour VR Theatre")
    notice = p.notice_open(actor=None, call=call, title="Proposed Key Projects 2026", opens_on=today,
                           closes_on=today, body="Objections welcome")
    objection = p.objection_submit(notice=notice, name="Zhang San", contact="zhang@example.org",
                                   text="Please check the investment figures.", application=app)
    p.objection_answer(actor=None, objection=objection, answer="Checked and confirmed")
    other = decided(open_notice_call, "Harbour Design Week")
    open_notice = p.notice_open(actor=None, call=open_notice_call, title="Proposed Design Projects 2026",
                                opens_on=today, closes_on=today + dt.timedelta(days=5))
    p.objection_submit(notice=open_notice, name="Li Si", contact="li@example.org",
                       text="The design week happened already last year.", application=other)
    p.application_save(actor=None, call=plain_call, enterprise=enterprise, data={"title": "Harbour Draft"})
    submitted(plain_call, "Harbour Light Show")
    p.district_review(actor=None, application=submitted(plain_call, "Harbour Sound Walk"), recommend=True,
                      opinion="Recommended")
    PublicNotice.objects.filter(pk=notice.pk).update(opens_on=today - dt.timedelta(days=3),
                                                     closes_on=today - dt.timedelta(days=1))
    p.notice_publish(actor=None, notice=PublicNotice.objects.get(pk=notice.pk))
    from wenzhi.projects.tests.funds_english import latin_funds_world

    latin_funds_world(users, enterprise)  # funds, progress and promotion
    from wenzhi.media.kitchen.tests.english import latin_kitchen_world

    latin_kitchen_world(users)  # the central kitchen's stories, submissions and word list


# Reading a page ----------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Visible text, the attributes people read, JSON islands' strings, and the links and form targets."""

    READ_ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0  # inside <script> (code) or <style>
        self._json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            if tag == "script" and a.get("type") == "application/json":
                self._json = []
            else:
                self._skip += 1
        for name in self.READ_ATTRS:
            if a.get(name):
                self.texts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(a["value"])
        for name in ("href", "action", "hx-get"):
            if tag in ("a", "form", "div") and a.get(name):
                self.links.append(a[name])

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            self.texts.extend(_json_strings(json.loads("".join(self._json) or "null")))
            self._json = None
        elif tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        elif not self._skip and data.strip():
            self.texts.append(data.strip())


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def database_texts() -> list[str]:
    """Every Chinese text value stored in the database (names, reference tables, stored reasons), longest first:
    the data a page shows, which the check removes before looking for untranslated interface text."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices]
        if not fields:
            continue
        for row in model._default_manager.using("default").values_list(*fields).iterator():
            for value in row:
                for text in _json_strings(value) if not isinstance(value, str) else [value]:
                    for line in text.splitlines():
                        if len(line.strip()) >= 2 and CJK.search(line):
                            found.add(line.strip())
    return sorted(found, key=len, reverse=True)


def deliberate_chinese() -> list[str]:
    """Chinese that the English catalogue itself contains (e.g. the Chinese column headings an import file must
    use, quoted in the English help text): reviewed by whoever translated it, so not a finding."""
    from django.utils.translation import trans_real

    found = set()
    for _key, value in trans_real.translation("en")._catalog.items():
        if CJK.search(value):
            found.update(part.strip() for part in re.split(r"%\(\w+\)[sd]|%[sd]", value) if CJK.search(part))
    return sorted(found, key=len, reverse=True)


def bulletin_texts() -> list[str]:
    """The statistics bulletins' wording and numbers (文号): the content of an official document issued in Chinese
    (like the names in the database), shown on its page between its figures and in the reviewer's edit form."""
    from wenzhi.statistics.bulletin.check import TOKEN, editable
    from wenzhi.statistics.bulletin.models import Bulletin
    from wenzhi.statistics.bulletin.services import figures_of

    found: set[str] = set()
    for bulletin in Bulletin.objects.all():
        figures = figures_of(bulletin)
        found.add(editable(bulletin.paragraphs, figures).strip())
        if bulletin.document_number:
            found.add(bulletin.document_number)  # 津文旅统〔2018〕1号: the number as issued
        for paragraph in bulletin.paragraphs:
            found.update(part.strip() for part in TOKEN.sub("\n", paragraph).split("\n") if CJK.search(part))
        found.update(ref.text for ref in figures.values() if CJK.search(ref.text))
    return sorted(found, key=len, reverse=True)


def untranslated(texts: list[str], data: list[str], data_set: set[str]) -> list[str]:
    out = []
    for text in texts:
        if not CJK.search(text) or text in data_set or text in ALLOWED:
            continue
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        for word in ALLOWED:
            text = text.replace(word, " ")
        if CJK.search(text):
            out.append(" ".join(text.split()))
    return out


# Walking -----------------------------------------------------------------------------------------------------


def url_patterns() -> dict[str, str]:
    """Every page route of the project: view name (or route) → route, without the skipped prefixes."""
    out: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if not any(f"/{route}".startswith(s) for s in SKIPPED_PREFIXES):
                    out[f"{namespace}{p.name}" if p.name else route] = route

    walk(get_resolver().url_patterns, "", "")
    return out


def _pattern_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else match.route


def _same_site(link: str) -> str | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if any(parts.path.startswith(s) for s in SKIPPED_PREFIXES):
        return None
    return parts.path


def _start_paths() -> list[str]:
    from django.urls import NoReverseMatch, reverse

    paths = ["/"]
    for key in url_patterns():
        try:
            paths.append(reverse(key))
        except NoReverseMatch:
            continue  # takes arguments: reached through links
    return paths


def english_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def walk_role(client, data, data_set, reached, problems, awaited, label) -> None:
    """Breadth-first over the pages ``client`` can open, collecting untranslated text per page."""
    queue = deque(_start_paths())
    seen: set[str] = set()
    visits: dict[str, int] = defaultdict(int)
    requests = 0
    while queue and requests < MAX_REQUESTS:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        key = _pattern_key(path)
        if key is not None and visits[key] >= PER_PATTERN:
            continue
        visits[key or path] += 1
        response = client.get(path)
        requests += 1
        if key is not None:
            reached[key].add(response.status_code)
        if response.status_code in (301, 302) and _same_site(response["Location"]):
            queue.append(_same_site(response["Location"]))
        if not response.get("Content-Type", "").startswith("text/html") or getattr(response, "streaming", False):
            continue
        page = _Page()
        page.feed(response.content.decode())
        for text in untranslated(page.texts, data, data_set):
            if (key, text) in AWAITING:
                awaited.add((key, text))
            else:
                problems[text].add(f"{label} {path} ({response.status_code})")
        for link in page.links:
            target = _same_site(link)
            if target and target not in seen:
                queue.append(target)


def _report(problems: dict[str, set[str]]) -> str:
    return "\n".join(f"  {text!r}  on {', '.join(sorted(where)[:3])}" for text, where in sorted(problems.items()))


def test_every_page_is_english_for_every_role(latin_world):
    data = sorted(database_texts() + deliberate_chinese() + bulletin_texts(), key=len, reverse=True)
    data_set = set(data)
    reached: dict[str, set[int]] = defaultdict(set)
    problems: dict[str, set[str]] = defaultdict(set)
    awaited: set[tuple[str, str]] = set()
    for label, user in latin_world.items():
        walk_role(english_client(user), data, data_set, reached, problems, awaited, label)

    # error pages and form errors, which links do not lead to
    for label, path, user in (("404", "/no-such-page/", latin_world["city_admin"]),
                              ("403", "/core/organisations/", latin_world["public"])):
        response = english_client(user).get(path)
        assert response.status_code == int(label)
        page = _Page()
        page.feed(response.content.decode())
        for text in untranslated(page.texts, data, data_set):
            problems[text].add(f"{label} page")
    for label, path, user, post in (
        ("sign-in error", "/login/", None, {"username": "en_public", "password": "wrong-password"}),
        ("empty enterprise form", "/registry/enterprises/new/", latin_world["city_admin"], {}),
    ):
        response = english_client(user).post(path, post)
        page = _Page()
        page.feed(response.content.decode())
        for text in untranslated(page.texts, data, data_set):
            problems[text].add(label)

    unreached = sorted(set(url_patterns()) - set(reached) - set(NOT_WALKED))
    assert not unreached, (f"pages the walker never reached: {unreached}. Link to them from a page, add rows to "
                           f"latin_world so their detail pages are linked, or list them in NOT_WALKED with a reason")
    assert not problems, f"untranslated interface text in English mode ({len(problems)}):\n{_report(problems)}"
    fixed = sorted(set(AWAITING) - awaited)
    assert not fixed, f"now translated, remove from AWAITING: {fixed}"


def test_server_error_page_is_english(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from wenzhi.core.views import error_500

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("en"):
        body = error_500(request).content.decode()
    assert "Internal server error" in body and not CJK.search(body.replace("文智", "")), body


def test_no_select_shows_dashes(latin_world):
    """Empty choices say All (filters) or Please choose (forms), never Django's dashes, on every page."""
    from wenzhi.registry.models import Enterprise

    client = english_client(latin_world["city_admin"])
    enterprise = Enterprise.objects.get(name="Alpha Media Co Ltd")
    pages = {path: client.get(path) for path in _start_paths()}
    pages["edit"] = client.get(f"/registry/enterprises/{enterprise.pk}/edit/")
    for path, response in pages.items():
        if response.get("Content-Type", "").startswith("text/html"):
            assert "---------" not in response.content.decode(), path
    assert ">All</option>" in pages["/registry/enterprises/"].content.decode()
    assert ">Please choose</option>" in pages["edit"].content.decode()

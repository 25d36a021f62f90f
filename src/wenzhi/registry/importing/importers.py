"""The registry's importers: enterprises, parks and talents checked against the registry and the caller's
scope, and written in bulk with their history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, NamedTuple

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.choices import Level
from wenzhi.core.importing import CellError, Importer, ParsedRow, Table, clean_text
from wenzhi.core.importing.bulk import BulkWriter
from wenzhi.core.importing.bulk import new_instance as _new
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import can, require
from wenzhi.core.scoping import scope_for

from ..choices import ParkLevel
from ..models import Enterprise, EnterpriseYearFigure, Park, Talent
from ..validators import normalise_name
from .schemas import SCHEMAS, TAG_FIELDS, YEAR_FIELDS, DistrictLookup, ParkLookup, _key, classify_for_import


class Existing(NamedTuple):
    """An enterprise already in the registry, as the checks need it."""

    pk: int
    name: str
    district_id: int
    deleted: bool
    code: str
    park_id: int | None
    organisation_id: int | None


class RegistryImporter(Importer):
    """What the three kinds share: the actor's scope, the district lookup and the change reason."""

    kind = ""
    checked_against: tuple[type[Any], ...] = ()  # the registry tables a check reads (see fingerprint)

    def __init__(self, *, actor, filename: str = "", default_year: int | None = None):
        # No actor: the command line without --user, run by the server's operator, who holds every key anyway.
        if actor is not None:
            require(actor, "import.run")
        self.actor = actor
        self.schema = SCHEMAS[self.kind]()
        self.filename = filename
        # The change reason is stored in history rows, in the platform's language (not the reader's).
        self.reason = f"批量导入：{filename}" if filename else "批量导入"
        scope = scope_for(actor)
        self.allowed_district: int | None = None if actor is None or scope.is_city else scope.organisation_id
        self.default_year = default_year
        self.written: dict[type, list[int]] = defaultdict(list)  # model → keys created or changed (for search)
        self._allowed: dict[tuple, bool] = {}

    def allowed(self, action: str, model, **fields) -> bool:
        """Whether the actor may do ``action`` on a row placed as ``fields`` say (the permission table decides)."""
        if self.actor is None:
            return True
        # The answer depends only on where the row sits, and most rows of a file sit in a few places.
        key = (action, model, *sorted(fields.items()))
        answer = self._allowed.get(key)
        if answer is None:
            stub = _new(model)
            stub.__dict__.update(fields)
            answer = self._allowed[key] = can(self.actor, action, stub)
        return answer

    def fingerprint(self) -> list:
        """What the checks depended on: a commit reuses a dry run's checked rows only while this is unchanged."""
        return [_latest(Organisation), *(_latest(m.history.model) for m in self.checked_against)]

    def prepare(self, table: Table) -> None:
        self.districts = DistrictLookup()
        self.table = table

    def resolve_district(self, row: ParsedRow, field_name: str = "district") -> Organisation | None:
        raw = row.raw.get(field_name)
        if raw is None or clean_text(raw) == "":
            return None
        try:
            district = self.districts.find(raw)
        except CellError as exc:
            row.error(field_name, str(exc))
            return None
        if self.allowed_district is not None and district.id != self.allowed_district:
            own = next((d.name for d in self.districts.districts if d.id == self.allowed_district), "")
            row.error(field_name, gettext("“{district}”不在您的管辖范围（{own}），区级工作人员只能导入本区的数据")
                      .format(district=district.name, own=own))
            return None
        row.values[field_name] = district.id
        return district

    def prepare_write(self) -> None:
        """Load what ``write`` needs when the rows come checked from a dry run (``prepare`` was not called)."""

    def now(self) -> dt.datetime:
        return timezone.now()


def _latest(model) -> list[int]:
    """Highest key and row count: any insert or delete changes one of them (history tables only grow)."""
    from django.db.models import Count, Max

    agg = model._base_manager.aggregate(top=Max("pk"), n=Count("pk"))
    return [agg["top"] or 0, agg["n"]]


class EnterpriseImporter(RegistryImporter):
    """Creates new enterprises and updates the ones the registry already has (same credit code, or same
    normalised name where the file gives no code); conflicts are row errors."""

    kind = "enterprise"
    batch_size = 2000
    checked_against = (Enterprise, EnterpriseYearFigure)

    def prepare(self, table: Table) -> None:
        super().prepare(table)
        mapped = {c.field for c in table.columns if c.field}
        self.parks = ParkLookup() if "park" in mapped else None
        self.has_year_data = bool(mapped & set(YEAR_FIELDS))
        if self.has_year_data and "year" not in mapped:
            self.default_year = self.default_year or timezone.localdate().year - 1
            table.notes.append(gettext("文件中没有“年度”列，营业收入、从业人员等数据记为 {year} 年度"
                                       "（可在导入选项中指定年度）。").format(year=self.default_year))
        # Every existing enterprise, deleted ones too, in one query. A credit code names the live enterprise
        # that holds it; a code only a deleted enterprise held is free to register again.
        self.by_code: dict[str, Existing] = {}
        self.by_name: dict[str, list[Existing]] = defaultdict(list)
        for pk, code, key, district_id, park_id, org_id, deleted_at, name in Enterprise.all_objects.values_list(
                "pk", "credit_code", "name_key", "district_id", "park_id", "organisation_id", "deleted_at",
                "name").iterator(chunk_size=5000):
            rec = Existing(pk, name, district_id, deleted_at is not None, code, park_id, org_id)
            if code and (deleted_at is None or code not in self.by_code):  # the live holder of a code wins
                self.by_code[code] = rec
            self.by_name[key or normalise_name(name)].append(rec)
        self.seen_code: dict[str, int] = {}
        self.seen_name: dict[str, tuple[int, str]] = {}
        self._load_organisations()

    def prepare_write(self) -> None:
        self.has_year_data = True  # each stored row carries its year when it has figures
        self._load_organisations()

    def _load_organisations(self) -> None:
        # A new enterprise gets the organisation its users will belong to (as enterprise_create does); one left
        # over with the same code and no enterprise is reused.
        used = set(Enterprise.all_objects.exclude(organisation=None).values_list("organisation_id", flat=True))
        self.org_by_code = {code: (pk, pk in used) for code, pk in Organisation.objects.filter(
            level=Level.ENTERPRISE).exclude(code="").values_list("code", "pk")}

    def check(self, row: ParsedRow) -> None:
        v = row.values
        district = self.resolve_district(row)
        if "park" in v and self.parks is not None:
            try:
                v["park"] = self.parks.find(row.raw["park"], district).id
            except CellError as exc:
                row.error("park", str(exc))
        name = v.get("name", "")
        code = v.get("credit_code", "")
        key = normalise_name(name) if name else ""
        row.label = name
        v["name_key"] = key
        self._check_duplicates(row, code, key)
        if row.errors:
            return
        existing = self._match(row, code, key)
        if row.errors:
            return
        if existing is not None:
            row.action, row.target = "update", existing.pk
            if normalise_name(existing.name) != key:
                row.label = gettext("{name}（原名 {old}）").format(name=name, old=existing.name)
            self._check_update_scope(row, existing)
        else:
            row.action = "create"
            self._check_create(row, code)
        if self.has_year_data and "year" not in v:
            v["year"] = self.default_year  # stored with the row, so a later commit needs no default

    def _check_duplicates(self, row: ParsedRow, code: str, key: str) -> None:
        """Duplicates within the file: the later row is the one reported."""
        duplicate = False
        if code:
            first = self.seen_code.get(code)
            if first is not None:
                duplicate = True
                row.error("credit_code", gettext("与第 {row} 行的统一社会信用代码相同：同一企业在文件中出现了两次，"
                                                 "请删除或合并其中一行").format(row=first))
            else:
                self.seen_code[code] = row.number
        if not key or duplicate:
            return
        previous = self.seen_name.get(key)
        if previous is None:
            self.seen_name[key] = (row.number, code)
        elif code and previous[1] and code != previous[1]:
            row.error("name", gettext("与第 {row} 行企业名称相同，但统一社会信用代码不同（第 {row} 行为 {code}）；"
                                      "请核对是否为同一企业").format(row=previous[0], code=previous[1]))
        else:
            row.error("name", gettext("与第 {row} 行是同一企业（企业名称相同）：同一企业在文件中出现了两次，"
                                      "请删除或合并其中一行").format(row=previous[0]))

    def _match(self, row: ParsedRow, code: str, key: str) -> Existing | None:
        """The registry's enterprise this row is (same credit code, else the one live enterprise of that name)."""
        existing = self.by_code.get(code) if code else None
        if existing is not None and not existing.deleted:  # held only by a deleted enterprise: registered anew
            return existing
        live = [r for r in self.by_name.get(key, ()) if not r.deleted] if key else []
        if len(live) > 1:
            ids = "、".join(str(r.pk) for r in live[:5])
            row.error("name", gettext("登记库中有 {n} 家企业名称与此相同（编号 {ids}），无法确定更新哪一家；"
                                      "请填写统一社会信用代码").format(n=len(live), ids=ids))
            return None
        if live and code and live[0].code and live[0].code != code:
            row.error("credit_code", gettext("登记库中已有同名企业“{name}”，其统一社会信用代码为 {code}，与本行不同；"
                                             "请核对是同一企业还是名称有误").format(name=live[0].name, code=live[0].code))
            return None
        return live[0] if live else None

    def _check_update_scope(self, row: ParsedRow, existing: Existing) -> None:
        """The enterprise as it is, and as the row would leave it, must both be the actor's to change."""
        v = row.values
        now_placed = {"district_id": existing.district_id, "park_id": existing.park_id,
                      "organisation_id": existing.organisation_id}
        if not self.allowed("enterprise.change", Enterprise, **now_placed):
            row.error("name", gettext("第 {row} 行：该企业不在您的管辖范围内，不能由导入修改").format(row=row.number))
            return
        after = {**now_placed, "district_id": v.get("district", existing.district_id),
                 "park_id": v.get("park", existing.park_id)}
        if after != now_placed and not self.allowed("enterprise.change", Enterprise, **after):
            row.error("district", gettext("第 {row} 行：不能把企业移到您管辖范围以外的区或园区").format(row=row.number))

    def _check_create(self, row: ParsedRow, code: str) -> None:
        v = row.values
        if "district" not in v:
            row.error("district", gettext("新企业必须填写所属区"))
        elif not self.allowed("enterprise.add", Enterprise, district_id=v["district"], park_id=v.get("park")):
            row.error("district", gettext("第 {row} 行：您不能在该区或园区登记企业").format(row=row.number))
        elif code and self.org_by_code.get(code, (0, False))[1]:
            row.error("credit_code", gettext("已有另一家企业的账号组织使用此代码，请联系市级管理员核对"))

    def describe(self, row: ParsedRow) -> dict:
        return {"row": row.number, "action": row.action, "label": row.label,
                "credit_code": row.values.get("credit_code", ""),
                "district": self.districts.name_of(row.values.get("district")), "target": row.target}

    # -- writing ------------------------------------------------------------------------------------

    ENTERPRISE_FIELDS = ("name", "credit_code", "address", "legal_form", "ownership", "founded_on", "industry_code",
                         "sector", "business_scope") + tuple(name for name, _, _ in TAG_FIELDS)

    def _apply(self, obj: Enterprise, v: dict, creating: bool) -> set[str]:
        changed: set[str] = set()
        if creating:
            d = obj.__dict__
            for f in self.ENTERPRISE_FIELDS:
                if f in v:
                    d[f] = v[f]
            # Key columns too: a new row has no related object cached for the descriptor to invalidate.
            d.update({f"{k}_id": v[k] for k in ("district", "park") if k in v})
        else:
            for f in self.ENTERPRISE_FIELDS:
                if f in v and getattr(obj, f) != v[f]:
                    setattr(obj, f, v[f])
                    changed.add(f)
        if "district" in v and obj.district_id != v["district"]:
            obj.district_id = v["district"]
            changed.add("district")
        if "park" in v and obj.park_id != v["park"]:
            obj.park_id = v["park"]
            changed.add("park")
        if "former_names" in v:
            merged = list(dict.fromkeys([*(obj.former_names or []), *v["former_names"]]))
            if merged != obj.former_names:
                obj.former_names = merged
                changed.add("former_names")
        if "name" in changed and not creating:
            changed.add("name_key")
        obj.name_key = v.get("name_key") or normalise_name(obj.name)
        if creating or changed & {"name", "industry_code", "business_scope"}:
            c = classify_for_import(name=obj.name, industry_code=obj.industry_code,
                                    business_scope=obj.business_scope)
            if not obj.classification_override:  # an official's decision is not undone by an import
                obj.culture_category, obj.culture_subcategory = c.culture_category, c.culture_subcategory
                obj.classification_source, obj.classification_evidence = c.source, c.evidence
                changed |= {"culture_category", "culture_subcategory", "classification_source",
                            "classification_evidence"}
                if "sector" not in v:
                    obj.sector = c.sector
                    changed.add("sector")
            obj.intelligent_score, obj.intelligent_evidence = c.intelligent_score, c.intelligent_evidence
            changed |= {"intelligent_score", "intelligent_evidence"}
        return changed

    def _apply_figures(self, obj: Enterprise, v: dict, changed: set[str]) -> None:
        """Copy this row's figures onto the enterprise's latest_* fields when they are for its latest year."""
        if not any(f in v for f in YEAR_FIELDS):
            return
        year = v.get("year") or self.default_year
        assert year is not None  # prepare() sets a default year whenever the table has figures
        if obj.latest_year is not None and year < obj.latest_year:
            return
        if obj.latest_year != year:
            obj.latest_year, obj.latest_revenue, obj.latest_employees = year, None, None
            changed.add("latest_year")
        if "revenue" in v and obj.latest_revenue != v["revenue"]:
            obj.latest_revenue = v["revenue"]
        if "employees" in v and obj.latest_employees != v["employees"]:
            obj.latest_employees = v["employees"]
        changed |= {"latest_year", "latest_revenue", "latest_employees"}

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        now = self.now()
        writer = BulkWriter(actor=self.actor, reason=self.reason, now=now)
        creates: list[Enterprise] = []
        updates: list[Enterprise] = []
        update_fields: set[str] = set()
        targets = Enterprise.objects.in_bulk([r.target for r in rows if r.action == "update"])
        for row in rows:
            v = row.values
            if row.action == "update":
                obj = targets.get(row.target)
                if obj is None:  # deleted between the check and the write
                    raise IntegrityError(gettext("第 {row} 行要更新的企业（编号 {pk}）已不存在")
                                         .format(row=row.number, pk=row.target))
                old_name = obj.name
                changed = self._apply(obj, v, creating=False)
                if "name" in changed and old_name not in (obj.former_names or []):
                    obj.former_names = [*(obj.former_names or []), old_name]
                    changed.add("former_names")
                self._apply_figures(obj, v, changed)
                row.target = obj
                if changed:
                    obj.updated_at = now
                    update_fields |= changed | {"updated_at"}
                    updates.append(obj)
            else:
                obj = _new(Enterprise)
                obj.__dict__.update(district_id=v["district"], created_at=now, updated_at=now)
                self._apply(obj, v, creating=True)
                self._apply_figures(obj, v, set())
                creates.append(obj)
                row.target = obj
        orgs = []
        for obj in creates:
            reuse = self.org_by_code.get(obj.credit_code) if obj.credit_code else None
            if reuse is not None and not reuse[1]:
                obj.organisation_id = reuse[0]
                self.org_by_code[obj.credit_code] = (reuse[0], True)
                continue
            org = _new(Organisation)
            org.__dict__.update(level=Level.ENTERPRISE, name=obj.name, code=obj.credit_code, is_active=True,
                                parent_id=obj.park_id or obj.district_id, district_id=obj.district_id)
            orgs.append((obj, org))
        writer.insert(Organisation, [org for _, org in orgs])
        for obj, org in orgs:
            obj.__dict__["organisation_id"] = org.pk
        writer.insert(Enterprise, creates)
        writer.history(Enterprise, creates, "+")
        writer.update(Enterprise, updates, sorted(update_fields))
        writer.history(Enterprise, updates, "~")
        self.written[Enterprise] += [o.pk for o in creates] + [o.pk for o in updates]
        if self.has_year_data:
            self._write_figures(rows, writer)
        return len(creates), sum(1 for r in rows if r.action == "update")

    def _write_figures(self, rows: list[ParsedRow], writer: BulkWriter) -> None:
        wanted: dict[tuple[int, int], dict] = {}
        updated_ids = set()
        for row in rows:
            v = row.values
            if not any(f in v for f in YEAR_FIELDS):
                continue
            year = v.get("year") or self.default_year
            assert year is not None  # prepare() sets a default year whenever the table has figures
            wanted[(row.target.pk, year)] = {f: v[f] for f in YEAR_FIELDS if f in v}
            if row.action == "update":
                updated_ids.add(row.target.pk)
        existing = {}
        if updated_ids:
            existing = {(f.enterprise_id, f.year): f for f in EnterpriseYearFigure.objects.filter(
                enterprise_id__in=updated_ids, year__in={k[1] for k in wanted})}
        creates, updates, fields = [], [], set()
        for (eid, year), values in wanted.items():
            fig = existing.get((eid, year))
            if fig is None:
                fig = _new(EnterpriseYearFigure)
                fig.__dict__.update(values, enterprise_id=eid, year=year)
                creates.append(fig)
                continue
            changed = {k for k, val in values.items() if getattr(fig, k) != val}
            for k in changed:
                setattr(fig, k, values[k])
            if changed:
                fields |= changed
                updates.append(fig)
        writer.insert(EnterpriseYearFigure, creates)
        writer.history(EnterpriseYearFigure, creates, "+")
        writer.update(EnterpriseYearFigure, updates, sorted(fields))
        writer.history(EnterpriseYearFigure, updates, "~")


class ParkImporter(RegistryImporter):
    """Parks and bases: a new park also gets its organisation (level park, under its district).

    A park's level and status change only through the city's park transitions (each recorded with its date and
    reason): an import never changes them; a row whose level differs from the registry's is a row error.
    """

    kind = "park"
    batch_size = 500
    FIELDS = ("name", "level", "kind", "operator", "address", "area_sqm", "designated_on", "description")
    UPDATE_FIELDS = tuple(f for f in FIELDS if f != "level")
    checked_against = (Park,)

    def prepare(self, table: Table) -> None:
        super().prepare(table)
        self.existing: dict[str, list[tuple[int, int, str, str, int]]] = defaultdict(list)
        for pk, name, district_id, level, org_id in Park.all_objects.values_list(
                "pk", "name", "district_id", "level", "organisation_id"):
            self.existing[normalise_name(name)].append((pk, district_id, name, level, org_id))
        self.seen: dict[str, int] = {}

    def check(self, row: ParsedRow) -> None:
        district = self.resolve_district(row)
        name = row.values.get("name", "")
        row.label = name
        key = normalise_name(name)
        if key in self.seen:
            row.error("name", gettext("与第 {row} 行是同一园区（名称相同）：请删除或合并其中一行").format(row=self.seen[key]))
            return
        if key:
            self.seen[key] = row.number
        if row.errors or district is None:
            return
        hits = self.existing.get(key, [])
        same = [h for h in hits if h[1] == district.id]
        if same:
            self._check_update(row, *same[0])
        elif hits:
            where = "、".join(sorted({d.name for d in self.districts.districts if d.id in {h[1] for h in hits}}))
            row.error("name", gettext("登记库中已有同名园区，位于{where}；如确为两个园区，请在名称中注明区别")
                      .format(where=where))
        elif not self.allowed("park.add", Park, district_id=district.id):
            row.error("name", gettext("第 {row} 行：登记库中没有这个园区，您没有新建园区的权限（新园区由市级管理员登记）")
                      .format(row=row.number))
        else:
            row.action = "create"

    def _check_update(self, row: ParsedRow, pk: int, district_id: int, name: str, level: str, org_id: int) -> None:
        if not self.allowed("park.change", Park, district_id=district_id, organisation_id=org_id):
            row.error("name", gettext("第 {row} 行：该园区不在您的管辖范围内，不能由导入修改").format(row=row.number))
            return
        if row.values.get("level") and row.values["level"] != level:
            labels = dict(ParkLevel.choices)
            row.error("level", gettext("园区级别只能通过园区动态管理（市级）变更，导入不能修改：登记库中为“{old}”，"
                                       "本行为“{new}”").format(old=labels.get(level, level),
                                                           new=labels.get(row.values["level"], row.values["level"])))
            return
        row.action, row.target = "update", pk

    def describe(self, row: ParsedRow) -> dict:
        return {"row": row.number, "action": row.action, "label": row.label,
                "district": self.districts.name_of(row.values.get("district")), "target": row.target}

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        now = self.now()
        writer = BulkWriter(actor=self.actor, reason=self.reason, now=now)
        new_rows = [r for r in rows if r.action == "create"]
        orgs = Organisation.objects.bulk_create([
            Organisation(level=Level.PARK, name=r.values["name"], parent_id=r.values["district"],
                         district_id=r.values["district"]) for r in new_rows])
        parks = []
        for row, org in zip(new_rows, orgs, strict=True):
            park = Park(organisation=org, district_id=row.values["district"], created_at=now, updated_at=now)
            for f in self.FIELDS:
                if f in row.values:
                    setattr(park, f, row.values[f])
            parks.append(park)
        writer.insert(Park, parks)
        writer.history(Park, parks, "+")
        targets = Park.objects.in_bulk([r.target for r in rows if r.action == "update"])
        updates, fields = [], set()
        for row in rows:
            if row.action != "update":
                continue
            park = targets[row.target]
            changed = {f for f in self.UPDATE_FIELDS if f in row.values and getattr(park, f) != row.values[f]}
            for f in changed:
                setattr(park, f, row.values[f])
            if changed:
                park.updated_at = now
                fields |= changed | {"updated_at"}
                updates.append(park)
        writer.update(Park, updates, sorted(fields))
        writer.history(Park, updates, "~")
        self.written[Park] += [o.pk for o in parks] + [o.pk for o in updates]
        return len(parks), sum(1 for r in rows if r.action == "update")


class TalentImporter(RegistryImporter):
    """Talents: the same person is the same name at the same employer; the employer is linked to the
    registry's enterprise by credit code or normalised name when there is exactly one."""

    kind = "talent"
    batch_size = 1000
    checked_against = (Talent, Enterprise)
    FIELDS = ("name", "category", "programme", "field", "title", "employer_name", "year_recognised", "achievements",
              "gender", "birth_year", "phone")

    def prepare(self, table: Table) -> None:
        super().prepare(table)
        self.enterprise_by_code = dict(Enterprise.objects.exclude(credit_code="")
                                       .values_list("credit_code", "pk"))
        names: dict[str, list[int]] = defaultdict(list)
        self.enterprise_district: dict[int, int] = {}
        for pk, key, district_id in Enterprise.objects.values_list("pk", "name_key", "district_id").iterator():
            names[key].append(pk)
            self.enterprise_district[pk] = district_id
        self.enterprise_by_name = names
        self.existing: dict[tuple[str, str], list[tuple[int, int | None, int | None]]] = defaultdict(list)
        for pk, name, employer_name, district_id, employer_id in Talent.all_objects.values_list(
                "pk", "name", "employer_name", "district_id", "employer_id"):
            self.existing[(_key(name), normalise_name(employer_name))].append((pk, district_id, employer_id))
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, row: ParsedRow) -> None:
        v = row.values
        self._place(row)
        key = (_key(v.get("name", "")), normalise_name(v.get("employer_name", "")))
        row.label = f"{v.get('name', '')}（{v.get('employer_name', '')}）"
        if key in self.seen:
            row.error("name", gettext("与第 {row} 行是同一人（姓名和工作单位相同）：请删除或合并其中一行")
                      .format(row=self.seen[key]))
            return
        self.seen[key] = row.number
        if row.errors:
            return
        hits = self.existing.get(key, [])
        if len(hits) > 1:
            row.error("name", gettext("登记库中有 {n} 位同名且同单位的人才，无法确定更新哪一位").format(n=len(hits)))
        elif hits:
            pk, district_id, employer_id = hits[0]
            if not self.allowed("talent.change", Talent, district_id=district_id, employer_id=employer_id):
                row.error("name", gettext("第 {row} 行：该人才不在您的管辖范围内，不能由导入修改").format(row=row.number))
                return
            row.action, row.target = "update", pk
        elif not self.allowed("talent.add", Talent, district_id=v.get("district_id"), employer_id=v["employer_id"]):
            row.error("district", gettext("区级工作人员导入人才须填写本区为所属区（或工作单位为本区已登记企业）"))
        else:
            row.action = "create"

    def _place(self, row: ParsedRow) -> None:
        """The talent's employer (by credit code, else a unique name) and district (given, else the employer's)."""
        v = row.values
        district = self.resolve_district(row)
        employer = None
        if v.get("employer_credit_code"):
            employer = self.enterprise_by_code.get(v["employer_credit_code"])
            if employer is None:
                row.error("employer_credit_code", gettext("登记库中没有这个统一社会信用代码的企业"))
        elif v.get("employer_name"):
            hits = self.enterprise_by_name.get(normalise_name(v["employer_name"]), [])
            employer = hits[0] if len(hits) == 1 else None
        v["employer_id"] = employer
        if district is None and employer is not None:
            v["district_id"] = self.enterprise_district.get(employer)
        elif district is not None:
            v["district_id"] = district.id

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        now = self.now()
        creates = []
        targets = Talent.objects.in_bulk([r.target for r in rows if r.action == "update"])
        updates, fields = [], set()
        for row in rows:
            v = row.values
            obj = Talent(created_at=now, updated_at=now) if row.action == "create" else targets[row.target]
            changed = {f for f in self.FIELDS if f in v and getattr(obj, f) != v[f]}
            for f in changed:
                setattr(obj, f, v[f])
            for f in ("employer_id", "district_id"):
                if v.get(f) and getattr(obj, f) != v[f]:
                    setattr(obj, f, v[f])
                    changed.add(f[:-3])
            if row.action == "create":
                creates.append(obj)
            elif changed:
                obj.updated_at = now
                fields |= changed | {"updated_at"}
                updates.append(obj)
        writer = BulkWriter(actor=self.actor, reason=self.reason, now=now)
        writer.insert(Talent, creates)
        writer.history(Talent, creates, "+")
        writer.update(Talent, updates, sorted(fields))
        writer.history(Talent, updates, "~")
        self.written[Talent] += [o.pk for o in creates] + [o.pk for o in updates]
        return len(creates), sum(1 for r in rows if r.action == "update")


IMPORTERS: dict[str, type[RegistryImporter]] = {"enterprise": EnterpriseImporter, "park": ParkImporter,
                                                "talent": TalentImporter}



"""Registry pages. Thin: forms validate, services write, selectors decide what the user may see."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.choices import Level
from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.formatting import list_separator
from wenzhi.core.listing import ChoiceColumn, Column, ListPage, export_xlsx
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import can, require, requires
from wenzhi.core.scoping import organisation_q, scope_for
from wenzhi.core.services import history_diffs

from . import reference, selectors, services
from .choices import (
    DirectoryKind,
    ParkKind,
    ParkLevel,
    ParkStatus,
    Sector,
    TalentCategory,
    TalentProgramme,
    TrainingTeam,
)
from .constants import ENTERPRISE_TAGS, PARK_CRITERIA
from .filters import (
    DirectoryFilter,
    EnterpriseFilter,
    IndustryCodeFilter,
    ParkFilter,
    TalentFilter,
    TrainingFilter,
)
from .forms import (
    DirectoryCreateForm,
    DirectoryEntryForm,
    EnterpriseCreateForm,
    EnterpriseOfficialForm,
    EnterpriseProfileForm,
    EvaluationForm,
    FigureForm,
    OverrideForm,
    ParkCreateForm,
    ParkForm,
    ReasonForm,
    TagsForm,
    TransitionForm,
)
from .models import Directory, DirectoryEntry, Enterprise, Park
from .workflows import allowed_transitions


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(f"{'；'.join(v)}" for v in exc.message_dict.values())
    return "；".join(exc.messages)


def _save_edit(form, save: Callable[[], object]) -> int | None:
    """Run an edit page's ``save()``; None when it saved, else the page's status with the reason on the form
    (200 for a refused value, 409 when someone else saved the row after this form was opened)."""
    try:
        save()
    except ValidationError as exc:
        form.add_error(None, _error_text(exc))
        return 200
    except StaleEdit as exc:
        form.add_error(None, exc.message)
        return 409
    return None


@lru_cache(maxsize=4)
def _tag_labels(language: str) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in ENTERPRISE_TAGS] + [("is_demo", gettext("演示"))]


LIST_COLUMNS = ("id", "name", "credit_code", "district__name", "park__name", "sector", "culture_category",
                "latest_revenue", "latest_employees", "intelligent_score", "is_demo",
                *(key for key, _label in ENTERPRISE_TAGS))
LIST_DEFERRED = ("business_scope", "classification_evidence", "intelligent_evidence", "former_names", "address",
                 "classification_override_reason", "name_key")


def _tags_text(e: Enterprise) -> str:
    return list_separator().join(label for key, label in _tag_labels(get_language()) if getattr(e, key))


# Enterprises -------------------------------------------------------------------------------------------------


class EnterpriseList(ListPage):
    title = _("文化企业库")
    selector = staticmethod(selectors.enterprise_list)
    filterset_class = EnterpriseFilter
    columns = [
        Column("name", _("企业名称"), link=True),
        Column("credit_code", _("统一社会信用代码")),
        Column("district", _("所属区"), "district__name"),
        Column("park", _("园区"), "park__name"),
        ChoiceColumn("sector", _("产业门类"), "sector", choices=Sector),
        Column("culture_category", _("文化产业大类"), lambda e: e.culture_category_name, sortable=False),
        Column("latest_revenue", _("营业收入（万元）"), "latest_revenue"),
        Column("latest_employees", _("从业人员"), "latest_employees"),
        Column("intelligent_score", _("智能化得分"), "intelligent_score"),
        Column("tags", _("标签"), _tags_text, sortable=False),
    ]
    search_fields = ["name", "credit_code", "name_key"]
    default_ordering = "name"
    export_name = "enterprises"

    detail_url_name = "registry:enterprise_detail"
    permission_action = "enterprise.view"

    def get_queryset(self):
        # Only the columns the list shows: building 25 wide model instances (and JSON-decoding long texts)
        # cost more than the page's queries.
        qs = super().get_queryset()
        if self.request.GET.get("export"):
            return qs.defer(*LIST_DEFERRED)
        return qs.only(*LIST_COLUMNS)

    def get_actions(self):
        actions = []
        user = self.request.user
        if can(user, "enterprise.add"):
            actions.append((gettext("登记企业"), reverse("registry:enterprise_create")))
        if can(user, "import.run"):
            actions.append((gettext("批量导入"), reverse("registry:import_new")))
        return actions


def _districts_for(user):
    return Organisation.objects.filter(organisation_q(user), level=Level.DISTRICT).exclude(code="").order_by("code")


def _parks_for(user):
    return Organisation.objects.filter(organisation_q(user, "district"), level=Level.PARK, is_active=True
                                       ).order_by("district__code", "name")


@requires("enterprise.add")
def enterprise_create(request):
    form = EnterpriseCreateForm(request.POST or None, districts=_districts_for(request.user),
                                parks=_parks_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, gettext("企业已登记并按规则归类。"))
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    return render(request, "registry/simple_form.html", {
        "title": gettext("登记企业"), "form": form, "back": reverse("registry:enterprise_list"),
        "note": gettext("保存后系统按行业代码和经营范围自动归类，并为企业创建账号组织。批量登记请使用导入。")})


@requires("enterprise.view_own")
@require_safe
def my_enterprise(request):
    enterprise = selectors.enterprise_for_user(request.user)
    if enterprise is None:
        raise Http404(gettext("您的账号没有关联企业"))
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


def _enterprise(request, pk: int, name: str = "enterprise.view") -> Enterprise:
    """The enterprise ``pk`` if the user may see it (else 404), and may do ``name`` on it (else 403)."""
    enterprise = get_object_or_404(selectors.enterprise_list(user=request.user), pk=pk)
    require(request.user, name, enterprise)
    return enterprise


@requires("enterprise.view")
@require_safe
def enterprise_detail(request, pk: int):
    enterprise = _enterprise(request, pk)
    user = request.user
    official = can(user, "enterprise.view_history", enterprise)
    context = {
        "e": enterprise, "figures": enterprise.year_figures.order_by("-year"),
        "tags": enterprise.tags, "official": official,
        "can_edit": can(user, "enterprise.change_profile", enterprise),
        "can_classify": can(user, "enterprise.classify", enterprise), "override_form": OverrideForm(initial={
            "culture_subcategory": enterprise.culture_subcategory, "sector": enterprise.sector}),
        "tags_form": TagsForm(initial={k: getattr(enterprise, k) for k, _l in ENTERPRISE_TAGS}),
        "figure_form": FigureForm(), "suggest_intelligent": services.intelligent_suggested(enterprise),
        "history": history_diffs(enterprise) if official else [],
        "talents": enterprise.talents.all()[:20] if can(user, "talent.view") else [],
        "directories": enterprise.directory_entries.select_related("directory").order_by("-added_on"),
    }
    return render(request, "registry/enterprise_detail.html", context)


@requires("enterprise.change_profile")
def enterprise_edit(request, pk: int):
    """Profile fields for whoever may "enterprise.change_profile"; identity fields too with "enterprise.change".

    The form carries the row's version (``updated_at``); saving over someone else's newer edit answers 409.
    """
    enterprise = _enterprise(request, pk, "enterprise.change_profile")
    user = request.user
    kwargs = {}
    if can(user, "enterprise.change", enterprise):
        form_class: type[EnterpriseProfileForm] = EnterpriseOfficialForm
        kwargs = {"districts": _districts_for(user), "parks": _parks_for(user)}
    else:
        form_class = EnterpriseProfileForm
    form = form_class(request.POST or None, instance=Enterprise.objects.get(pk=enterprise.pk), **kwargs)
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = _save_edit(form, lambda: services.enterprise_update(
            actor=user, enterprise=enterprise, data=form.changed_data_for_service(),
            reason=form.cleaned_data.get("reason", ""), version=request.POST.get("version", "")))
        status = refused or 200
        if refused is None:
            messages.success(request, gettext("企业信息已保存，变更已记入变更记录。"))
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    version = request.POST.get("version") if status == 409 else version_of(enterprise)
    return render(request, "registry/enterprise_form.html", {"e": enterprise, "form": form, "version": version},
                  status=status)


@requires("enterprise.classify")
@require_POST
def enterprise_override(request, pk: int):
    enterprise = _enterprise(request, pk, "enterprise.classify")
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("人工认定未保存：") + "；".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            services.enterprise_override_classification(
                actor=request.user, enterprise=enterprise, culture_subcategory=form.cleaned_data["culture_subcategory"],
                sector=form.cleaned_data["sector"], reason=form.cleaned_data["reason"])
            messages.success(request, gettext("已人工认定分类。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


@requires("enterprise.classify")
@require_POST
def enterprise_reclassify(request, pk: int):
    enterprise = _enterprise(request, pk, "enterprise.classify")
    if enterprise.classification_override:
        services.enterprise_clear_override(actor=request.user, enterprise=enterprise,
                                           reason=request.POST.get("reason", "").strip())
        messages.success(request, gettext("已取消人工认定，按规则重新归类。"))
    else:
        services.enterprise_classify(actor=request.user, enterprise=enterprise)
        messages.success(request, gettext("已按规则重新归类。"))
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


@requires("enterprise.tag")
@require_POST
def enterprise_tags(request, pk: int):
    enterprise = _enterprise(request, pk, "enterprise.tag")
    form = TagsForm(request.POST)
    if form.is_valid():
        tags = {k: form.cleaned_data[k] for k, _l in ENTERPRISE_TAGS}
        services.enterprise_set_tags(actor=request.user, enterprise=enterprise, tags=tags,
                                     reason=form.cleaned_data["reason"])
        messages.success(request, gettext("标签已更新。"))
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


@requires("enterprise.report_figures")
@require_POST
def enterprise_figure(request, pk: int):
    enterprise = _enterprise(request, pk, "enterprise.report_figures")
    form = FigureForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.enterprise_figure_set(actor=request.user, enterprise=enterprise, year=d["year"],
                                           revenue=d["revenue"], employees=d["employees"],
                                           value_added=d["value_added"])
            messages.success(request, gettext("年度数据已保存。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, gettext("年度数据有误：") + "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


# Parks -------------------------------------------------------------------------------------------------------


class ParkList(ListPage):
    title = _("园区与基地")
    selector = staticmethod(selectors.park_with_counts)
    filterset_class = ParkFilter
    columns = [
        Column("name", _("名称"), link=True),
        ChoiceColumn("level", _("级别"), "level", choices=ParkLevel),
        ChoiceColumn("kind", _("类型"), "kind", choices=ParkKind),
        Column("district", _("所属区"), "district__name"),
        ChoiceColumn("status", _("状态"), "status", choices=ParkStatus),
        Column("enterprise_count", _("入驻企业"), "enterprise_count"),
        Column("designated_on", _("命名日期"), "designated_on"),
        Column("operator", _("运营主体")),
    ]
    search_fields = ["name", "operator", "address"]
    default_ordering = "name"
    export_name = "parks"

    detail_url_name = "registry:park_detail"
    permission_action = "park.view"

    def get_actions(self):
        if can(self.request.user, "park.add"):
            return [(gettext("登记园区/基地"), reverse("registry:park_create"))]
        return []


def _park(request, pk: int, name: str = "park.view"):
    """The park ``pk`` if the user may see it (else 404), and may do ``name`` on it (else 403)."""
    park = get_object_or_404(selectors.park_list(user=request.user), pk=pk)
    require(request.user, name, park)
    return park


@requires("park.add")
def park_create(request):
    form = ParkCreateForm(request.POST or None, districts=_districts_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            park = services.park_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, gettext("园区/基地已登记。"))
            return redirect("registry:park_detail", pk=park.pk)
    return render(request, "registry/simple_form.html", {
        "title": gettext("登记园区/基地"), "form": form, "back": reverse("registry:park_list"),
        "note": gettext("“创建中”的园区在评选命名后转为“已命名”；之后的年度评价、警告、撤销和晋级在园区页面办理。")})


@requires("park.view")
@require_safe
def park_detail(request, pk: int):
    park = _park(request, pk)
    official = can(request.user, "park.view_history", park)
    enterprises = selectors.enterprise_list(user=request.user).filter(park_id=park.organisation_id)
    can_evaluate = can(request.user, "park.evaluate", park)
    context = {
        "park": park, "official": official,
        "enterprise_count": enterprises.count(), "enterprises": enterprises.order_by("name")[:30],
        "evaluations": park.evaluations.select_related("actor").order_by("-year"),
        "transitions": park.transitions.select_related("actor"),
        "allowed": allowed_transitions(park, request.user),
        "transition_form": TransitionForm(), "criteria": PARK_CRITERIA, "can_evaluate": can_evaluate,
        "history": history_diffs(park) if official else [],
        "corrections": _evaluation_corrections(park) if official else [],
    }
    return render(request, "registry/park_detail.html", context)


def _evaluation_corrections(park) -> list[dict]:
    """Each correction of an annual evaluation, with the scores it replaced (newest first)."""
    out = []
    for evaluation in park.evaluations.order_by("-year"):
        for row in history_diffs(evaluation)[:-1]:  # the last row is the first evaluation itself
            out.append({"year": evaluation.year, **row})
    return sorted(out, key=lambda r: r["when"], reverse=True)


@requires("park.change")
def park_edit(request, pk: int):
    """An official corrects a park's name, kind, operator, address, area or description.

    The form carries the row's version (``updated_at``); saving over someone else's newer edit answers 409.
    """
    park = _park(request, pk, "park.change")
    form = ParkForm(request.POST or None, instance=Park.objects.get(pk=park.pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = _save_edit(form, lambda: services.park_update(
            actor=request.user, park=park, data=form.changed_data_for_service(), reason=form.cleaned_data["reason"],
            version=request.POST.get("version", "")))
        status = refused or 200
        if refused is None:
            messages.success(request, gettext("园区/基地信息已保存，变更已记入变更记录。"))
            return redirect("registry:park_detail", pk=park.pk)
    return render(request, "registry/simple_form.html", {
        "title": gettext("编辑园区/基地信息") + f" · {park.name}", "form": form,
        "back": reverse("registry:park_detail", args=[park.pk]),
        "version": request.POST.get("version") if status == 409 else version_of(park),
        "note": gettext("级别、状态和命名日期只随动态管理操作变化，不在此修改。")}, status=status)


@requires("park.transition")
@require_POST
def park_transition(request, pk: int):
    park = _park(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写理由。"))
        return redirect("registry:park_detail", pk=park.pk)
    try:
        services.park_transition(actor=request.user, park=park, transition=form.cleaned_data["transition"],
                                 reason=form.cleaned_data["reason"], happened_on=form.cleaned_data["happened_on"])
        messages.success(request, gettext("已记录动态管理操作。"))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("registry:park_detail", pk=park.pk)


@requires("park.evaluate")
def park_evaluate(request, pk: int):
    park = _park(request, pk, "park.evaluate")
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.park_evaluate(actor=request.user, park=park, year=form.cleaned_data["year"],
                                   scores=form.scores(), reason=form.cleaned_data["reason"],
                                   correction_reason=form.cleaned_data["correction_reason"])
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, gettext("年度评价已保存。"))
            return redirect("registry:park_detail", pk=park.pk)
    return render(request, "registry/park_evaluate.html", {"park": park, "form": form})


# Talents and training ------------------------------------------------------------------------------------------


class TalentList(ListPage):
    title = _("文化人才")
    selector = staticmethod(selectors.talent_list)
    filterset_class = TalentFilter
    columns = [
        Column("name", _("姓名"), link=True),
        ChoiceColumn("category", _("人才类别"), "category", choices=TalentCategory),
        ChoiceColumn("programme", _("入选项目"), "programme", choices=TalentProgramme),
        Column("year_recognised", _("入选年度")),
        Column("field", _("专业领域")),
        Column("title", _("职务/职称")),
        Column("employer_name", _("工作单位")),
        Column("district", _("所属区"), "district__name"),
    ]
    search_fields = ["name", "employer_name", "field"]
    default_ordering = "-year_recognised"
    export_name = "talents"

    detail_url_name = "registry:talent_detail"
    permission_action = "talent.view"


@requires("talent.view")
@require_safe
def talent_detail(request, pk: int):
    talent = get_object_or_404(selectors.talent_list(user=request.user), pk=pk)
    personal = can(request.user, "talent.view_personal", talent)
    return render(request, "registry/talent_detail.html", {
        "t": talent, "personal": personal, "history": history_diffs(talent) if personal else []})


class TrainingList(ListPage):
    title = _("人才培训")
    selector = staticmethod(selectors.training_list)
    filterset_class = TrainingFilter
    columns = [
        Column("name", _("培训项目"), link=True),
        ChoiceColumn("team", _("队伍"), "team", choices=TrainingTeam),
        Column("year", _("年度")),
        Column("district", _("承办区"), lambda p: p.district.name if p.district else gettext("市级")),
        Column("starts_on", _("开始日期")),
        Column("hours", _("学时")),
        Column("participant_count", _("学员人数")),
    ]
    search_fields = ["name", "organiser"]
    default_ordering = "-year"
    export_name = "trainings"

    detail_url_name = "registry:training_detail"
    permission_action = "training.view"


@requires("training.view")
@require_safe
def training_detail(request, pk: int):
    programme = get_object_or_404(selectors.training_list(user=request.user), pk=pk)
    participants = programme.participants.select_related("employer").order_by("name")
    return render(request, "registry/training_detail.html", {"p": programme, "participants": participants})


# Directories -------------------------------------------------------------------------------------------------


class DirectoryList(ListPage):
    title = _("名录")
    selector = staticmethod(selectors.directory_list)
    filterset_class = DirectoryFilter
    columns = [
        Column("name", _("名称"), link=True),
        ChoiceColumn("kind", _("名录类型"), "kind", choices=DirectoryKind),
        Column("year", _("年度")),
        Column("entry_count", _("条目数")),
        Column("published", _("已发布")),
        Column("published_on", _("发布日期")),
    ]
    search_fields = ["name"]
    default_ordering = "-year"
    export_name = "directories"

    detail_url_name = "registry:directory_detail"
    permission_action = "directory.view"

    def get_actions(self):
        actions = [(gettext("公开页面"), reverse("registry:public_directories"))]
        if can(self.request.user, "directory.manage"):
            actions.insert(0, (gettext("新建名录"), reverse("registry:directory_create")))
        return actions


@requires("directory.manage")
def directory_create(request):
    form = DirectoryCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directory = services.directory_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, gettext("名录已创建（未发布）。"))
            return redirect("registry:directory_detail", pk=directory.pk)
    return render(request, "registry/simple_form.html", {
        "title": gettext("新建名录"), "form": form, "back": reverse("registry:directory_list"),
        "note": gettext("新建的名录先不公开：列入企业、园区或项目后再发布。")})


DIRECTORY_COLUMNS = [
    Column("subject", _("名称"), lambda e: e.subject_name, width=44),
    Column("kind", _("类别"), lambda e: gettext("企业") if e.enterprise_id else (gettext("园区/基地") if e.park_id else gettext("项目")), width=10),
    Column("credit_code", _("统一社会信用代码"), lambda e: e.enterprise.credit_code if e.enterprise_id else "", width=22),
    Column("district", _("所属区"), lambda e: (e.enterprise.district.name if e.enterprise_id else
                                              e.park.district.name if e.park_id else ""), width=12),
    Column("note", _("备注"), width=36),
    Column("added_on", _("列入日期"), width=12),
]
DIRECTORY_PAGE_SIZE = 100


def _directory_xlsx(directory, entries):
    """The directory as a numbered sheet (序号 first, as published lists are), readable column widths."""
    columns = [Column("seq", _("序号"), lambda pair: pair[0], width=6)] + [
        Column(c.key, c.label, lambda pair, c=c: c.value(pair[1]), width=c.width) for c in DIRECTORY_COLUMNS]
    return export_xlsx(enumerate(entries, 1), columns, directory.name, title=directory.name[:31])


@requires("directory.view")
@require_safe
def directory_detail(request, pk: int):
    directory = get_object_or_404(selectors.directory_list(user=request.user), pk=pk)
    manage = can(request.user, "directory.manage", directory)
    entries = selectors.directory_entries(directory=directory, include_removed=manage).order_by("removed_on", "id")
    if request.GET.get("export") == "xlsx":
        return _directory_xlsx(directory, selectors.directory_entries(directory=directory).order_by("id").iterator())
    page = Paginator(entries, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/directory_detail.html", {
        "d": directory, "entries": page.object_list, "page": page, "manage": manage,
        "entry_form": DirectoryEntryForm(), "history": history_diffs(directory) if manage else []})


@requires("directory.manage")
@require_POST
def directory_entry_add(request, pk: int):
    directory = get_object_or_404(Directory, pk=pk)
    form = DirectoryEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("registry:directory_detail", pk=pk)
    d = form.cleaned_data
    enterprise = None
    if d["credit_code"]:
        enterprise = Enterprise.objects.filter(credit_code=d["credit_code"].strip().upper()).first()
        if enterprise is None:
            messages.error(request, gettext("登记库中没有统一社会信用代码为 %(code)s 的企业") % {"code": d["credit_code"]})
            return redirect("registry:directory_detail", pk=pk)
    try:
        services.directory_entry_add(actor=request.user, directory=directory, enterprise=enterprise,
                                     project_name=d["project_name"], note=d["note"], reason=d["reason"])
        messages.success(request, gettext("已列入名录。"))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("registry:directory_detail", pk=pk)


@requires("directory.manage")
@require_POST
def directory_entry_remove(request, pk: int):
    entry = get_object_or_404(DirectoryEntry, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": gettext("请填写移出理由")})
        services.directory_entry_remove(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("已移出名录，记录保留在成员变更中。"))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("registry:directory_detail", pk=entry.directory_id)


@requires("directory.publish")
def directory_publish(request, pk: int):
    """Publishing asks for confirmation: the page shows what the public will see, then one button publishes."""
    directory = get_object_or_404(Directory, pk=pk)
    require(request.user, "directory.publish", directory)
    if directory.published:
        messages.info(request, gettext("该名录已发布。"))
        return redirect("registry:directory_detail", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.directory_publish(actor=request.user, directory=directory)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, gettext("已发布，公众可在公开页面查看和下载。"))
        return redirect("registry:directory_detail", pk=pk)
    entries = selectors.directory_entries(directory=directory).order_by("id")
    return render(request, "registry/directory_confirm.html", {
        "d": directory, "publish": True, "count": entries.count(), "entries": entries[:20]})


@requires("directory.unpublish")
def directory_unpublish(request, pk: int):
    """Withdraw a published directory with a reason; its public page and download disappear."""
    directory = get_object_or_404(Directory, pk=pk, published=True)
    require(request.user, "directory.unpublish", directory)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_unpublish(actor=request.user, directory=directory, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, gettext("已撤回发布：公开页面和下载已关闭，撤回理由已记入变更记录。"))
            return redirect("registry:directory_detail", pk=pk)
    return render(request, "registry/directory_confirm.html", {"d": directory, "publish": False, "form": form})


@requires("directory.view_public")
@require_safe
def public_directories(request):
    """Published directories, for everyone (no login)."""
    directories = selectors.directory_list(user=None).order_by("-year", "kind")
    return render(request, "registry/public_directories.html", {"directories": directories})


@requires("directory.view_public")
@require_safe
def public_directory(request, pk: int):
    directory = get_object_or_404(Directory.objects.filter(published=True), pk=pk)
    entries = selectors.directory_entries(directory=directory).order_by("id")
    if request.GET.get("export") == "xlsx":
        return _directory_xlsx(directory, entries.iterator(chunk_size=2000))
    page = Paginator(entries, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/public_directory.html", {"d": directory, "entries": page.object_list,
                                                              "page": page, "total": page.paginator.count})


# Reference tables --------------------------------------------------------------------------------------------


class IndustryCodeList(ListPage):
    title = _("国民经济行业分类与文化产业对照")
    selector = staticmethod(lambda user: selectors.industry_codes())
    filterset_class = IndustryCodeFilter
    columns = [
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("level_name", _("层级")),
        Column("section", _("门类")),
        Column("culture_inclusion", _("文化产业归属"), "culture_inclusion"),
        Column("culture_subcategory", _("文化产业中类"),
               lambda c: f"{c.culture_subcategory} {reference.culture_names().get(c.culture_subcategory, '')}"
               if c.culture_subcategory else ""),
        Column("partial_keywords", _("经营范围关键词（部分归属）")),
    ]
    search_fields = ["code", "name"]
    default_ordering = "code"
    paginate_by = 50
    export_name = "gbt4754-culture"
    permission_action = "reference.view"

    def extra_context(self, request):
        return {"intro": gettext("GB/T 4754-2017 行业代码及其在《文化及相关产业分类（2018）》中的归属；对照关系为近似，"
                            "详见数据来源说明。")}


@requires("reference.view")
@require_safe
def culture_categories(request):
    groups = reference.culture_groups()
    mapping = reference.culture_mapping()
    by_sub: dict[str, list] = {}
    for m in mapping.values():
        by_sub.setdefault(m.subcategory, []).append(m)
    scope = scope_for(request.user)
    counts = {}
    if scope.kind != "none":
        from django.db.models import Count

        counts = dict(selectors.enterprise_list(user=request.user).values_list("culture_subcategory")
                      .annotate(n=Count("id")))
    partial = gettext("（部分）")
    rows = []
    for g in groups:
        codes = sorted(by_sub.get(g["code"], []), key=lambda m: m.industry_code)
        # The tags are written here: ~160 of them through the template language cost more than the query.
        tags = format_html_join("", '<span class="tag{}" title="{}">{} {}{}</span>', (
            (" warn" if m.inclusion == "partial" else "", " ".join(m.keywords), m.industry_code, m.industry_name,
             partial if m.inclusion == "partial" else "") for m in codes))
        rows.append({"row": g, "tags": tags, "count": counts.get(g["code"], 0)})
    return render(request, "registry/culture_categories.html",
                  {"rows": rows, "list_url": reverse("registry:enterprise_list")})

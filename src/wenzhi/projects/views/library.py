"""Project library pages: the list (filters, search, xlsx), detail with history, edit, stage steps."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.exceptions import version_of
from wenzhi.core.listing import ChoiceColumn, Column, ListPage
from wenzhi.core.permissions import can, require, requires
from wenzhi.core.services import history_diffs
from wenzhi.registry.choices import Sector
from wenzhi.registry.selectors import enterprise_list

from .. import selectors, services
from ..choices import ProjectLevel, Stage
from ..filters import ProjectFilter
from ..forms import IntelligenceForm, ProjectCreateForm, ProjectForm, TransitionForm
from ..models import Project
from ..workflows import allowed_transitions
from .common import act, error_text, save_edit

LIST_COLUMNS = ("name", "owner__name", "district__name", "level", "stage", "sector", "start_year",
                "planned_investment", "completed_investment", "intelligent", "intelligent_score", "export_oriented")


def _money(value) -> str:
    return f"{value / 10000:,.2f}" if value is not None else ""


class ProjectList(ListPage):
    title = _("项目库")
    permission_action = "project.view"
    selector = staticmethod(selectors.project_list)
    filterset_class = ProjectFilter
    detail_url_name = "projects:project_detail"
    export_name = "projects"
    # Every sortable column is one of the project row's own (models.library.LIST_SORTS, each with its list
    # indexes). The owner and district are not sortable: ordering by a joined name sorted every live project
    # (0.3–0.9 s a page at 50,000 on SQLite); the district is a filter and the owner is found by the search.
    columns = [
        Column("name", _("项目名称"), link=True),
        Column("owner", _("项目单位"), "owner__name", sortable=False),
        Column("district", _("所属区"), "district__name", sortable=False),
        ChoiceColumn("level", _("项目级别"), "level", choices=ProjectLevel),
        ChoiceColumn("stage", _("项目阶段"), "stage", choices=Stage),
        ChoiceColumn("sector", _("产业门类"), "sector", choices=Sector),
        Column("start_year", _("入库年度")),
        Column("planned_investment", _("计划总投资（元）")),
        Column("completed_investment", _("已完成投资（元）")),
        Column("intelligent", _("智能项目")),
        Column("intelligent_score", _("智能化得分")),
        Column("export_oriented", _("文化出口")),
    ]
    default_ordering = "-start_year"

    def get_queryset(self):
        # Only what the list shows (and the export writes): building 25 wide rows with their description, evidence
        # JSON and the owner's whole registry record cost more than the page's queries.
        return super().get_queryset().select_related(None).select_related("owner", "district").only(*LIST_COLUMNS)

    def paginate(self, qs, filterset, number):
        """The page's ids first, in one narrow query that an index answers (skipping the earlier pages' entries
        inside the index), then only those rows in full: ``?page=50`` made SQLite read and join 1,250 wide rows
        to skip them."""
        from django.core.paginator import Paginator

        if getattr(filterset, "bounded_search", False):
            return super().paginate(qs, filterset, number)
        paginator = Paginator(qs.values_list("pk", flat=True), self.paginate_by)
        page = paginator.get_page(number)
        pks = list(page.object_list)
        by_pk = {obj.pk: obj for obj in qs.order_by().filter(pk__in=pks)}
        return paginator, page, [by_pk[pk] for pk in pks if pk in by_pk]

    def get_actions(self):
        out = []
        if can(self.request.user, "project.add"):
            out.append((gettext("新建项目"), reverse("projects:project_create")))
        if can(self.request.user, "project.import"):
            out.append((gettext("导入项目清单"), reverse("projects:project_import")))
        return out


def _project(request, pk: int, name: str = "project.view") -> Project:
    """The project ``pk`` if the user may see it (else 404) and may do ``name`` on it (else 403)."""
    project = get_object_or_404(selectors.project_list(user=request.user), pk=pk)
    require(request.user, name, project)
    return project


@requires("project.view")
@require_safe
def project_detail(request, pk: int):
    project = _project(request, pk)
    official = can(request.user, "project.view_history", project)
    context = {
        "project": project, "official": official,
        "transitions": project.transitions.select_related("actor"),
        "allowed": allowed_transitions(project, request.user),
        "fundings": project.fundings.all(), "milestones": project.milestones.all(),
        "applications": project.applications.select_related("call").exclude(status="draft"),
        "can_edit": can(request.user, "project.change", project),
        "can_override": can(request.user, "project.override_intelligence", project),
        "history": history_diffs(project) if official else [],
    }
    return render(request, "projects/project_detail.html", context)


@requires("project.add")
def project_create(request):
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = enterprise_list(user=request.user).filter(pk=data.pop("owner")).first()
        if owner is None:
            form.add_error("owner", gettext("找不到该企业，或它不在您的管辖范围内"))
        else:
            try:
                project = services.project_create(actor=request.user, owner=owner,
                                                  planned_investment=data.pop("planned_investment") or Decimal(0), **data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, gettext("项目已入库。"))
                return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/form.html", {"title": gettext("新建项目"), "form": form,
                                                  "back": reverse("projects:project_list")})


@requires("project.change")
def project_edit(request, pk: int):
    """An official edits a project; the form carries the version, a save over a newer edit answers 409."""
    project = _project(request, pk, "project.change")
    form = ProjectForm(request.POST or None, instance=Project.objects.get(pk=project.pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = save_edit(form, lambda: services.project_update(
            actor=request.user, project=project, data=form.changed_data_for_service(),
            reason=form.cleaned_data["reason"], version=request.POST.get("version", "")))
        if refused is None:
            messages.success(request, gettext("已保存。"))
            return redirect("projects:project_detail", pk=project.pk)
        status = refused
    return render(request, "projects/form.html", {
        "title": gettext("编辑项目：%(n)s") % {"n": project.name}, "form": form, "version": version_of(project),
        "back": reverse("projects:project_detail", args=[project.pk])}, status=status)


@require_POST
@requires("project.transition")
def project_transition(request, pk: int):
    project = _project(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择操作并填写理由。"))
        return redirect("projects:project_detail", pk=project.pk)
    return act(request, lambda: services.project_transition(
        actor=request.user, project=project, transition=form.cleaned_data["transition"],
        reason=form.cleaned_data["reason"], happened_on=form.cleaned_data["happened_on"]),
        gettext("已记录阶段变更。"), "projects:project_detail", pk=project.pk)


@require_POST
@requires("project.override_intelligence")
def project_intelligence(request, pk: int):
    project = _project(request, pk, "project.override_intelligence")
    form = IntelligenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择认定结果并填写理由。"))
        return redirect("projects:project_detail", pk=project.pk)
    choice = form.cleaned_data["decision"]
    value = None if choice == "auto" else choice == "1"
    return act(request, lambda: services.project_override_intelligence(
        actor=request.user, project=project, intelligent=value, reason=form.cleaned_data["reason"]),
        gettext("已记录智能化认定。"), "projects:project_detail", pk=project.pk)

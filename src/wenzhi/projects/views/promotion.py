"""Export directory and promotion pages: the yearly key cultural-export project directory, the public
showcase with its interest form, the interest received, and promotion fairs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wenzhi.core.listing import filter_errors
from wenzhi.core.permissions import can, require, requires, restrict

from .. import selectors
from ..filters_funds import ExportDirectoryFilter
from ..forms_funds import (
    ExportDirectoryForm,
    FairForm,
    FairInterestForm,
    InterestForm,
    ProjectPickForm,
    ShowcaseForm,
)
from ..models import ExportDirectory, Fair, InvestorInterest, ShowcaseEntry
from ..services import promotion as svc
from .common import act, save_edit


def _directories(request):
    qs = ExportDirectory.objects.all()
    return qs if can(request.user, "export_directory.manage") else qs.filter(published_on__isnull=False)


@requires("export_directory.view")
def export_directory_list(request):
    """The yearly directories (published ones for the public), filtered by year and searched with ``q`` through
    core's full-text index (a directory's text and the projects, owners and markets it lists)."""
    filterset = ExportDirectoryFilter(request.GET, queryset=_directories(request), request=request)
    errors = [] if filterset.is_valid() else filter_errors(filterset)
    return render(request, "projects/promotion/export_directories.html", {
        "directories": ExportDirectory.objects.none() if errors else filterset.qs, "filterset": filterset,
        "query": request.GET.get("q", "").strip()[:100], "filter_errors": errors,
        "can_manage": can(request.user, "export_directory.manage")}, status=400 if errors else 200)


@requires("export_directory.view")
def export_directory_detail(request, pk: int):
    directory = get_object_or_404(_directories(request), pk=pk)
    manage = can(request.user, "export_directory.manage")
    return render(request, "projects/promotion/export_directory.html", {
        "directory": directory, "can_manage": manage, "form": ProjectPickForm() if manage else None,
        "entries": directory.entries.select_related("project__owner", "project__district")})


@requires("export_directory.manage")
def export_directory_create(request):
    form = ExportDirectoryForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        holder: dict = {}
        if save_edit(form, lambda: holder.update(d=svc.export_directory_create(actor=request.user,
                                                                              **form.cleaned_data))) is None:
            return redirect("projects:export_directory_detail", pk=holder["d"].pk)
    return render(request, "projects/form.html", {"title": gettext("新建文化出口重点项目目录"), "form": form,
                                                  "back": reverse("projects:export_directory_list")})


@require_POST
@requires("export_directory.manage")
def export_entry_add(request, pk: int):
    directory = get_object_or_404(ExportDirectory, pk=pk)
    form = ProjectPickForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写项目编号"))
        return redirect("projects:export_directory_detail", pk=pk)
    project = selectors.project_list(user=request.user).filter(pk=form.cleaned_data["project"]).first()
    if project is None:
        messages.error(request, gettext("项目编号 %(n)s 不存在") % {"n": form.cleaned_data["project"]})
        return redirect("projects:export_directory_detail", pk=pk)
    return act(request, lambda: svc.export_entry_add(actor=request.user, directory=directory, project=project,
                                                     markets=form.cleaned_data["markets"],
                                                     reason=form.cleaned_data["reason"]),
               gettext("已列入目录。"), "projects:export_directory_detail", pk=pk)


@require_POST
@requires("export_directory.manage")
def export_directory_publish(request, pk: int):
    directory = get_object_or_404(ExportDirectory, pk=pk)
    return act(request, lambda: svc.export_directory_publish(actor=request.user, directory=directory),
               gettext("目录已发布。"), "projects:export_directory_detail", pk=pk)


def _shown():
    return ShowcaseEntry.objects.filter(published=True, project__deleted_at__isnull=True)\
        .select_related("project__owner", "project__district")


@requires("showcase.view_public")
def showcase_list(request):
    return render(request, "projects/promotion/showcase.html", {"entries": _shown()[:300]})


@requires("showcase.view_public")
def showcase_detail(request, pk: int):
    """One showcased project and the interest form; a sent form reaches the owner and the district."""
    entry = get_object_or_404(_shown(), project_id=pk)
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "interest.submit")
        if form.is_valid():
            if save_edit(form, lambda: svc.interest_submit(project=entry.project, **form.cleaned_data)) is None:
                messages.success(request, gettext("投资意向已提交，项目单位和所在区将与您联系。"))
                return redirect("projects:showcase_detail", pk=pk)
    return render(request, "projects/promotion/showcase_detail.html", {"entry": entry, "form": form})


@requires("showcase.manage")
def showcase_edit(request, pk: int):
    project = get_object_or_404(selectors.project_list(user=request.user), pk=pk)
    require(request.user, "showcase.manage", project)
    entry = ShowcaseEntry.objects.filter(project=project).first()
    initial = {"pitch": entry.pitch, "seeking": entry.seeking, "published": entry.published} if entry \
        else {"pitch": project.description, "seeking": 0, "published": True}
    form = ShowcaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if save_edit(form, lambda: svc.showcase_save(actor=request.user, project=project, **form.cleaned_data)) is None:
            messages.success(request, gettext("项目展示已更新。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/form.html", {"title": gettext("项目展示：%(p)s") % {"p": project.name},
                                                  "form": form, "back": reverse("projects:project_detail",
                                                                                args=[project.pk])})


@requires("interest.view")
def interest_list(request):
    qs = restrict(InvestorInterest.objects.select_related("project", "fair"), request.user, "interest.view")
    return render(request, "projects/promotion/interests.html", {"interests": qs[:500]})


@requires("fair.view")
def fair_list(request):
    return render(request, "projects/promotion/fairs.html", {"fairs": Fair.objects.all()[:200],
                                                             "can_manage": can(request.user, "fair.manage")})


@requires("fair.manage")
def fair_create(request):
    form = FairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holder: dict = {}
        if save_edit(form, lambda: holder.update(f=svc.fair_create(actor=request.user, **form.cleaned_data))) is None:
            return redirect("projects:fair_detail", pk=holder["f"].pk)
    return render(request, "projects/form.html", {"title": gettext("新建项目推介会"), "form": form,
                                                  "back": reverse("projects:fair_list")})


@requires("fair.view")
def fair_detail(request, pk: int):
    fair = get_object_or_404(Fair, pk=pk)
    projects = list(fair.projects.select_related("owner", "district"))
    manage = can(request.user, "fair.manage", fair)
    return render(request, "projects/promotion/fair_detail.html", {
        "fair": fair, "projects": projects, "can_manage": manage,
        "interests": fair.interests.select_related("project"),
        "pick_form": ProjectPickForm() if manage else None,
        "interest_form": FairInterestForm(projects=projects) if manage and projects else None})


@require_POST
@requires("fair.manage")
def fair_add_project(request, pk: int):
    fair = get_object_or_404(Fair, pk=pk)
    form = ProjectPickForm(request.POST)
    project = selectors.project_list(user=request.user).filter(pk=form.data.get("project") or 0).first() \
        if form.is_valid() else None
    if project is None:
        messages.error(request, gettext("请填写存在的项目编号"))
        return redirect("projects:fair_detail", pk=pk)
    return act(request, lambda: svc.fair_add_project(actor=request.user, fair=fair, project=project),
               gettext("已加入推介会。"), "projects:fair_detail", pk=pk)


@require_POST
@requires("fair.manage")
def fair_interest(request, pk: int):
    """An official records an investor's interest met at the fair."""
    fair = get_object_or_404(Fair, pk=pk)
    projects = list(fair.projects.all())
    form = FairInterestForm(request.POST, projects=projects)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{'；'.join(str(e) for e in v)}" for k, v in form.errors.items()))
        return redirect("projects:fair_detail", pk=pk)
    data = dict(form.cleaned_data)
    project = next((p for p in projects if str(p.pk) == data.pop("project")), None)
    if project is None:
        raise Http404
    return act(request, lambda: svc.interest_submit(project=project, fair=fair, **data),
               gettext("投资意向已记录。"), "projects:fair_detail", pk=pk)

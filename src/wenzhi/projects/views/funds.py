"""Fund pages: funds (list, new, detail), the optimiser's proposal, adjusting and approving it, grants and
their tranches, and leverage per district, sector, year and project."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import can, require, requires

from .. import selectors
from ..choices_funds import AllocationStatus
from ..filters_funds import FundFilter, GrantFilter
from ..forms_funds import DisbursementForm, FundForm, GrantAdjustForm, ProposeForm
from ..models import FundAllocation, Milestone
from ..selectors_funds import (
    GROUPS,
    allocation_list,
    disbursement_list,
    fund_list,
    fund_paid,
    grant_list,
    leverage,
    leverage_summary,
)
from ..services import funds as svc
from .common import act, save_edit


class FundList(ListPage):
    title = _("专项资金")
    permission_action = "fund.view"
    selector = staticmethod(fund_list)
    filterset_class = FundFilter
    detail_url_name = "projects:fund_detail"
    export_name = "funds"
    default_ordering = "-year"
    columns = [
        Column("name", _("资金名称"), link=True),
        Column("kind", _("资金类型"), "kind"),
        Column("year", _("年度")),
        Column("budget", _("预算（元）")),
        Column("committed", _("已安排（元）"), sortable=False),
    ]

    def get_actions(self):
        out = [(gettext("资金撬动"), reverse("projects:leverage"))]
        if can(self.request.user, "fund.manage"):
            out.append((gettext("设立资金"), reverse("projects:fund_create")))
        return out


class GrantList(ListPage):
    title = _("资助安排与拨付")
    permission_action = "grant.view"
    selector = staticmethod(grant_list)
    filterset_class = GrantFilter
    detail_url_name = "projects:grant_detail"
    export_name = "grants"
    default_ordering = "-amount"
    columns = [
        Column("application", _("项目名称"), "application__title", link=True),
        Column("enterprise", _("项目单位"), "enterprise__name"),
        Column("district", _("所属区"), "district__name"),
        Column("fund", _("资金"), "allocation__fund__name"),
        Column("status", _("方案状态"), "allocation__status"),
        Column("amount", _("安排金额（元）")),
        Column("paid", _("已拨付（元）"), sortable=False),
        Column("reason", _("安排依据"), "reason"),
    ]


@requires("fund.manage")
def fund_create(request):
    form = FundForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        holder: dict = {}
        if save_edit(form, lambda: holder.update(fund=svc.fund_create(actor=request.user, **form.cleaned_data))) is None:
            messages.success(request, gettext("资金已设立。"))
            return redirect("projects:fund_detail", pk=holder["fund"].pk)
    return render(request, "projects/form.html", {"title": gettext("设立资金"), "form": form,
                                                  "back": reverse("projects:fund_list")})


@requires("fund.view")
def fund_detail(request, pk: int):
    fund = get_object_or_404(fund_list(user=request.user), pk=pk)
    allocations = allocation_list(user=request.user).filter(fund=fund)
    context = {"fund": fund, "allocations": allocations, "paid": fund_paid(fund),
               "left": fund.budget - getattr(fund, "committed", 0), "can_propose": can(request.user, "allocation.propose")}
    return render(request, "projects/funds/fund_detail.html", context)


@requires("allocation.propose")
def allocation_propose(request, pk: int):
    fund = get_object_or_404(fund_list(user=request.user), pk=pk)
    calls = selectors.call_list(user=request.user).filter(applications__decision__outcome__in=svc.FUNDED_OUTCOMES)\
        .distinct()
    form = ProposeForm(request.POST or None, calls=calls, initial={"amount": fund.budget - getattr(fund, "committed", 0)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        call = calls.get(pk=data.pop("call"))
        holder: dict = {}
        refused = save_edit(form, lambda: holder.update(a=svc.allocation_propose(
            actor=request.user, fund=fund, call=call, amount=data["amount"], title=data["title"],
            max_district_share=data["max_district_share"],
            min_funded_per_district=data["min_funded_per_district"] or 0)))
        if refused is None:
            messages.success(request, gettext("已按优化模型编制分配方案，请核对后批准。"))
            return redirect("projects:allocation_detail", pk=holder["a"].pk)
    return render(request, "projects/form.html", {"title": gettext("编制资金分配方案"), "form": form,
                                                  "back": reverse("projects:fund_detail", args=[fund.pk])})


def _allocation(request, pk: int) -> FundAllocation:
    return get_object_or_404(allocation_list(user=request.user), pk=pk)


@requires("fund.view")
def allocation_detail(request, pk: int):
    allocation = _allocation(request, pk)
    grants = allocation.grants.select_related("application", "enterprise", "district").order_by("-amount", "-score")
    open_ = allocation.status == AllocationStatus.PROPOSED
    context = {"allocation": allocation, "grants": grants,
               "can_adjust": open_ and can(request.user, "allocation.adjust", allocation),
               "can_approve": open_ and can(request.user, "allocation.approve", allocation)}
    return render(request, "projects/funds/allocation_detail.html", context)


@require_POST
@requires("allocation.approve")
def allocation_approve(request, pk: int):
    allocation = _allocation(request, pk)
    return act(request, lambda: svc.allocation_approve(actor=request.user, allocation=allocation,
                                                       version=request.POST.get("version")),
               gettext("分配方案已批准。"), "projects:allocation_detail", pk=allocation.pk)


@requires("allocation.adjust")
def grant_adjust(request, pk: int):
    grant = get_object_or_404(grant_list(user=request.user), pk=pk)
    allocation = grant.allocation
    form = GrantAdjustForm(request.POST or None, initial={"amount": grant.amount})
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = save_edit(form, lambda: svc.grant_adjust(
            actor=request.user, grant=grant, amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"], version=request.POST.get("version")))
        if refused is None:
            messages.success(request, gettext("安排金额已调整。"))
            return redirect("projects:allocation_detail", pk=allocation.pk)
        status = refused
    return render(request, "projects/form.html", {
        "title": gettext("调整“%(t)s”的安排金额（%(lo)s–%(hi)s 元，或 0）") % {
            "t": grant.application.title, "lo": grant.min_amount, "hi": grant.max_amount},
        "form": form, "version": str(allocation.version),
        "back": reverse("projects:allocation_detail", args=[allocation.pk])}, status=status)


def _grant_page(request, grant, form=None, status: int = 200):
    milestones = Milestone.objects.filter(project_id=grant.project_id) if grant.project_id else Milestone.objects.none()
    if form is None and can(request.user, "disbursement.add", grant) \
            and grant.allocation.status == AllocationStatus.APPROVED:
        form = DisbursementForm(milestones=milestones, initial={"paid_on": timezone.localdate()})
    context = {"grant": grant, "form": form, "milestones": milestones,
               "tranches": disbursement_list(user=request.user).filter(grant=grant)}
    return render(request, "projects/funds/grant_detail.html", context, status=status)


@requires("grant.view")
def grant_detail(request, pk: int):
    grant = get_object_or_404(grant_list(user=request.user), pk=pk)
    require(request.user, "grant.view", grant)
    return _grant_page(request, grant)


@require_POST
@requires("disbursement.add")
def grant_disburse(request, pk: int):
    """Pay one tranche (the form on the grant page); refused with the reason, nothing written."""
    grant = get_object_or_404(grant_list(user=request.user), pk=pk)
    require(request.user, "disbursement.add", grant)
    milestones = Milestone.objects.filter(project_id=grant.project_id) if grant.project_id else Milestone.objects.none()
    form = DisbursementForm(request.POST, milestones=milestones)
    if form.is_valid():
        data = form.cleaned_data
        refused = save_edit(form, lambda: svc.disbursement_create(
            actor=request.user, grant=grant, amount=data["amount"], paid_on=data["paid_on"], note=data["note"],
            milestone=milestones.filter(pk=data["milestone"]).first() if data["milestone"] else None))
        if refused is None:
            messages.success(request, gettext("已拨付。"))
            return redirect("projects:grant_detail", pk=grant.pk)
    return _grant_page(request, grant, form)


@requires("leverage.view")
def leverage_page(request):
    by = request.GET.get("by", "district")
    if by not in GROUPS:
        by = "district"
    context = {"summary": leverage_summary(user=request.user), "rows": leverage(user=request.user, by=by), "by": by,
               "groups": [("district", gettext("按区")), ("sector", gettext("按产业门类")), ("year", gettext("按年度")),
                          ("project", gettext("按项目"))]}
    return render(request, "projects/funds/leverage.html", context)

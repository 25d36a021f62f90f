"""Account pages: officials administer the accounts in their scope; everyone changes their own password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..exceptions import StaleEdit
from ..listing import Column, ListPage
from ..models import User
from ..permissions import can, require, requires
from . import history, rules
from .forms import AccountFilter, AccountForm, ResetPasswordForm


class AccountList(ListPage):
    title = _("账号管理")
    selector = staticmethod(selectors.user_list)
    filterset_class = AccountFilter
    columns = [
        Column("username", _("用户名"), link=True),
        Column("display_name", _("姓名")),
        Column("organisation", _("所属组织"), "organisation__name"),
        Column("roles", _("角色"), lambda u: u.role_labels, sortable=False),
        Column("is_active", _("状态"), lambda u: gettext("有效") if u.is_active else gettext("已停用"),
               sortable=False),
        Column("last_login", _("最近登录")),
    ]
    search_fields = ["username", "display_name", "email"]
    default_ordering = "username"
    export_name = "accounts"
    detail_url_name = "core:account_detail"

    def check_access(self, user) -> None:
        require(user, "account.view")

    def get_actions(self):
        if can(self.request.user, "account.add"):
            return [(gettext("新建账号"), reverse("core:account_create"))]
        return []


account_list = requires("account.view")(AccountList.as_view())


def _account(request, pk: int, action: str) -> User:
    """The account ``pk`` if it lies in the caller's scope (404 otherwise, as for a row that does not exist)."""
    user = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    require(request.user, action, user)
    return user


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@requires("account.view")
def account_detail(request, pk: int):
    account = _account(request, pk, "account.view")
    me = request.user
    return render(request, "core/accounts/detail.html", {
        "account": account, "history": history.rows(account),
        "may_change": can(me, "account.change", account),
        "may_deactivate": can(me, "account.deactivate", account) and account.pk != me.pk,
        "may_reset": can(me, "account.reset_password", account) and account.pk != me.pk,
    })


@requires("account.add")
@require_http_methods(["GET", "POST"])
def account_create(request):
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        password = d["password"] or rules.temporary_password()
        try:
            account = services.user_create(
                actor=request.user, username=d["username"], password=password, roles=d["roles"],
                organisation=d["organisation"], display_name=d["display_name"], email=d["email"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            # Shown once, on this response only: the official passes it on; the owner must change it at login.
            return render(request, "core/accounts/password_issued.html", {
                "account": account, "password": password, "generated": not d["password"],
                "title": gettext("账号已创建")})
    return render(request, "core/accounts/form.html", {
        "form": form, "title": gettext("新建账号"), "back": reverse("core:account_list")})


@requires("account.change")
@require_http_methods(["GET", "POST"])
def account_edit(request, pk: int):
    account = _account(request, pk, "account.change")
    form = AccountForm(request.POST or None, actor=request.user, instance=account)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.user_update(actor=request.user, user=account, display_name=d["display_name"],
                                 email=d["email"], organisation=d["organisation"], roles=d["roles"],
                                 expected_version=d.get("version"))
        except ValidationError as exc:
            account.refresh_from_db()
            _form_errors(form, exc)
        except StaleEdit as exc:
            account.refresh_from_db()
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, gettext("账号已保存，变更已记入变更记录。"))
            return redirect("core:account_detail", pk=account.pk)
    return render(request, "core/accounts/form.html", {
        "form": form, "title": gettext("修改账号：%(name)s") % {"name": account}, "account": account,
        "back": reverse("core:account_detail", args=[account.pk])}, status=status)


@requires("account.deactivate")
@require_POST
def account_deactivate(request, pk: int):
    account = _account(request, pk, "account.deactivate")
    try:
        services.user_deactivate(actor=request.user, user=account, reason=request.POST.get("reason", "").strip())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, gettext("账号已停用：不能再登录，API 令牌已失效。"))
    return redirect("core:account_detail", pk=account.pk)


@requires("account.deactivate")
@require_POST
def account_reactivate(request, pk: int):
    account = _account(request, pk, "account.deactivate")
    services.user_reactivate(actor=request.user, user=account, reason=request.POST.get("reason", "").strip())
    messages.success(request, gettext("账号已重新启用。"))
    return redirect("core:account_detail", pk=account.pk)


@requires("account.reset_password")
@require_http_methods(["GET", "POST"])
def account_reset_password(request, pk: int):
    account = _account(request, pk, "account.reset_password")
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        by_mail = form.cleaned_data["method"] == "email"
        password = None if by_mail else rules.temporary_password()
        try:
            services.user_reset_password(actor=request.user, user=account, temporary_password=password,
                                         send_email=by_mail, site_url=request.build_absolute_uri("/"))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if by_mail:
                messages.success(request, gettext("重置邮件已发送到 %(email)s；本人设置新密码前不能登录。")
                                 % {"email": account.email})
                return redirect("core:account_detail", pk=account.pk)
            return render(request, "core/accounts/password_issued.html", {
                "account": account, "password": password, "generated": True, "title": gettext("密码已重置")})
    return render(request, "core/accounts/reset_password.html", {"form": form, "account": account})


@requires("account.change_own_password")
@require_http_methods(["GET", "POST"])
def password_change(request):
    """The signed-in user's own password; where a must-change account is sent before anything else."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(actor=request.user, old_password=form.cleaned_data["old_password"],
                                          new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # stay signed in with the new password
            messages.success(request, gettext("密码已修改。"))
            nxt = request.GET.get("next", "")
            if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                return redirect(nxt)
            return redirect("core:account")
    return render(request, "core/accounts/password_change.html", {"form": form})

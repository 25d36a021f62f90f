"""Forms and the list filter of the account pages."""

from __future__ import annotations

from typing import cast

import django_filters as df
from django import forms
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import Role
from ..filtering import FilterSet
from ..models import Organisation, User
from .rules import assignable_organisation_q, role_choices


class OrganisationField(forms.CharField):
    """An organisation typed by its code (区划代码, 统一社会信用代码, park code) or full name, looked up among
    the organisations the actor may assign: a select of every enterprise would be tens of thousands long."""

    def __init__(self, *, actor, **kwargs):
        self.actor = actor
        kwargs.setdefault("help_text", _("填写组织代码（区划代码、统一社会信用代码等）或完整名称；专家、编辑、公众可留空。"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.code or value.name
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        qs = Organisation.objects.filter(assignable_organisation_q(self.actor))
        matches = list(qs.filter(code=text)[:2]) or list(qs.filter(name=text)[:2])
        if not matches and len(text) >= 2:  # part of a name, when only one organisation has it
            matches = list(qs.filter(name__icontains=text)[:2])
            if len(matches) > 1:
                raise forms.ValidationError(gettext("有多个组织的名称含有“%(text)s”，请填写完整名称或代码。")
                                            % {"text": text})
        if not matches:
            raise forms.ValidationError(gettext("在您可管理的组织中找不到代码或名称为“%(text)s”的组织。")
                                        % {"text": text})
        if len(matches) > 1:
            raise forms.ValidationError(gettext("有多个组织名为“%(text)s”，请改填其代码。") % {"text": text})
        return matches[0]


class AccountForm(forms.Form):
    """Create (with username and optional initial password) or edit an account."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("登录用的名称：字母、数字及 @ . + - _，创建后不能修改。"))
    display_name = forms.CharField(label=_("姓名"), max_length=100, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False,
                             help_text=_("用于接收密码重置邮件。"))
    roles = forms.MultipleChoiceField(label=_("角色"), widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(label=_("初始密码"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text=_("留空则自动生成临时密码。账号首次登录时须修改密码。"))

    def __init__(self, *args, actor, instance: User | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {
                "display_name": instance.display_name, "email": instance.email,
                "organisation": instance.organisation, "roles": list(instance.roles or [])})
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["organisation"] = OrganisationField(actor=actor, label=_("所属组织"), required=False)
        self.order_fields(["username", "display_name", "email", "organisation", "roles", "password"])
        choices = role_choices(actor)
        current = set(instance.roles or []) if instance is not None else set()
        # Roles the account holds but the actor may not grant stay visible, so saving does not drop them silently;
        # the service refuses them with a message naming the role.
        extra = [(v, lbl) for v, lbl in Role.choices if v in current and v not in dict(choices)]
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = choices + extra
        if instance is not None:
            from ..services import account_version

            del self.fields["username"]
            del self.fields["password"]
            self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False,
                                                     initial=account_version(instance))


class ResetPasswordForm(forms.Form):
    METHODS = [("temporary", _("生成临时密码（由您转告本人）")), ("email", _("发送重置邮件到账号的电子邮箱"))]
    method = forms.ChoiceField(label=_("重置方式"), choices=METHODS, initial="temporary", widget=forms.RadioSelect)


def _role_choices():
    return Role.choices


class AccountFilter(FilterSet):
    role = df.ChoiceFilter(label=_("角色"), choices=_role_choices, method="filter_role")
    organisation = df.CharFilter(label=_("所属组织"), method="filter_organisation")
    is_active = df.ChoiceFilter(label=_("状态"), choices=[("1", _("有效")), ("0", _("已停用"))],
                                method="filter_active")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_role(self, qs, name, value):
        # Roles are a JSON list; its text form is the same on SQLite and PostgreSQL ('["park_operator"]').
        return qs.annotate(roles_text=Cast("roles", output_field=TextField())).filter(
            roles_text__contains=f'"{value}"')

    def filter_organisation(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(organisation__name__icontains=value) | Q(organisation__code=value)) if value else qs

    def filter_active(self, qs, name, value):
        return qs.filter(is_active=value == "1")

"""Forms of the benefit card's pages: they shape input (yuan → fen); the services validate again."""

from __future__ import annotations

import secrets
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level, Role
from wenzhi.core.models import Organisation, User
from wenzhi.core.widgets import Textarea

from .choices import ItemCategory
from .models import CardPolicy, Merchant, SubsidyRule
from .money import fen_from_yuan


def _choice(form, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, typed (its choices are narrowed to the user's scope)."""
    return cast(forms.ModelChoiceField, form.fields[name])



def new_client_key() -> str:
    """A fresh request key for a money form: the page carries it, so submitting twice counts once."""
    return secrets.token_hex(16)


class YuanField(forms.DecimalField):
    """A yuan amount with at most two decimals; ``clean`` returns integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            return fen_from_yuan(value, field="amount", label=str(self.label))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class TopUpForm(forms.Form):
    amount = YuanField(label=_("充值金额（元）"))
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ApplyForm(forms.Form):
    holder_name = forms.CharField(label=_("持卡人姓名"), max_length=60, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)


class IssueForm(ApplyForm):
    holder = forms.ModelChoiceField(label=_("居民账号"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        residents = [u.pk for u in User.objects.filter(is_active=True).order_by("username")[:2000]
                     if u.has_role(Role.PUBLIC)]
        _choice(self, "holder").queryset = User.objects.filter(pk__in=residents).order_by("username")


class ChargeForm(forms.Form):
    card_number = forms.CharField(label=_("卡号"), max_length=20)
    amount = YuanField(label=_("消费金额（元）"))
    item_category = forms.ChoiceField(label=_("消费类别"), choices=ItemCategory.choices)
    reference = forms.CharField(label=_("业务单号"), max_length=100, required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RefundForm(forms.Form):
    amount = YuanField(label=_("退款金额（元）"))
    reason = forms.CharField(label=_("退款原因"), max_length=200, required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MerchantForm(forms.ModelForm):
    class Meta:
        model = Merchant
        fields = ["name", "organisation", "district", "category", "address", "phone", "venue", "is_participating",
                  "subsidy_eligible", "operators"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "district").queryset = Organisation.objects.filter(level=Level.DISTRICT).order_by("code")
        _choice(self, "organisation").queryset = Organisation.objects.filter(is_active=True).order_by("level", "name")
        operators = [u.pk for u in User.objects.filter(is_active=True) if u.has_role(Role.VENUE_OPERATOR)]
        _choice(self, "operators").queryset = User.objects.filter(pk__in=operators).order_by("username")

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f != "operators"}


class RuleForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(label=_("适用消费类别"), choices=ItemCategory.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple, help_text=_("不选则适用全部类别"))
    cap = YuanField(label=_("每人每年补贴上限（元）"))

    class Meta:
        model = SubsidyRule
        fields = ["name", "year", "percent", "categories", "merchants", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            fen = self.instance.cap_fen
            self.initial["cap"] = f"{fen // 100}.{fen % 100:02d}"  # yuan, exact (no float)
        _choice(self, "merchants").queryset = Merchant.objects.filter(is_participating=True).order_by("name")

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in ("name", "year", "percent", "is_active")}
        data["categories"] = list(self.cleaned_data["categories"])
        data["cap_fen"] = self.cleaned_data["cap"]
        return data


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2018, max_value=2100)
    amount = YuanField(label=_("补贴预算（元）"))
    note = forms.CharField(label=_("说明"), widget=Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CardPolicy
        fields = ["real_name_required", "topup_min_fen", "topup_max_fen", "balance_max_fen"]

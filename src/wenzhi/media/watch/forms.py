"""Forms of opinion monitoring's pages; they collect input, the services validate and write."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from .choices import ReportKind
from .models import AlertRule, Webhook
from .permissions import WATCHERS
from .workflows import ALERT_STEPS

SEPARATOR = "，"


class ListField(forms.CharField):
    """A list of words or addresses typed as one line, separated by commas (，、, or new lines)."""

    def prepare_value(self, value):
        return SEPARATOR.join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        for sep in ("，", "、", "\n"):
            text = text.replace(sep, ",")
        return [v.strip() for v in text.split(",") if v.strip()]


def watcher_users():
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return users.filter(pk__in=[u.pk for u in users if u.has_role(*WATCHERS)])


class RuleForm(forms.ModelForm):
    keywords = ListField(label=_("关键词"), required=False, help_text=_("多个关键词用逗号或顿号分隔，命中任一即预警"))
    email_to = ListField(label=_("邮件通知地址"), required=False, help_text=_("多个地址用逗号分隔"))

    class Meta:
        model = AlertRule
        fields = ["name", "kind", "severity", "is_active", "keywords", "entity_kind", "entity_id", "source",
                  "negativity", "negative_only", "district", "window_hours", "baseline_days", "spike_factor",
                  "min_count", "notify_users", "email_to", "webhooks"]
        widgets = {"notify_users": forms.CheckboxSelectMultiple, "webhooks": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = Organisation.objects.filter(level=Level.DISTRICT).order_by("code")
        cast(forms.ModelChoiceField, self.fields["notify_users"]).queryset = watcher_users()
        self.fields["notify_users"].help_text = _("不选则通知全部融媒体编辑及所属区工作人员")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["notify_users"] = list(data["notify_users"])
        data["webhooks"] = list(data["webhooks"])
        return data


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("接收地址"), max_length=500, assume_scheme="https",
                         help_text=_("http(s) 地址，平台以 JSON POST 推送预警"))
    secret = forms.CharField(label=_("签名密钥"), required=False, max_length=128,
                             help_text=_("留空：新建时自动生成，修改时保持不变"))

    class Meta:
        model = Webhook
        fields = ["name", "url", "is_active"]  # the secret is kept unless a new one is typed (services)

    field_order = ["name", "url", "secret", "is_active"]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("操作"), choices=[(k, s.label) for k, s in ALERT_STEPS.items()])
    unit = forms.ModelChoiceField(label=_("承办单位"), required=False, queryset=Organisation.objects.filter(
        level__in=[Level.CITY, Level.DISTRICT]).order_by("level", "code"))
    assignee = forms.ModelChoiceField(label=_("承办人"), required=False, queryset=get_user_model().objects.none())
    response = forms.CharField(label=_("官方回应"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    comment = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = watcher_users()


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    period_start = forms.DateField(label=_("报告期内任一日"), widget=forms.DateInput(attrs={"type": "date"}))

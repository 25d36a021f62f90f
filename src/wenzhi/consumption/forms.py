"""Forms of the consumption pages: they shape input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from .choices import EventKind
from .models import Event, Session, Venue


class ListingFilter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=80)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *EventKind.choices])
    district = forms.ModelChoiceField(label=_("区"), required=False, empty_label=_("全部区"),
                                      queryset=Organisation.objects.filter(level=Level.DISTRICT).order_by("code"))
    day = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    free = forms.BooleanField(label=_("只看公益免费场"), required=False)


def _one_newline(text: str) -> str:
    """Browsers post CRLF line ends; stored text keeps LF so a form saved back unchanged changes nothing."""
    return text.replace("\r\n", "\n")


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "kind", "district", "address", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            level=Level.DISTRICT).order_by("code")

    def clean_description(self) -> str:
        return _one_newline(self.cleaned_data["description"])


class HallForm(forms.Form):
    name = forms.CharField(label=_("厅名"), max_length=80)
    is_screen = forms.BooleanField(label=_("电影银幕"), required=False)


class SeatMapForm(forms.Form):
    zones = forms.CharField(label=_("票档"), widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
                            help_text=_("每行一个票档：字母 名称 [#颜色]，如“A 一等座 #c0392b”。"))
    layout = forms.CharField(label=_("座位图"), widget=forms.Textarea(attrs={"rows": 16, "class": "mono",
                                                                          "spellcheck": "false"}),
                             help_text=_("每行一排：区域 排号 座位格。A-Z 为该票档座位，小写为无障碍座位，# 为不可售座位，"
                                         ". 为过道。例：池座 1 AAAA.aAAA"))


class SeatImportForm(forms.Form):
    file = forms.FileField(label=_("座位表文件（.xlsx 或 .csv）"),
                           help_text=_("列：区域、排、座号、横坐标、纵坐标、票档、无障碍、不可售。"))


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "kind", "description", "published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_description(self) -> str:
        return _one_newline(self.cleaned_data["description"])


class SessionForm(forms.ModelForm):
    """A new session; one price field per zone of the chosen hall is added by the view (``price_<code>``)."""

    class Meta:
        model = Session
        fields = ["hall", "starts_at", "sale_starts_at", "sale_ends_at", "is_free", "per_person_limit", "quota",
                  "hold_minutes", "refund_rule", "refund_hours", "refund_fee_percent"]
        widgets = {f: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
                   for f in ("starts_at", "sale_starts_at", "sale_ends_at")}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        halls = event.venue.halls.all()
        self.fields["hall"].queryset = halls  # type: ignore[attr-defined]
        self.zone_codes = sorted({z.code for h in halls for z in h.zones.all()})
        for code in self.zone_codes:
            self.fields[f"price_{code}"] = forms.DecimalField(
                label=_("票档 %(code)s 票价（元）") % {"code": code}, required=False, min_value=Decimal("0"),
                max_digits=9, decimal_places=2)

    def prices(self) -> dict[str, Decimal]:
        return {c: self.cleaned_data[f"price_{c}"] for c in self.zone_codes
                if self.cleaned_data.get(f"price_{c}") is not None}


class CheckInForm(forms.Form):
    token = forms.CharField(label=_("票码"), max_length=500, widget=forms.TextInput(attrs={"autofocus": True}))


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("退款金额（元）"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    reason = forms.CharField(label=_("退款理由"), max_length=200)

"""Forms of rural tourism's pages (the services validate again)."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.core.widgets import Textarea

from .choices import PlaceKind
from .models import Board, Place, Route


def _choice(form, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, typed (its choices are narrowed to the user's scope)."""
    return cast(forms.ModelChoiceField, form.fields[name])



class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["kind", "name", "district", "village", "boards", "summary", "description", "address", "longitude",
                  "latitude", "opening_hours", "phone", "heritage_level", "service_type", "is_published"]
        widgets = {"description": Textarea(attrs={"rows": 4}), "opening_hours": Textarea(attrs={"rows": 2}),
                   "boards": forms.CheckboxSelectMultiple}

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "district").queryset = districts if districts is not None else \
            Organisation.objects.filter(level=Level.DISTRICT).order_by("code")
        _choice(self, "village").queryset = Place.objects.filter(kind=PlaceKind.VILLAGE).order_by("name")
        _choice(self, "boards").queryset = Board.objects.filter(is_active=True).order_by("order")

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f != "boards"}


STOP_LINE = re.compile(r"^\s*(\d+)\b")


class RouteForm(forms.ModelForm):
    stops = forms.CharField(label=_("途经地点"), widget=Textarea(attrs={"rows": 5}),
                            help_text=_("每行一个地点，以地点编号开头，例如“12 杨柳青古镇”，按游览顺序排列"))

    class Meta:
        model = Route
        fields = ["name", "district", "summary", "days", "boards", "is_published"]
        widgets = {"summary": Textarea(attrs={"rows": 3}), "boards": forms.CheckboxSelectMultiple}

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "district").queryset = districts if districts is not None else \
            Organisation.objects.filter(level=Level.DISTRICT).order_by("code")
        _choice(self, "boards").queryset = Board.objects.filter(is_active=True).order_by("order")
        if self.instance.pk:
            self.initial["stops"] = "\n".join(f"{s.place_id} {s.place.name}"
                                              for s in self.instance.stops.select_related("place").order_by("order"))

    def clean_stops(self) -> list[Place]:
        out = []
        for number, line in enumerate(self.cleaned_data["stops"].splitlines(), 1):
            if not line.strip():
                continue
            match = STOP_LINE.match(line)
            place = Place.objects.filter(pk=int(match.group(1))).first() if match else None
            if place is None:
                raise ValidationError(gettext("第 %(n)s 行“%(line)s”：找不到此编号的地点。") % {"n": number, "line": line.strip()})
            out.append(place)
        return out

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ("name", "district", "summary", "days", "is_published")}


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = ["name", "description", "clause", "order", "is_active"]
        widgets = {"description": Textarea(attrs={"rows": 4})}


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)

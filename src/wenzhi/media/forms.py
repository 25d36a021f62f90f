"""Forms of the media pages: a source's settings and a file upload."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import SourceKind
from .models import Source

MAX_UPLOAD = 50 * 1024 * 1024


class SourceForm(forms.ModelForm):
    url = forms.URLField(label=_("地址"), required=False, max_length=1000, assume_scheme="https")
    selectors_text = forms.CharField(
        label=_("选择器（JSON）"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('网页列表：{"item": "li.news", "title": "a", "link": "a", "date": ".time"}；'
                    'JSON 接口：{"items": "data.list"}'))

    class Meta:
        model = Source
        fields = ["name", "kind", "url", "enabled", "district", "interval_minutes", "max_bytes", "timeout_seconds",
                  "max_redirects", "max_items"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wenzhi.core.choices import Level
        from wenzhi.core.models import Organisation

        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = Organisation.objects.filter(level=Level.DISTRICT).order_by("code")
        self.initial.setdefault("selectors_text", json.dumps(self.instance.selectors or {}, ensure_ascii=False)
                                if self.instance.selectors else "")

    def clean_selectors_text(self):
        text = (self.cleaned_data.get("selectors_text") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("选择器不是有效的 JSON：%(msg)s"), params={"msg": exc.msg}) from None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise forms.ValidationError(_("选择器应为 JSON 对象，值为 CSS 选择器文本"))
        return value

    def clean(self):
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (SourceKind.RSS, SourceKind.JSON, SourceKind.HTML) and not data.get("url"):
            self.add_error("url", _("订阅类和网页列表信息源必须填写地址"))
        if kind == SourceKind.HTML and not (data.get("selectors_text") or {}).get("item"):
            self.add_error("selectors_text", _("网页列表信息源需要条目选择器 item"))
        for name, limit in (("timeout_seconds", 120), ("max_redirects", 20)):
            if (data.get(name) or 0) > limit:
                self.add_error(name, _("不能超过 %(n)s") % {"n": limit})
        if data.get("max_bytes") and data["max_bytes"] > MAX_UPLOAD:
            self.add_error("max_bytes", _("不能超过 50 MB"))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"), help_text=_("CSV、JSON Lines、JSON 或 xlsx；列：id、title、text、url、published_at"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件过大：上限 50 MB"))
        if not f.name.lower().endswith((".csv", ".jsonl", ".json", ".ndjson", ".xlsx")):
            raise forms.ValidationError(_("只支持 CSV、JSON Lines、JSON 和 xlsx 文件"))
        return f

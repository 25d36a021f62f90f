"""Form widgets every app uses, so that what a page renders is what a browser can send back unchanged."""

from __future__ import annotations

from django import forms


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` with its value in ISO ``yyyy-mm-dd``.

    Browsers accept only that format in a date input; the Chinese locale's ``2020/05/06`` is dropped as invalid
    and the date is lost when the form is saved.
    """

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class Textarea(forms.Textarea):
    """A textarea whose submitted line breaks are stored as ``\\n``.

    Browsers send a textarea's line breaks as CRLF, so a text saved back unchanged would differ from the stored
    one (and the history would record a change nobody made).
    """

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

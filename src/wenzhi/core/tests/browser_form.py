"""Read an HTML form the way a browser submits it (HTML Living Standard, "constructing the entry list").

What a test client's hand-written POST hides, a browser does: it drops a date input's value that is not
``yyyy-mm-dd`` (value sanitization), sends the first option of a select with nothing selected, sends checkboxes
and radios only when checked, drops the first newline of a textarea and sends its line breaks as CRLF.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}
_PATTERNS = {
    "time": r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?",
    "month": r"\d{4,}-\d{2}",
    "week": r"\d{4,}-W\d{2}",
    "datetime-local": r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?",
    "color": r"#[0-9a-fA-F]{6}",
}


def sanitize(input_type: str, value: str) -> str:
    """The value sanitization algorithm of ``<input type=...>``: what the browser keeps of ``value``."""
    if input_type in ("text", "search", "tel", "password", "hidden", ""):
        return value if input_type == "hidden" else value.replace("\r", "").replace("\n", "")
    if input_type in ("email", "url"):
        return value.replace("\r", "").replace("\n", "").strip()
    if input_type == "date":
        try:
            return value if re.fullmatch(r"\d{4,}-\d{2}-\d{2}", value) and dt.date.fromisoformat(value) else ""
        except ValueError:
            return ""
    if input_type in ("number", "range"):
        try:
            float(value)
        except ValueError:
            return ""
        return value if re.fullmatch(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?", value) else ""
    if input_type in _PATTERNS:
        return value if re.fullmatch(_PATTERNS[input_type], value) else ""
    return value


class _Form:
    def __init__(self, attrs: dict):
        self.method = (attrs.get("method") or "get").lower()
        self.action = attrs.get("action") or ""
        self.entries: list[tuple[str, str]] = []


class FormParser(HTMLParser):
    """Collects each ``<form>`` of a page with the entries a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = _Form(a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select" and "name" in a and "disabled" not in a:
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "disabled": "disabled" in a,
                            "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and "name" in a and "disabled" not in a:
            self._textarea = {"name": a["name"], "text": ""}

    def _input(self, a: dict) -> None:
        kind = (a.get("type") or "text").lower()
        if "name" not in a or "disabled" in a or kind in SKIPPED_TYPES:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.entries.append((a["name"], a.get("value") or "on"))
            return
        self._form.entries.append((a["name"], sanitize(kind, a.get("value", ""))))

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            text = text[1:] if text.startswith("\n") else text  # the parser drops the first newline
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
            self._form.entries.append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _close_select(self) -> None:
        options = [o for o in self._select["options"] if not o["disabled"]]
        chosen = [o for o in options if o["selected"]]
        if not chosen and not self._select["multiple"] and options:
            chosen = options[:1]  # a single select always sends something: its first option
        if not self._select["multiple"]:
            chosen = chosen[-1:]
        for o in chosen:
            value = o["value"] if o["value"] is not None else " ".join(o["text"].split())
            self._form.entries.append((self._select["name"], value))
        self._select = None


def post_forms(html: str, url: str) -> list[list[tuple[str, str]]]:
    """The entries of every POST form of ``html`` that submits to ``url`` (or to the page itself)."""
    parser = FormParser()
    parser.feed(html)
    return [f.entries for f in parser.forms if f.method == "post" and f.action in ("", url)]


def as_post_data(entries: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in entries:
        data.setdefault(name, []).append(value)
    return data

"""An import's problem report in English: every message the import engine writes goes through gettext."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wenzhi.core.models import ImportRecord

from .test_enterprise_import import HEADERS, code, wrong_check_char, xlsx

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


class _Texts(HTMLParser):
    """The visible text of a page and the attributes people read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in ("title", "placeholder", "aria-label", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _chinese_left(html: str, data: list[str]) -> list[str]:
    """Texts of ``html`` that still hold Chinese once the file's own values (``data``) are taken out."""
    parser = _Texts()
    parser.feed(html)
    left = []
    for text in parser.texts:
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, " ")
        text = text.replace("文智", " ").replace("中文", " ")  # the product's name, the language switch
        if CJK.search(text):
            left.append(" ".join(text.split()))
    return left


def test_import_problem_report_in_english_has_no_chinese_interface_text(db, users, django_capture_on_commit_callbacks):
    good = code()
    rows = [
        # a credit code with a wrong check character, a date that does not exist, words for a number, an Excel error
        ["Tianjin Alpha Culture Co.", wrong_check_char(good), "和平区", "No. 1 Nanjing Road", "8710", "Film", "2018-13-45",
         "many", "#DIV/0!"],
        # the name left empty, a formula without a saved result, a year and month without a day
        ["", code(), "和平区", "No. 2 Nanjing Road", "8710", "Film", "2018-05", 10, "=10*2"],
        ["合计", None, None, None, None, None, None, 10, None],
    ]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users["city_admin"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("registry:import_new"), {
            "kind": "enterprise", "file": SimpleUploadedFile("list.xlsx", xlsx(rows)), "encoding": ""})
    assert response.status_code == 302
    with translation.override(settings.LANGUAGE_CODE):  # the task worker runs in the platform's language
        for callback in queued:
            callback()
    record = ImportRecord.objects.get()
    assert record.status == "checked" and record.error_count >= 6, record.message
    page = client.get(reverse("registry:import_detail", args=[record.pk])).content.decode()
    report = client.get(reverse("registry:import_report", args=[record.pk])).content.decode("utf-8-sig")
    for expected in ("Excel error value #DIV/0!", "formula “=10*2”", "is required", "no month 13", "the day is missing"):
        assert expected in report, report
    # Data, not interface: the file's own texts (its Chinese column headings with their unit, the district, the
    # total row) and the official's organisation; and the Chinese date spelling the date messages offer.
    data = [*HEADERS, "万元", "和平区", "合计", str(users["city_admin"].organisation), "2018年5月1日"]
    left = _chinese_left(page, data)
    assert left == [], left
    assert not [line for line in report.splitlines()[1:] if CJK.search(_strip(line, data))], report


def _strip(text: str, data: list[str]) -> str:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return text

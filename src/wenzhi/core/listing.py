"""Consistent list pages: filters, search, sorting, pagination and export to xlsx/csv.

A domain view subclasses :class:`ListPage`, names its selector (which applies the user's scope), its
columns and its filterset; the template ``core/list.html`` renders every list the same way.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views import View

from .formatting import list_separator, thousands
from .text import export_text, filename_part, sheet_title

EXPORT_LIMIT = 200_000

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazily translated string


@dataclass(frozen=True)
class Column:
    """One column of a list: ``field`` is a lookup (``district__name``) or a callable of the row."""

    key: str
    label: StrOrPromise
    field: str | Callable | None = None
    sortable: bool = True
    link: bool = False
    width: int = 0  # characters, in xlsx exports (0: the spreadsheet's default)
    # Numbers are shown with thousands separators; None decides by the key (a "year" column stays 2018).
    number: bool | None = None

    def value(self, row):
        accessor = self.field or self.key
        if callable(accessor):
            return accessor(row)
        value = row
        for part in accessor.split("__"):
            if value is None:
                return None
            display = getattr(value, f"get_{part}_display", None)
            value = display() if callable(display) else getattr(value, part, None)
        return value

    def display(self, value) -> str:
        """The cell as the page shows it: figures with thousands separators (exports keep plain numbers)."""
        if (self.number is not False and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
                and (self.number or "year" not in self.key)):
            return thousands(value)
        return cell_text(value)

    @property
    def order_field(self) -> str | None:
        if not self.sortable or callable(self.field):
            return None
        return self.field or self.key


@lru_cache(maxsize=16)
def choice_labels(choices_class, language: str) -> dict[str, str]:
    """Translated labels of a choices class, once per language (not a gettext per cell of a 25,000-row export)."""
    return {value: str(label) for value, label in choices_class.choices}


@dataclass(frozen=True)
class ChoiceColumn(Column):
    """A column of a choices field whose labels are looked up once per language (``get_FOO_display()`` hashed
    every lazy label of the choices for each cell)."""

    choices: type | None = None

    def value(self, row):
        return choice_labels(self.choices, get_language()).get(getattr(row, self.key), "")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list_separator().join(cell_text(v) for v in value)
    return str(value)


@lru_cache(maxsize=128)
def _row_url_prefix(name: str) -> str:
    from django.urls import reverse

    return reverse(name, args=[0])[:-2]


def row_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for routes ending in ``<pk>/``, without resolving the pattern per row."""
    return f"{_row_url_prefix(name)}{pk}/"


_label_cache: dict[tuple[int, str], tuple[object, str]] = {}


def _label_text(label, language: str) -> str:
    """``str(label)``, remembered per language for lazily translated labels (the cache holds the label itself,
    so its id cannot be reused by another object while the entry lives)."""
    if isinstance(label, str):
        return label
    key = (id(label), language)
    hit = _label_cache.get(key)
    if hit is not None and hit[0] is label:
        return hit[1]
    text = str(label)
    if len(_label_cache) < 20_000:
        _label_cache[key] = (label, text)
    return text


def render_filter_field(bound) -> str:
    """HTML for one filter field. Selects are written directly: Django's per-option widget templates cost
    more than the whole query on a list page; every other widget renders as usual."""
    from html import escape

    from django.forms import Select, SelectMultiple
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    widget = bound.field.widget
    if not isinstance(widget, Select) or isinstance(widget, SelectMultiple):
        return str(bound)
    current = bound.value()
    current = "" if current is None else str(current)
    parts = [f'<select name="{escape(bound.html_name)}" id="{escape(bound.auto_id or "")}">']
    language = get_language() or ""
    for value, label in bound.field.choices:
        value = "" if value is None else str(getattr(value, "value", value))
        selected = " selected" if value == current else ""
        parts.append(f'<option value="{escape(value)}"{selected}>{escape(_label_text(label, language))}</option>')
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value and label above is escaped


def render_table_body(rows: list[dict]) -> str:
    """The ``<tr>`` rows of a list, written in Python: looking up hundreds of cells through the template
    language cost more than the page's queries at Tianjin scale. The first cell links to ``row['url']``."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    parts = []
    for row in rows:
        cells = [conditional_escape(c) for c in row["cells"]]
        if row.get("url") and cells:
            cells[0] = format_html('<a href="{}">{}</a>', row["url"], cells[0])
        parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every cell and URL above is escaped


class _Echo:
    def write(self, value):
        return value


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def export_cell(value):
    """The value a spreadsheet cell gets: numbers and dates stay typed, text is cleaned and formula-safe."""
    if _is_number(value) or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    return export_text(cell_text(value))


def _csv_cell(value) -> str:
    return str(value) if _is_number(value) else export_text(cell_text(value))


def _disposition(filename: str, extension: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename_part(filename, 150) or 'export')}.{extension}"


def export_csv(rows: Iterable, columns: list[Column], filename: str) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM (so Excel opens Chinese correctly).

    The file holds the header row and the data only, so programs read it as they are (the filters that made it
    are in the file name, see ``ListPage.export_filename``). The first row is read before the response starts:
    a query that fails answers an error instead of a file cut off mid-way."""
    writer = csv.writer(_Echo())
    rows = iter(rows)
    first = next(rows, None)

    def lines():
        yield "\ufeff" + writer.writerow([export_text(str(c.label)) for c in columns])
        if first is None:
            return
        yield writer.writerow([_csv_cell(c.value(first)) for c in columns])
        for row in rows:
            yield writer.writerow([_csv_cell(c.value(row)) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename, "csv")
    return response


def export_xlsx(rows: Iterable, columns: list[Column], filename: str, title: str = "",
                info: list[tuple[str, str]] | None = None) -> HttpResponse:
    """Write rows to an .xlsx (openpyxl write-only mode, constant memory).

    ``info`` (label, text) lines, e.g. the filters and who exported when, go to a second sheet 导出说明, so the
    first sheet stays a plain table another program (or Wenzhi's own import) can read."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(title))
    notes = wb.create_sheet(title=sheet_title(gettext("导出说明"))) if info is not None else None
    for i, c in enumerate(columns, 1):
        if c.width:  # write-only sheets take column widths before the first row
            ws.column_dimensions[get_column_letter(i)].width = c.width
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=export_text(str(c.label)))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append([export_cell(c.value(row)) for c in columns])
        count += 1
    if notes is not None:
        for label, text in [*(info or []), (gettext("行数"), str(count))]:
            notes.append([export_text(str(label)), export_text(str(text))])
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _disposition(filename, "xlsx")
    wb.save(response)
    return response


def filter_errors(filterset) -> list[str]:
    """The filterset's errors as ``标签：原因`` lines (a page shows them, the API returns them)."""
    fields = filterset.form.fields
    out: list[str] = []
    for name, errors in filterset.errors.items():
        label = fields[name].label if name in fields else name
        out.extend(f"{label}：{error}" if label else str(error) for error in errors)
    return out


def _flat_choices(field) -> dict[str, object]:
    out: dict[str, object] = {}
    if not hasattr(field, "choices"):
        return out
    for key, label in iter(field.choices):
        if isinstance(label, (list, tuple)):  # an option group
            out.update((str(k), v) for k, v in label)
        else:
            out[str(getattr(key, "value", key))] = label
    return out


def filter_description(filterset) -> list[tuple[str, str]]:
    """(label, chosen value as shown in the form) of every filter in use, e.g. ``("所属区", "和平区")``."""
    if filterset is None or not filterset.is_valid():
        return []
    out = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if name == "q" or value in (None, "", [], ()):  # the text search is named on its own line
            continue
        choices = _flat_choices(field)
        values = value if isinstance(value, (list, tuple)) else [value]
        shown = "、".join(str(choices.get(str(getattr(v, "pk", v)), v)) for v in values)
        out.append((str(field.label or name), shown))
    return out


class ListPage(LoginRequiredMixin, View):
    """A scoped, filterable, searchable, sortable, paginated list with xlsx/csv export."""

    title: StrOrPromise = ""
    template_name = "core/list.html"
    columns: list[Column] = []
    filterset_class: type[Any] | None = None
    search_fields: list[str] = []
    default_ordering: str = "-id"
    paginate_by = 25
    export_name: str = "export"
    detail_url_name: str | None = None  # a route ending in "<pk>/" that the first column links to
    actions: list[tuple[str, str]] = []  # (label, url) buttons above the list

    selector: Callable | None = None  # selector(user=...) -> scoped queryset
    # The action (core.permissions) a user needs to open this list at all; rows are scoped by the selector.
    # Every list declares one: the authorization-matrix test reads it, and a list without one is refused.
    permission_action: str | None = None

    def get_queryset(self) -> QuerySet:
        selector = type(self).selector
        assert selector is not None, f"{type(self).__name__} needs a selector or its own get_queryset()"
        return selector(user=self.request.user)

    def get_actions(self) -> list[tuple[str, str]]:
        return list(self.actions)

    def check_access(self, user) -> None:
        """Raise PermissionDenied unless ``user`` may do :attr:`permission_action` (fail closed without one)."""
        from django.core.exceptions import PermissionDenied

        from .permissions import require

        if not self.permission_action:
            raise PermissionDenied(f"{type(self).__name__} declares no permission_action")
        require(user, self.permission_action)

    def detail_url(self, obj) -> str | None:
        return row_url(self.detail_url_name, obj.pk) if self.detail_url_name else None

    def filtered(self, request) -> tuple[QuerySet, Any, str, str]:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET, queryset=qs, request=request)
            qs = filterset.qs if filterset.is_valid() else qs.none()
        query = request.GET.get("q", "").strip()[:100]
        if query and self.search_fields and not self.filterset_searches():
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": query})
            qs = qs.filter(cond)
        sort = request.GET.get("sort", "")
        allowed = {c.order_field for c in self.columns if c.order_field}
        if sort.lstrip("-") not in allowed:
            sort = ""
        ordering = sort or self.default_ordering
        # The tie-breaker runs the same way as the sort: an index on (..., sort column) then serves
        # ORDER BY ... LIMIT by reading its last entries backwards, where "-x, pk" needed a sort of every row.
        qs = qs.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")
        return qs, filterset, query, sort

    def filterset_searches(self) -> bool:
        """Whether the filterset does the text search (a ``q`` filter over the full-text index)."""
        return self.filterset_class is not None and "q" in self.filterset_class.base_filters

    def get(self, request, *args, **kwargs):
        self.check_access(request.user)
        qs, filterset, query, sort = self.filtered(request)
        export = request.GET.get("export")
        errors = filter_errors(filterset) if filterset is not None and not filterset.is_valid() else []
        if export in ("csv", "xlsx") and not errors:  # bad filters: the page below says why, with a 400
            stream = qs[:EXPORT_LIMIT].iterator(chunk_size=2000)
            info = self.export_info(request, filterset, query, sort)
            name = self.export_filename(filterset, query)
            if export == "csv":
                return export_csv(stream, self.columns, name)
            return export_xlsx(stream, self.columns, name, title=str(self.title), info=info)
        paginator, page, objects = self.paginate(qs, filterset, request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        rows = [
            {"obj": obj, "url": self.detail_url(obj),
             "cells": [c.display(c.value(obj)) for c in self.columns]}
            for obj in objects
        ]
        table_body = render_table_body(rows)
        headers = []
        for c in self.columns:
            field = c.order_field
            next_sort = ("-" + field if sort == field else field) if field else None
            headers.append({"label": c.label, "sort": next_sort,
                            "active": bool(field) and sort.lstrip("-") == field,
                            "desc": sort.startswith("-")})
        filter_fields = self.filter_fields(request, filterset)
        context = {
            "title": self.title, "rows": rows, "headers": headers, "page": page, "paginator": paginator,
            "filterset": filterset, "filter_fields": filter_fields, "table_body": table_body, "query": query, "search_enabled": bool(self.search_fields) or self.filterset_searches(),
            "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(), "sort": sort,
            "actions": self.get_actions(), "filter_errors": errors,
        }
        context.update(self.extra_context(request))
        return TemplateResponse(request, self.template_name, context, status=400 if errors else 200)

    def paginate(self, qs: QuerySet, filterset, number) -> tuple[Paginator, Any, list]:
        """The paginator, the page and its rows.

        When a text search narrowed the list to a bounded set of ids, the matches are read once as ids in the
        list's order (one narrow query, from indexes) and only the page's rows are then read in full: counting
        the matches and then sorting all their wide rows read every match twice."""
        if not getattr(filterset, "bounded_search", False):
            paginator = Paginator(qs, self.paginate_by)
            page = paginator.get_page(number)
            return paginator, page, list(page.object_list)
        paginator = Paginator(list(qs.values_list("pk", flat=True)), self.paginate_by)
        page = paginator.get_page(number)
        pks = list(page.object_list)
        by_pk = {obj.pk: obj for obj in qs.order_by().filter(pk__in=pks)}
        return paginator, page, [by_pk[pk] for pk in pks if pk in by_pk]

    def export_filename(self, filterset, query: str) -> str:
        """``企业名录-和平区-动漫-2026-12-01``: the export's name, the filter values and the search, then the date."""
        parts = [self.export_name, *(value for _label, value in filter_description(filterset))]
        if query:
            parts.append(query)
        return "-".join([filename_part("-".join(parts), 120), timezone.localdate().isoformat()])

    def export_info(self, request, filterset, query: str, sort: str) -> list[tuple[str, str]]:
        """What the 导出说明 sheet says: what was exported, with which filters, by whom and when."""
        chosen = "；".join(f"{label}={value}" for label, value in filter_description(filterset))
        info = [(gettext("导出内容"), str(self.title)), (gettext("筛选条件"), chosen or gettext("无（全部记录）"))]
        if query:
            info.append((gettext("搜索"), query))
        if sort:
            labels = {c.order_field: str(c.label) for c in self.columns if c.order_field}
            direction = gettext("降序") if sort.startswith("-") else gettext("升序")
            info.append((gettext("排序"), f"{labels.get(sort.lstrip('-'), sort)} {direction}"))
        user = request.user
        who = getattr(user, "display_name", "") or user.get_username()
        info += [(gettext("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
                 (gettext("导出人"), f"{who}（{user.get_username()}）" if who != user.get_username() else who)]
        return info

    def filter_fields(self, request, filterset) -> list[dict]:
        """Label and HTML of each filter field. The HTML depends only on the user's scope (which districts
        and parks are offered), the language and the values chosen, so it is kept for a minute."""
        if filterset is None:
            return []
        from django.conf import settings
        from django.core.cache import cache
        from django.utils.translation import get_language

        from .scoping import scope_for

        ttl = getattr(settings, "WENZHI_FILTER_CACHE_SECONDS", 60)
        scope = scope_for(request.user)
        chosen = sorted((k, v) for k, v in request.GET.lists() if k not in ("page", "sort", "export", "q"))
        digest = hashlib.sha256(repr(chosen).encode()).hexdigest()[:32]
        key = f"wenzhi:filters:{type(self).__qualname__}:{get_language()}:{scope.kind}:{scope.organisation_id}:{digest}"
        fields = cache.get(key) if ttl else None
        if fields is None:
            # ``q`` has its own search box above the filters.
            fields = [{"label": str(b.label), "html": render_filter_field(b)} for b in filterset.form if b.name != "q"]
            if ttl:
                cache.set(key, fields, ttl)
        return fields

    def extra_context(self, request) -> dict:
        return {}

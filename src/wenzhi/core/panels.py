"""Building blocks of dashboard panels, for the apps that register them (``hooks.dashboard_panel``).

Core registers no panel of its own: the dashboard shows what officials act on — the registry's figures,
later the projects', statistics' and media modules' — and each app knows its own. A panel's ``render(request)``
returns one of these contexts for the matching template under ``core/panels/``:

- ``figures(...)`` → ``core/panels/figures.html``: big numbers, each linking to the list it counts;
- ``chart(...)`` → ``core/panels/chart.html``: an ECharts option; data items with a ``url`` open it on click;
- ``items(...)`` → ``core/panels/items.html``: a short list of rows that need attention, each with a link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .formatting import thousands


def figure(label: str, value, url: str = "", note: str = "") -> dict:
    """One big number; integers and decimals are shown with thousands separators."""
    return {"label": str(label), "value": "—" if value is None else thousands(value), "url": url, "note": str(note)}


def figures(*entries: dict) -> dict:
    return {"figures": list(entries)}


def share(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage with one decimal (``12.3%``); empty when ``whole`` is zero."""
    return f"{100 * part / whole:.1f}%" if whole else ""


def chart(chart_id: str, option: dict) -> dict:
    """An ECharts chart. Items of ``option``'s series data may carry ``url``: clicking one opens it."""
    return {"chart_id": chart_id, "option": json.dumps(option, ensure_ascii=False)}


@dataclass(frozen=True)
class Item:
    """One row of an ``items`` panel: a title linking somewhere, a tag (e.g. a status) and a muted note."""

    title: str
    url: str = ""
    tag: str = ""
    tag_class: str = ""
    note: str = ""


def items(rows: list[Item], *, empty: str, more_label: str = "", more_url: str = "",
          summary: list[dict] | None = None) -> dict:
    """A short list of rows (``empty`` when there are none), an optional row of small figures above it and an
    optional "more" link under it to the full, filtered list."""
    return {"items": rows, "empty": str(empty), "more_label": str(more_label), "more_url": more_url,
            "summary": summary or []}

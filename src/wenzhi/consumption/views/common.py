"""Helpers shared by the consumption pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def form_errors(request, form) -> None:
    messages.error(request, "；".join(
        f"{form.fields[k].label if k in form.fields else ''}：{'；'.join(v)}".lstrip("：")
        for k, v in form.errors.items()))


def seat_svg_rows(seats: list[dict], cell: int = 26) -> dict:
    """Geometry of a seat map for the SVG template: each seat's rectangle, the row labels and the size. The
    buyer's map keeps seat centres 26 px apart so that each is a fingertip's target on a phone (WCAG 2.5.8: 24 px);
    a wide hall scrolls inside its own box."""
    if not seats:
        return {"seats": [], "width": 0, "height": 0, "rows": []}
    min_x = min(s["x"] for s in seats)
    min_y = min(s["y"] for s in seats)
    rows: dict[int, str] = {}
    out = []
    for s in seats:
        px, py = (s["x"] - min_x) * cell + 40, (s["y"] - min_y) * cell + 34
        rows.setdefault(py, f"{s['section']} {s['row']}")
        label = gettext("%(section)s %(row)s排%(number)s座") % {"section": s["section"], "row": s["row"],
                                                              "number": s["number"]}
        out.append({**s, "px": px, "py": py, "size": cell - 4, "label": label})
    width = (max(s["x"] for s in seats) - min_x + 1) * cell + 48
    height = (max(s["y"] for s in seats) - min_y + 1) * cell + 40
    return {"seats": out, "width": width, "height": height, "cell": cell,
            "rows": [{"y": y + (cell - 4) / 2 + 4, "label": label} for y, label in sorted(rows.items())],
            "stage_x": width / 2}

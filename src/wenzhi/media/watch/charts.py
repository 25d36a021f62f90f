"""ECharts options as JSON islands for ``static/wenzhi/charts.js`` (data items with ``url`` drill down)."""

from __future__ import annotations

import json


def chart_json(option: dict) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped, so a document title
    holding ``</script>`` cannot end the island."""
    text = json.dumps(option, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_context(chart_id: str, option: dict) -> dict:
    return {"chart_id": chart_id, "option": chart_json(option)}

"""Tianjin's 16 district boundaries (shipped with the app, see ``static/tourism/ATTRIBUTION.md``): decoded from
ECharts' compressed GeoJSON, and a point-in-polygon test so a place's coordinates must lie in its district."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GEOJSON = Path(__file__).parent / "static" / "tourism" / "tianjin-districts.json"
Ring = list[tuple[float, float]]


def _decode_ring(text: str, offsets: list[int], scale: float) -> Ring:
    """ECharts' ring encoding: zig-zag deltas of quantised coordinates, two characters a point."""
    out: Ring = []
    x, y = offsets
    for i in range(0, len(text) - 1, 2):
        dx = ord(text[i]) - 64
        dy = ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        out.append((x / scale, y / scale))
    return out


@lru_cache(maxsize=1)
def districts() -> dict[str, list[list[Ring]]]:
    """District name → its polygons, each a list of rings (outer first), in (longitude, latitude)."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    scale = data.get("UTF8Scale", 1024)
    encoded = data.get("UTF8Encoding", False)
    out: dict[str, list[list[Ring]]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        offsets = geometry.get("encodeOffsets")
        if geometry["type"] == "Polygon" and offsets:
            offsets = [offsets]
        decoded = []
        for p, rings in enumerate(polygons):
            if encoded:
                decoded.append([_decode_ring(r, offsets[p][i], scale) for i, r in enumerate(rings)])
            else:
                decoded.append([[(float(a), float(b)) for a, b in r] for r in rings])
        out[feature["properties"]["name"]] = decoded
    return out


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def district_at(longitude: float, latitude: float) -> str | None:
    """The name of the district containing the point, or None outside Tianjin."""
    for name, polygons in districts().items():
        for rings in polygons:
            if rings and _in_ring(longitude, latitude, rings[0]) and not any(
                    _in_ring(longitude, latitude, hole) for hole in rings[1:]):
                return name
    return None

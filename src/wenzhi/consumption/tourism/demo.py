"""Demo rural tourism (labelled 演示): in every district a village with sites, a heritage item and a service,
each with opening times and coordinates inside its district (checked against the shipped boundaries), on the
12 boards, and a route per district. ``scale`` 1: six places a district; smaller scales fewer (at least two)."""

from __future__ import annotations

import random
from decimal import Decimal

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from . import geo
from .choices import HeritageLevel, PlaceKind, ServiceType
from .models import Board, Place, Route, RouteStop

KINDS = [
    (PlaceKind.VILLAGE, "{d}文化村", "乡村民俗、农家院与传统院落"),
    (PlaceKind.SITE, "{d}民俗展示馆", "村史、农耕器具与非遗展示"),
    (PlaceKind.HERITAGE, "{d}传统技艺", "区级非遗项目现场展示与体验"),
    (PlaceKind.SERVICE, "{d}游客服务中心", "咨询、停车与导览"),
    (PlaceKind.SITE, "{d}田园景观带", "稻田、果园与湿地步道"),
    (PlaceKind.SERVICE, "{d}乡村民宿", "特色民宿与农家菜"),
]
HOURS = ["周二至周日 9:00–17:00，周一闭馆", "每日 8:30–17:30（11月至次年3月 9:00–16:30）", "全天开放", "每日 9:00–21:00"]


def _point_in(rng: random.Random, name: str) -> tuple[Decimal, Decimal] | None:
    polygons = geo.districts().get(name)
    if not polygons:
        return None
    ring = max((rings[0] for rings in polygons), key=len)
    xs = [x for x, _y in ring]
    ys = [y for _x, y in ring]
    for _ in range(400):
        x = rng.uniform(min(xs), max(xs))
        y = rng.uniform(min(ys), max(ys))
        if geo.district_at(x, y) == name:
            return Decimal(f"{x:.6f}"), Decimal(f"{y:.6f}")
    return None


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Replace the demo places and routes (non-demo rows are never touched)."""
    rng = random.Random(2018)
    RouteStop.objects.filter(route__is_demo=True).delete()
    Route.all_objects.filter(is_demo=True).delete()
    Place.all_objects.filter(is_demo=True, village__isnull=False).delete()
    Place.all_objects.filter(is_demo=True).delete()
    boards = list(Board.objects.filter(is_active=True).order_by("order"))
    per_district = max(2, min(len(KINDS), round(6 * scale)))
    places = routes = 0
    for i, district in enumerate(Organisation.objects.filter(level=Level.DISTRICT).order_by("code")):
        short = district.name.removesuffix("新区").removesuffix("区")
        made: list[Place] = []
        village = None
        for kind, pattern, summary in KINDS[:per_district]:
            point = _point_in(rng, district.name)
            place = Place.objects.create(
                kind=kind, name=pattern.format(d=short) + "（演示）", district=district,
                village=village if kind != PlaceKind.VILLAGE else None, summary=summary,
                description=f"{summary}。演示数据，由程序生成（演示）。", address=f"{district.name}（演示地址）",
                opening_hours=rng.choice(HOURS), phone="022-00000000",
                heritage_level=HeritageLevel.DISTRICT if kind == PlaceKind.HERITAGE else "",
                service_type=(ServiceType.VISITOR_CENTRE if "服务" in pattern else ServiceType.LODGING)
                if kind == PlaceKind.SERVICE else "", is_demo=True,
                **({"longitude": point[0], "latitude": point[1]} if point else {}))
            if boards:
                place.boards.set([boards[(i + len(made)) % len(boards)], boards[i % len(boards)]])
            if kind == PlaceKind.VILLAGE:
                village = place
            made.append(place)
        places += len(made)
        route = Route.objects.create(name=f"{short}乡村文化一日游（演示）", district=district, days=1,
                                     summary="演示线路（演示）", is_demo=True)
        RouteStop.objects.bulk_create([RouteStop(route=route, place=p, order=n) for n, p in enumerate(made, 1)])
        if boards:
            route.boards.set([boards[i % len(boards)]])
        routes += 1
    return {"places": places, "routes": routes}

"""Every write of rural tourism: permission-checked, validated (coordinates inside the chosen district), one
transaction, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wenzhi.core.permissions import require
from wenzhi.core.services import audited_save

from . import geo
from .models import Board, Photo, Place, Route, RouteStop

PLACE_FIELDS = ("kind", "name", "district", "village", "summary", "description", "address", "longitude", "latitude",
                "opening_hours", "phone", "heritage_level", "service_type", "is_published")
ROUTE_FIELDS = ("name", "district", "summary", "days", "is_published")
BOARD_FIELDS = ("name", "description", "clause", "order", "is_active")
IMAGE_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"RIFF", "webp"))
MAX_PHOTO_BYTES = 8 * 1024 * 1024


def _apply(obj, data: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({key: gettext("此字段不能在这里修改。") for key in unknown})
    changed = [key for key, value in data.items() if getattr(obj, key, None) != value]
    for key in changed:
        setattr(obj, key, data[key])
    return changed


def _check_place(place: Place) -> None:
    errors = {}
    if (place.longitude is None) != (place.latitude is None):
        errors["longitude"] = gettext("坐标：经度和纬度须同时填写或同时留空。")
    elif place.longitude is not None and place.latitude is not None and place.district_id:
        found = geo.district_at(float(place.longitude), float(place.latitude))
        if found != place.district.name:
            errors["longitude"] = gettext("坐标：（%(lng)s, %(lat)s）位于%(found)s，不在所选的%(district)s。") % {
                "lng": place.longitude, "lat": place.latitude, "district": place.district.name,
                "found": found or gettext("天津市以外")}
    if place.village_id and place.village_id == place.pk:
        errors["village"] = gettext("所在乡村：不能选择自身。")
    if errors:
        raise ValidationError(errors)


def place_save(*, actor, place: Place | None, data: dict, boards=None) -> Place:
    """Create (``place`` None) or change a place; officials of its district or the city."""
    with transaction.atomic(durable=True):
        obj = Place() if place is None else Place.objects.select_for_update().get(pk=place.pk)
        if place is not None:
            require(actor, "tourism.change", obj)
        changed = _apply(obj, data, PLACE_FIELDS)
        require(actor, "tourism.change", obj)  # also the district it is (moved) in
        _check_place(obj)
        if place is None or changed:
            audited_save(obj, actor=actor)
        if boards is not None and {b.pk for b in boards} != set(obj.boards.values_list("pk", flat=True)):
            obj.boards.set(list(boards))
    return obj


def photo_add(*, actor, place: Place, upload, caption: str = "") -> Photo:
    """Attach a photo (JPEG, PNG or WebP up to 8 MB, checked by content, not by name)."""
    require(actor, "tourism.change", place)
    head = upload.read(12)
    upload.seek(0)
    kind = next((ext for magic, ext in IMAGE_MAGIC if head.startswith(magic)), None)
    if kind == "webp" and head[8:12] != b"WEBP":
        kind = None
    if kind is None:
        raise ValidationError({"image": gettext("照片：文件“%(name)s”不是 JPEG、PNG 或 WebP 图片。") % {"name": upload.name}})
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": gettext("照片：文件超过 8 MB。")})
    with transaction.atomic(durable=True):
        order = place.photos.count()
        photo = Photo(place=place, caption=caption.strip()[:200], order=order)
        photo.image.save(f"place-{place.pk}-{order}.{kind}", upload, save=False)
        photo.full_clean()
        photo.save()
    return photo


def photo_delete(*, actor, photo: Photo) -> None:
    require(actor, "tourism.change", photo.place)
    with transaction.atomic(durable=True):
        photo.image.delete(save=False)
        photo.delete()


def _stops(route: Route, places: list[Place]) -> bool:
    current = list(route.stops.order_by("order").values_list("place_id", flat=True))
    if current == [p.pk for p in places]:
        return False
    route.stops.all().delete()
    RouteStop.objects.bulk_create([RouteStop(route=route, place=p, order=i) for i, p in enumerate(places, 1)])
    return True


def route_save(*, actor, route: Route | None, data: dict, stops: list[Place] | None = None, boards=None) -> Route:
    """Create or change a route and its ordered stops (published places only; at least two)."""
    if stops is not None:
        if len(stops) < 2:
            raise ValidationError({"stops": gettext("途经地点：一条线路至少两个地点。")})
        hidden = [p.name for p in stops if not p.is_published]
        if hidden:
            raise ValidationError({"stops": gettext("途经地点：%(names)s 未公开，不能放入线路。") % {"names": "、".join(hidden)}})
    with transaction.atomic(durable=True):
        obj = Route() if route is None else Route.objects.select_for_update().get(pk=route.pk)
        if route is not None:
            require(actor, "tourism.change", obj)
        changed = _apply(obj, data, ROUTE_FIELDS)
        require(actor, "tourism.change", obj)
        if route is None or changed:
            audited_save(obj, actor=actor)
        if stops is not None:
            _stops(obj, stops)
        if boards is not None and {b.pk for b in boards} != set(obj.boards.values_list("pk", flat=True)):
            obj.boards.set(list(boards))
    return obj


def board_save(*, actor, board: Board, data: dict) -> Board:
    """The city renames, describes, reorders or switches off a themed board."""
    require(actor, "tourism.board_change", board)
    with transaction.atomic(durable=True):
        obj = Board.objects.select_for_update().get(pk=board.pk)
        if _apply(obj, data, BOARD_FIELDS):
            audited_save(obj, actor=actor)
    return obj

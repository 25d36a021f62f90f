"""Serializers of the rural tourism API."""

from rest_framework import serializers

from wenzhi.core.models import Organisation

from ..models import Board, Place, Route


class BoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = ["id", "code", "name", "description", "clause", "order"]
        read_only_fields = fields


class PlaceSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = ["id", "kind", "name", "district", "district_name", "village", "boards", "summary", "description",
                  "address", "longitude", "latitude", "opening_hours", "phone", "heritage_level", "service_type",
                  "is_published", "photos", "updated_at"]
        read_only_fields = ["id", "district_name", "photos", "updated_at"]

    def get_photos(self, obj) -> list[str]:
        return [p.image.url for p in obj.photos.all()]


class PlaceInputSerializer(serializers.ModelSerializer):
    """What a write may set (the service checks scope and that the coordinates lie in the district)."""

    district = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(level="district"))

    class Meta:
        model = Place
        fields = ["kind", "name", "district", "village", "boards", "summary", "description", "address", "longitude",
                  "latitude", "opening_hours", "phone", "heritage_level", "service_type", "is_published"]


class RouteSerializer(serializers.ModelSerializer):
    stops = serializers.SerializerMethodField()

    class Meta:
        model = Route
        fields = ["id", "name", "district", "summary", "days", "boards", "stops", "updated_at"]
        read_only_fields = fields

    def get_stops(self, obj) -> list[int]:
        return [s.place_id for s in obj.stops.all()]

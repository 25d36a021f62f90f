"""Serializers of the ticketing API: sessions, seats, orders and their tickets, check-in."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Order, Session, Ticket


class SessionSerializer(serializers.ModelSerializer):
    """A session on sale: event, venue, hall, time, sale window, whether free, limits, price range, seats left."""

    title = serializers.CharField(source="event.title", read_only=True)
    kind = serializers.CharField(source="event.kind", read_only=True)
    venue = serializers.CharField(source="hall.venue.name", read_only=True)
    district = serializers.CharField(source="hall.venue.district.name", read_only=True)
    hall = serializers.CharField(source="hall.name", read_only=True)
    min_price = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True, allow_null=True)
    seats_left = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Session
        fields = ["id", "title", "kind", "venue", "district", "hall", "starts_at", "sale_starts_at", "sale_ends_at",
                  "is_free", "per_person_limit", "quota", "hold_minutes", "refund_rule", "min_price", "seats_left"]
        read_only_fields = fields


class SeatSerializer(serializers.Serializer):
    """One seat of the session's map: ``status`` is available, held or sold (blocked: never on sale)."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    section = serializers.CharField()
    row = serializers.CharField()
    number = serializers.IntegerField()
    x = serializers.IntegerField()
    y = serializers.IntegerField()
    zone = serializers.CharField(allow_null=True)
    price = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    accessible = serializers.BooleanField()


class TicketSerializer(serializers.ModelSerializer):
    seat = serializers.CharField(source="seat.__str__", read_only=True)
    seat_id = serializers.IntegerField(read_only=True)
    token = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ["id", "seat_id", "seat", "price", "status", "token"]
        read_only_fields = fields

    def get_token(self, obj) -> str | None:
        """The signed QR text, once the ticket is valid."""
        from ..services.checkin import ticket_token

        return ticket_token(obj) if obj.status == "valid" else None


class OrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    tickets = TicketSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "number", "session", "status", "total", "refunded", "held_until", "created_at", "paid_at",
                  "note", "tickets"]
        read_only_fields = fields


class OrderCreateSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    seats = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=50)


class PaySerializer(serializers.Serializer):
    provider = serializers.CharField(max_length=20)


class CheckInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)
    session = serializers.IntegerField(required=False)
    device = serializers.CharField(max_length=60, required=False, allow_blank=True)


class SyncSerializer(serializers.Serializer):
    device = serializers.CharField(max_length=60)
    scans = serializers.ListField(child=serializers.DictField(), max_length=5000)

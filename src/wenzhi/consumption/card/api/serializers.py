"""Serializers of the benefit card API. Amounts are integer fen (``*_fen``) with the yuan text beside them."""

from rest_framework import serializers

from ..choices import ItemCategory
from ..models import Card, LedgerEntry, Merchant, Redemption, Refund, TopUp
from ..money import yuan_text


class CardSerializer(serializers.ModelSerializer):
    balance_yuan = serializers.SerializerMethodField()

    class Meta:
        model = Card
        fields = ["id", "number", "holder", "holder_name", "id_number_masked", "status", "balance_fen",
                  "balance_yuan", "issued_at"]
        read_only_fields = fields

    def get_balance_yuan(self, obj) -> str:
        return yuan_text(obj.balance_fen)


class EntrySerializer(serializers.ModelSerializer):
    merchant_name = serializers.CharField(source="merchant.name", default="", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount_fen", "subsidy_fen", "balance_after_fen", "merchant", "merchant_name",
                  "created_at"]
        read_only_fields = fields


class TopUpInputSerializer(serializers.Serializer):
    amount_fen = serializers.IntegerField(min_value=1, help_text="金额（分）")
    client_key = serializers.CharField(max_length=64, help_text="请求标识：同一请求重试时不变，只到账一次")


class TopUpSerializer(serializers.ModelSerializer):
    balance_fen = serializers.IntegerField(source="card.balance_fen", read_only=True)

    class Meta:
        model = TopUp
        fields = ["id", "card", "amount_fen", "client_key", "channel", "created_at", "balance_fen"]
        read_only_fields = fields


class MerchantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Merchant
        fields = ["id", "name", "organisation", "district", "category", "address", "phone", "is_participating",
                  "subsidy_eligible"]
        read_only_fields = fields


class RedemptionInputSerializer(serializers.Serializer):
    card_number = serializers.CharField(max_length=20)
    merchant = serializers.IntegerField()
    amount_fen = serializers.IntegerField(min_value=1)
    client_key = serializers.CharField(max_length=64)
    item_category = serializers.ChoiceField(choices=ItemCategory.choices, default=ItemCategory.OTHER)
    reference = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class RedemptionSerializer(serializers.ModelSerializer):
    card_number = serializers.CharField(source="card.number", read_only=True)

    class Meta:
        model = Redemption
        fields = ["id", "card", "card_number", "merchant", "amount_fen", "card_fen", "subsidy_fen", "refunded_fen",
                  "item_category", "reference", "client_key", "created_at"]
        read_only_fields = fields


class RefundInputSerializer(serializers.Serializer):
    amount_fen = serializers.IntegerField(min_value=1)
    client_key = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["id", "redemption", "amount_fen", "card_fen", "subsidy_fen", "reason", "client_key", "created_at"]
        read_only_fields = fields

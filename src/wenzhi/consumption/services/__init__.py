"""Every write of culture consumption: keyword-only, permission-checked, validated, one transaction."""

from .errors import OrderRefused, SeatTaken

__all__ = ["OrderRefused", "SeatTaken"]

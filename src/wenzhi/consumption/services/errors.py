"""Refusals a buyer must read (the API answers them with 409 Conflict)."""

from __future__ import annotations


class OrderRefused(Exception):
    """The order cannot go ahead in the current state of the session or order; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SeatTaken(OrderRefused):
    """Another buyer holds or bought one of the chosen seats; ``seats`` names them."""

    def __init__(self, message: str, seats: list[int]):
        super().__init__(message)
        self.seats = seats

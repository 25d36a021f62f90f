"""Culture consumption tables: venues and seat maps (``venues``), events, sessions and the per-session seat
engine (``sessions``), orders, tickets, payments with their ledger, and check-ins (``orders``)."""

from .orders import CheckIn, LedgerEntry, Order, Payment, Ticket
from .sessions import Event, Session, SessionPrice, SessionSeat
from .venues import Hall, PriceZone, Seat, Section, Venue

__all__ = ["CheckIn", "Event", "Hall", "LedgerEntry", "Order", "Payment", "PriceZone", "Seat", "Section", "Session",
           "SessionPrice", "SessionSeat", "Ticket", "Venue"]

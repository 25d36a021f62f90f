"""Test isolation for culture consumption: the order service keeps each process's seat maps (zones, names) and price lookups
(keyed by hall and session ids, which a flushed test database hands out again), so every test starts without."""

import pytest


def clear_order_caches() -> None:
    from wenzhi.consumption.services import orders

    orders._map_cache.clear()
    orders._price_cache.clear()


@pytest.fixture(autouse=True)
def _fresh_order_caches():
    clear_order_caches()
    yield
    clear_order_caches()

"""Background tasks of culture consumption: the hold sweep on the clock.

``holds_sweep_task`` expires lapsed holds (services/holds.py) and, on a backend that runs tasks later (the database
queue, RQ), enqueues its own next run ``SWEEP_SECONDS`` on: a chain, started by ``wenzhi consumption_sweep
--schedule`` (or run ``wenzhi consumption_sweep`` from cron or a systemd timer instead). A second chain started by
accident dies at its next step: each step goes on only if it is the first in its interval (a cache key).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

SWEEP_SECONDS = 60
CHAIN_KEY = "consumption:holds_sweep:chain"


@task()
def holds_sweep_task(chain: bool = True) -> dict:
    """Expire lapsed holds now; with ``chain``, schedule the next sweep."""
    from .services.holds import holds_sweep

    try:
        return holds_sweep()
    finally:  # a failed sweep does not end the chain
        if chain:
            schedule_next()


def schedule_next() -> bool:
    """Enqueue the next sweep in ``SWEEP_SECONDS`` unless another chain already did in this interval."""
    if not holds_sweep_task.get_backend().supports_defer:  # the immediate backend (tests): no chain
        return False
    if not cache.add(CHAIN_KEY, 1, SWEEP_SECONDS - 5):
        return False
    holds_sweep_task.using(run_after=timezone.now() + timedelta(seconds=SWEEP_SECONDS)).enqueue()
    return True

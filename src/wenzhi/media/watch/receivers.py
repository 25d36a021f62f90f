"""What opinion monitoring does when the media app has stored a batch: queue the alert check for it."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def documents_stored(sender, document_ids=(), **kwargs) -> None:
    """Enqueue the rule engine for the batch (the signal is sent after the batch's commit)."""
    from .tasks import ALERTS_PRIORITY, alerts_evaluate_task, at_priority

    ids = [int(i) for i in document_ids]
    if ids:
        at_priority(alerts_evaluate_task, ALERTS_PRIORITY).enqueue(ids)

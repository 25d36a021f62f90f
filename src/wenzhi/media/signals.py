"""Signals other parts of the platform listen to.

``documents_stored`` is sent once per analysed batch, after the batch's transaction has committed
(``transaction.on_commit``), with ``document_ids``: the ids of every document of the batch, duplicates
included (each carries its ``duplicate_group``). The alert engine listens to it.
"""

from django.dispatch import Signal

#: sender: the Source model class; kwargs: ``document_ids`` (list[int]), ``source_id`` (int | None)
documents_stored = Signal()

"""Background indexing: rows written in bulk are indexed by the task worker, not inside the writer's request."""

from django.apps import apps
from django_tasks import task


@task()
def search_index_task(model_label: str, pks: list) -> int:
    """Index rows ``pks`` of ``model_label`` (``registry.Enterprise``); returns the entries written."""
    from .service import index_rows

    return index_rows(apps.get_model(model_label), pks)

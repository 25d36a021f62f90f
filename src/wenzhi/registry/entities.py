"""What text may mention from the registry: enterprises (with former names) and parks, for entity linking."""

from __future__ import annotations

from .models import Enterprise, Park


def registry_entities() -> list:
    """Every live enterprise and park as a ``wenzhi.nlp.entities.Entity``; context = district and park."""
    from wenzhi.nlp.entities import Entity

    out = []
    rows = (Enterprise.objects.values_list("id", "name", "former_names", "district__name", "park__name")
            .order_by("id").iterator(chunk_size=5000))
    for pk, name, former, district, park in rows:
        out.append(Entity(id=f"enterprise:{pk}", kind="enterprise", name=name,
                          aliases=[n for n in (former or []) if n and n != name],
                          context=" ".join(x for x in (district, park) if x)))
    for pk, name, district in Park.objects.values_list("id", "name", "district__name"):
        out.append(Entity(id=f"park:{pk}", kind="park", name=name, context=district or ""))
    return out


def load_reference_tables() -> None:
    """GB/T 4754-2017 and the 2018 culture classification, by the same idempotent code as the migration."""
    import importlib

    from django.apps import apps

    importlib.import_module("wenzhi.registry.migrations.0002_reference_tables").load(apps, None)

"""The base of every app's ``tests/factories.py`` (test code: it needs factory_boy, a development dependency)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import factory

M = TypeVar("M")


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """``EnterpriseFactory(...)`` builds and saves an ``Enterprise``; subclass as ``ModelFactory[Enterprise]``."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass makes calling a factory return the model it builds, which a type checker cannot
        # see from the metaclass: say so here, or every factory-made row is typed as the factory itself.
        def __new__(cls, *args: Any, **kwargs: Any) -> M: ...  # type: ignore[misc]

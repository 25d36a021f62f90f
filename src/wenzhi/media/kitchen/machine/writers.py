"""Loads every machine writer (each registers its queries and itself on import)."""

from . import cinema, key_projects, opinion_digest, statistics_summary  # noqa: F401

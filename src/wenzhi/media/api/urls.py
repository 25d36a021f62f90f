"""Registers the media app's viewsets on core's API router (mounted at /api/v1/)."""

"""Importing the registry from officials' spreadsheets: columns (``schemas``), row checks and bulk writes
(``importers``), the services that run an import (``services``), scoped reads (``selectors``), the pages
(``views``) and the API (``registry/api/imports.py``)."""

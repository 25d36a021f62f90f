"""The projects edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from .edit_forms_funds import make_showcased_project  # noqa: F401  (registers the funds and promotion pages)

"""Every edit form of the platform, saved back unchanged as a browser sends it, changes nothing.

The pages are found in the URLconf (every name ending in ``_edit``) and in ``core.edit_forms``' registry; each
app registers its cases in ``<app>/tests/edit_forms.py``. A page nobody registered fails here.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from wenzhi.core.edit_forms import edit_form_cases, edit_page_names

from .browser_form import as_post_data, post_forms

autodiscover_modules("tests.edit_forms")
CASES = edit_form_cases()
PAGES = sorted(set(edit_page_names()) | set(CASES))
PARAMS = [pytest.param(name, role, id=f"{name}-{role}")
          for name in PAGES for role in (CASES[name].roles if name in CASES else ("unregistered",))]


def _history_rows() -> int:
    """Rows in every history table (django-simple-history's Historical* models)."""
    return sum(m._default_manager.count() for m in apps.get_models() if hasattr(m, "history_id")
               and m.__name__.startswith("Historical"))


def _row(obj) -> dict:
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


def test_every_edit_page_is_found():
    assert "registry:enterprise_edit" in PAGES and "registry:park_edit" in PAGES


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), PARAMS)
def test_edit_form_saved_back_unchanged_changes_nothing(url_name, role, users, orgs):
    case = CASES.get(url_name)
    if case is None:
        pytest.fail(f"{url_name} is an edit page with no case: register one in <app>/tests/edit_forms.py "
                    f"(wenzhi.core.edit_forms.register_edit_form)")
    obj = case.make(SimpleNamespace(users=users, orgs=orgs))
    url = reverse(url_name, kwargs=case.kwargs_for(obj))
    client = Client()
    client.force_login(users[role])
    page = client.get(url)
    assert page.status_code == 200, f"{role} cannot open {url}"
    forms = post_forms(page.content.decode(), url)
    assert forms, f"no POST form on {url}"
    before, history_before = _row(obj), _history_rows()

    response = client.post(url, as_post_data(forms[0]))

    assert response.status_code in (302, 303), f"the unchanged form was refused: {response.content.decode()[:2000]}"
    after = _row(obj)
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}
    assert _history_rows() == history_before

"""Authorization matrix of the media pages and API, generated from the permission table (``core.testing``).

Each route × user (every role, the other district's officer, anonymous) × method is its own case; the expected
answer comes from ``can(user, action, row)``. The document and source sit in 和平区, so the 和平区 officer sees
them and the 滨海新区 officer gets 403/404; media editors and the city see everything.
"""

import pytest

from wenzhi.core.testing import (
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    missing_samples,
    module_data,
)

SAMPLES = {
    "media:document_detail": "document", "media:source_detail": "source", "media:source_edit": "source",
    "media:source_fetch": "source", "media:source_upload": "source",
    "media-document-detail": "document", "media-source-detail": "source", "media-source-fetches": "source",
    "media-source-push": "source",
}
OWN = ("media:", "media-document", "media-source")


def _own(params):
    """This app's routes only (nested apps under wenzhi.media test their own)."""
    return [p for p in params if p.values[0].name.startswith(OWN)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from wenzhi.media.ingest import ingest_records
    from wenzhi.media.models import Source

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        source = Source.objects.create(name="矩阵源", kind="rss", url="http://127.0.0.1:9/feed",
                                       district=orgs["heping"], timeout_seconds=1)
        ingest_records(source, [{"id": "1", "title": "和平区文化街区夜间消费", "text": "矩阵测试正文"}])
        yield {"rows": {"document": source.documents.get(), "source": source}, "users": users,
               "clients": matrix_clients(users)}


def test_every_media_route_with_an_id_has_a_sample_row():
    assert not [name for name in missing_samples("media", SAMPLES) if name.startswith(OWN)]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), _own(matrix_params("media", SAMPLES)))
def test_media_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])

"""The API does what its OpenAPI schema says: schemathesis runs every operation, in-process, as a city
administrator and as a district officer (token auth), with a few generated requests each. No answer may be a
server error, and every answer must match the schema's response for its status.

The operations are driven one by one through Hypothesis (schemathesis's lazy pytest loader does not run under
pytest 9), and a failure is collected rather than shrunk, so the test lists every broken operation at once and
stays within a minute or two."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 4  # per operation and role
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _run(operation, headers) -> list[str]:
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def check(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - each failure is reported below
            failures.append(f"{operation.label}: {str(exc)[:1500]}")

    check()
    return failures


@pytest.fixture
def wsgi_app():
    """The WSGI application, with connections kept open between requests as Django's test client keeps them
    (closing one at a request's end would close the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    from wenzhi.config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["city_admin", "district_officer"])
def test_api_conforms_to_its_schema(role, registry, users, wsgi_app):
    application = wsgi_app

    headers = {"Authorization": f"Token {Token.objects.create(user=users[role]).key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures = []
    for result in schema.get_all_operations():
        failures += _run(result.ok(), headers)
    assert not failures, f"{len(failures)} failing requests:\n\n" + "\n\n".join(failures[:20])

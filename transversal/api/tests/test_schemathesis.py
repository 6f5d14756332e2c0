"""Property-based run of schemathesis over the whole OpenAPI document: no server errors, only
documented status codes, bodies that match their schemas. Bounded to keep the suite quick."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from transversal.api.endpoints import api
from transversal.monitoring.tests.factories import approved, indicator_with_calendar
from transversal.wsgi import application

# The document the API serves at /api/v1/openapi.json (a test covers that route), built in
# process because ALLOWED_HOSTS is only widened for the duration of each test.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(max_examples=5, deadline=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _keep_the_test_connection(keep_test_connection):
    """schemathesis calls the real WSGI application (see the conftest fixture)."""


@pytest.fixture
def api_world(durango, editor, reviewer, settings):
    """A public indicator with an approved value, so lists have rows to serialise."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis's WSGI client host
    indicator = indicator_with_calendar(durango, is_public=True)
    approved(indicator, actor=editor, reviewer=reviewer)
    return indicator


@pytest.fixture
def token_headers(editor, bearer):
    return bearer(editor)


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_conforms_to_its_schema_anonymously(case, api_world):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_conforms_to_its_schema_with_a_token(case, api_world, token_headers):
    case.call_and_validate(headers=token_headers, checks=CHECKS)

"""Property-based run of schemathesis over the whole OpenAPI document, in both directions: no
server errors, only documented status codes, bodies that match their schemas, every request the
schema allows accepted (never a 422) and every request it forbids refused. Bounded to keep the
suite quick; the cases schemathesis once found are pinned below as explicit tests."""

from __future__ import annotations

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config._checks import NegativeDataRejectionConfig, PositiveDataAcceptanceConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from transversal.api.endpoints import api
from transversal.api.routing import MAX_QUERY_LENGTH
from transversal.api.tests import coordination_world, improvement_world, programmes_world
from transversal.genderstats.tests import factories as stat_factories
from transversal.harmonization import services as harmonization
from transversal.harmonization.tests import factories as harmonization_factories
from transversal.harmonization.tests.factories import CITED
from transversal.monitoring.tests.factories import approved, indicator_with_calendar
from transversal.registers.tests import public_world as registers_world
from transversal.wsgi import application

PREFIX = "/api/v1"
# The document the API serves at /api/v1/openapi.json (a test covers that route), built in
# process because ALLOWED_HOSTS is only widened for the duration of each test.
DOCUMENT = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = application
# Valid requests may still break a domain rule (400), name something missing or not theirs
# (403, 404), lose a race (409) or be throttled (429); never 422: that is the schema's to say.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "400", "401", "403", "404", "409", "413", "414", "429"]
)
schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
    expected_statuses=["400", "401", "403", "404", "405", "409", "413", "414", "422", "429"]
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]
BOUNDED = settings(
    max_examples=5, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
# What every operation may answer besides its success: a bad token (401), an over-long query
# (414), a badly typed parameter (422), too many bad tokens (429), a bug (500).
EVERY_OPERATION = {"401", "414", "422", "429", "500"}
WRITES = {"400", "403", "404", "409", "413"}


@pytest.fixture(autouse=True)
def _keep_the_test_connection(keep_test_connection):
    """schemathesis calls the real WSGI application (see the conftest fixture)."""


@pytest.fixture
def api_world(durango, zacatecas, national, editor, reviewer, settings):
    """A public indicator with an approved value, coordination systems with sessions and
    acuerdos in every status, evaluations, findings and ASM, work programmes (the token's
    state has two) and an entry of each register per state and the nation, so lists have rows to
    serialise."""
    settings.ALLOWED_HOSTS = [
        *settings.ALLOWED_HOSTS,
        "localhost",
    ]  # schemathesis's WSGI client host
    indicator = indicator_with_calendar(durango, is_public=True)
    approved(indicator, actor=editor, reviewer=reviewer)
    coordination = coordination_world.build(durango, zacatecas, national)
    improvement_world.build(
        durango, zacatecas, national, coordination.links, resolution=coordination.fulfilled
    )
    programmes_world.build(durango, zacatecas, national)
    for institution in (durango, zacatecas, national):
        registers_world.one_of_each(institution)
    # The observatory: a cited and an uncited cell, a statistic by sex for a state and the nation.
    prov = harmonization_factories.provision()
    harmonization.cell_set(actor=None, cell=harmonization_factories.cell(prov), **CITED)
    statistic = stat_factories.make_indicator()
    for state_code in ("10", ""):
        for sex, value in (("mujeres", 41.2), ("hombres", 35.0), ("total", 38.2)):
            stat_factories.put(statistic, 2021, state_code, sex, value)
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


# Cases pinned from earlier runs ---------------------------------------------------------------


def _operation(method: str, path: str):
    return schema[PREFIX + path][method]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/agreements", "/indicators", "/updates"])
def test_updated_since_takes_an_iso_date_time_and_nothing_else(api_world, path):
    """The schema says date-time; lax parsing read "0.5" as a Unix timestamp and answered 200."""
    for value in ("0.5", "1700000000", "2025-01-31", "ayer"):
        case = _operation("GET", path).Case(query={"updated_since": value})
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 422, value
        assert response.json()["errors"] == [
            {
                "field": "updated_since",
                "message": "Debe ser una fecha y hora ISO 8601, p. ej. 2025-01-31T00:00:00Z.",
            }
        ]
    for value in (
        "2025-01-31T00:00:00Z",
        "2025-01-31T06:00:00-06:00",
        "2025-01-31T00:00:00.5",
        "9999-12-31T23:59:59-12:00",
    ):
        case = _operation("GET", path).Case(query={"updated_since": value})
        assert case.call_and_validate(checks=CHECKS).status_code == 200, value


def _draft_body_schema() -> dict:
    body = DOCUMENT["components"]["schemas"]["DraftIn"]
    return {**body, "components": DOCUMENT["components"]}


@pytest.mark.django_db
def test_an_empty_string_is_no_number_for_the_schema_nor_for_the_server(
    api_world, token_headers, durango
):
    """A draft with ``denominator: ""`` got 422 while the schema allowed any string: the schema
    now states the decimal text it accepts, and "" is outside it; null means no value."""
    indicator = indicator_with_calendar(durango, measure="percentage", unit="%")
    operation = _operation("PUT", "/indicators/{code}/periods/{label}/draft")
    path = {"code": str(indicator.code), "label": "2025-T1"}
    validator = jsonschema_rs.Draft202012Validator(_draft_body_schema())
    for bad in ("", " 60", "1e3", "1_000", "60,5", "NaN"):
        body = {"expected_version": None, "numerator": 45, "denominator": bad}
        assert not validator.is_valid(body), bad
        response = operation.Case(path_parameters=path, body=body).call_and_validate(
            headers=token_headers, checks=CHECKS
        )
        assert response.status_code == 422, bad
        assert [e["field"] for e in response.json()["errors"]] == ["denominator"]
    for good in (
        {"numerator": 45, "denominator": "60"},
        {"numerator": "45.5", "denominator": 60},
        {"value": "75", "numerator": None, "denominator": None},
    ):
        body = {"expected_version": None, **good}
        assert validator.is_valid(body), good
        response = operation.Case(path_parameters=path, body=body).call_and_validate(
            headers=token_headers, checks=CHECKS
        )
        assert response.status_code == 200, response.json()
        path = {
            **path,
            "label": {"2025-T1": "2025-T2", "2025-T2": "2025-T3"}.get(path["label"], "2025-T4"),
        }


def test_every_operation_declares_the_answers_it_can_give():
    for route, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            declared = set(operation["responses"])
            assert EVERY_OPERATION <= declared, (method, route, EVERY_OPERATION - declared)
            if "{" in route:
                assert "404" in declared, (method, route)
            if method in ("put", "post"):
                assert WRITES <= declared, (method, route, WRITES - declared)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path, parameters",
    [
        ("GET", "/states", {}),
        ("GET", "/indicators/{code}", {"code": "00000000-0000-4000-8000-000000000000"}),
        (
            "PUT",
            "/indicators/{code}/periods/{label}/draft",
            {"code": "00000000-0000-4000-8000-000000000000", "label": "2025-T1"},
        ),
    ],
)
def test_an_over_long_query_is_a_declared_414_with_the_error_shape(
    api_world, token_headers, method, path, parameters
):
    body = {"body": {"expected_version": None, "value": 1}} if method == "PUT" else {}
    case = _operation(method, path).Case(
        path_parameters=parameters, query={"x": "a" * MAX_QUERY_LENGTH}, **body
    )
    response = case.call_and_validate(headers=token_headers, checks=CHECKS)
    assert response.status_code == 414
    assert response.json()["code"] == "uri_too_long"
    assert "demasiado larga" in response.json()["detail"]


@pytest.mark.django_db
def test_a_query_at_the_limit_is_served(api_world):
    case = _operation("GET", "/states").Case(
        query={"x": "a" * (MAX_QUERY_LENGTH - 2)}
    )  # "x=" + the value
    assert case.call_and_validate(checks=CHECKS).status_code == 200


@pytest.mark.django_db
def test_real_work_programmes_conform_to_their_schemas(api_world, token_headers):
    """The generated cases name no existing programme: every programme's detail (lines,
    reports, observations, closure) is checked here, Durango's read, Zacatecas's a 404."""
    from transversal.workprogrammes.models import WorkProgramme

    listed = _operation("GET", "/work-programmes").Case(query={"limit": 200})
    response = listed.call_and_validate(headers=token_headers, checks=CHECKS)
    assert response.status_code == 200 and response.json()["count"] == 2
    for programme in WorkProgramme.objects.select_related("agreement__state"):
        case = _operation("GET", "/work-programmes/{code}").Case(
            path_parameters={"code": str(programme.code)}
        )
        response = case.call_and_validate(headers=token_headers, checks=CHECKS)
        assert response.status_code == (200 if programme.agreement.state.code == "10" else 404)


def test_the_generated_runs_cover_the_work_programme_reads():
    """``schema.parametrize()`` makes cases for every operation of DOCUMENT, these included."""
    assert {"/api/v1/work-programmes", "/api/v1/work-programmes/{code}"} <= set(DOCUMENT["paths"])


REGISTER_READS = (
    "/trainings",
    "/affirmative-actions",
    "/participation",
    "/services",
    "/registers/aggregates",
)


@pytest.mark.django_db
def test_real_register_entries_and_aggregates_conform_to_their_schemas(api_world, token_headers):
    """The registers' lists with their rows: Durango's entries with its token, the aggregates
    of both states and the nation (twelve) with or without one."""
    for path in REGISTER_READS:
        case = _operation("GET", path).Case(query={"limit": 200})
        response = case.call_and_validate(headers=token_headers, checks=CHECKS)
        assert response.status_code == 200, path
        assert response.json()["count"] == (12 if path == "/registers/aggregates" else 1), path
    anonymous = _operation("GET", "/trainings").Case().call_and_validate(checks=CHECKS)
    assert anonymous.status_code == 401


def test_the_generated_runs_cover_the_register_reads():
    assert {PREFIX + path for path in REGISTER_READS} <= set(DOCUMENT["paths"])

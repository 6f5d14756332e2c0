"""Read endpoints: what anonymous callers see, what a token adds, and tenancy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transversal.core.tests.test_disclosure import disclosures
from transversal.monitoring.services import update_approve, update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar
from transversal.planning.models import Plan, PlanStatus

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"detail", "code", "errors"}


def codes(response) -> set[str]:
    return {str(item["code"]) for item in response.json()["items"]}


def test_it_lists_the_32_states_without_a_token(client):
    response = client.get("/api/v1/states", {"limit": 200})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 32 and len(body["items"]) == 32
    assert body["items"][9] == {
        "code": "10",
        "name": body["items"][9]["name"],
        "short_name": "Durango",
        "abbreviation": body["items"][9]["abbreviation"],
        "iso_code": "MX-DUR",
    }


def test_it_filters_institutions_by_state(client, durango, zacatecas):
    slugs = {i["slug"] for i in client.get("/api/v1/institutions", {"state": "10"}).json()["items"]}
    assert "iem-durango-test" in slugs and "semujer-zacatecas-test" not in slugs


def test_anonymous_callers_see_public_indicators_only(client, world):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    assert codes(response) == {
        str(world["durango_public"].code),
        str(world["zacatecas_public"].code),
    }


def test_a_token_adds_the_private_indicators_of_its_institution_only(
    client, world, outsider, bearer
):
    response = client.get("/api/v1/indicators", headers=bearer(outsider))
    assert codes(response) == {
        str(world["durango_public"].code),
        str(world["zacatecas_public"].code),
        str(world["zacatecas_private"].code),
    }


def test_indicator_filters_combine(client, world, editor, bearer):
    response = client.get(
        "/api/v1/indicators",
        {"state": "10", "public": "false", "frequency": "quarterly"},
        headers=bearer(editor),
    )
    assert codes(response) == {str(world["durango_private"].code)}


def test_unknown_filters_are_ignored(client, world):
    response = client.get("/api/v1/indicators", {"colour": "purple"})
    assert response.status_code == 200 and response.json()["count"] == 2


def test_a_bad_filter_value_is_422_with_the_error_shape(client, world):
    response = client.get("/api/v1/indicators", {"frequency": "daily", "state": "99"})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == "invalid_request"
    assert {e["field"] for e in body["errors"]} == {"frequency", "state"}


def test_zacatecas_gets_404_for_a_durango_private_indicator(client, world, outsider, bearer):
    response = client.get(
        f"/api/v1/indicators/{world['durango_private'].code}", headers=bearer(outsider)
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "Durango" not in response.content.decode()


def test_anonymous_gets_404_for_a_private_indicator_and_200_for_a_public_one(client, world):
    assert client.get(f"/api/v1/indicators/{world['durango_private'].code}").status_code == 404
    response = client.get(f"/api/v1/indicators/{world['durango_public'].code}")
    assert response.status_code == 200 and response.json()["owner"] == "iem-durango-test"


def test_periods_show_targets_and_the_approved_value_only(client, world):
    response = client.get(f"/api/v1/indicators/{world['durango_public'].code}/periods")
    rows = {row["label"]: row for row in response.json()["items"]}
    assert (
        rows["2025-T1"]["approved_value"] == "95.0000" and rows["2025-T1"]["target"] == "100.0000"
    )
    assert rows["2025-T2"]["approved_value"] is None  # its draft of 40 stays private


def published_values(response) -> set[str]:
    """Every figure an update list publishes: values, numerators, denominators, breakdowns."""
    found = set()
    for item in response.json()["items"]:
        found |= {item[k] for k in ("value", "numerator", "denominator") if item[k] is not None}
        found |= {row["value"] for row in item["breakdown"] if row["value"] is not None}
    return found


def test_anonymous_update_list_has_approved_values_of_public_indicators_only(client, world):
    response = client.get("/api/v1/updates")
    assert codes(response) == {str(world["durango_approved"].code)}
    # Values, not the raw text: a random UUID may contain "7777".
    assert not {"7777.0000", "40.0000"} & published_values(response)


def test_public_breakdowns_suppress_small_counts_and_the_cell_that_would_give_them_back(
    client, world, editor, outsider, coordinator, bearer
):
    # 95 = women 92 + men 3: publishing women would give men = 95 - 92 = 3 back, so both are blank.
    url = f"/api/v1/updates/{world['durango_approved'].code}"
    for headers in ({}, bearer(outsider)):
        body = client.get(url, headers=headers).json()
        assert body["value"] == "95.0000"
        assert {(r["category"], r["value"], r["suppressed"]) for r in body["breakdown"]} == {
            ("women", None, True),
            ("men", None, True),
        }
    for member in (editor, coordinator):
        member_view = client.get(url, headers=bearer(member)).json()
        assert {(r["value"], r["suppressed"]) for r in member_view["breakdown"]} == {
            ("92.0000", False),
            ("3.0000", False),
        }


def test_the_issue_case_gives_nothing_back_by_subtraction(client, durango, editor, reviewer):
    # An approved public count of 119: women 3, men 116; ages 2 and 117.
    indicator = indicator_with_calendar(
        durango, name="Atenciones", is_public=True, disaggregations=["age"]
    )
    update = draft(
        indicator,
        value=Decimal(119),
        actor=editor,
        breakdown={
            "sex": {"women": Decimal(3), "men": Decimal(116)},
            "age": {"15-29": Decimal(2), "30-44": Decimal(117)},
        },
    )
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    update_approve(actor=reviewer, update=update)
    [item] = client.get("/api/v1/updates", {"indicator": str(indicator.code)}).json()["items"]
    assert item["value"] == "119.0000"
    assert [(r["dimension"], r["category"], r["value"]) for r in item["breakdown"]] == [
        ("age", "15-29", None),
        ("age", "30-44", None),
        ("sex", "women", None),
        ("sex", "men", None),
    ]
    published = [
        (r["dimension"], r["category"], None if r["value"] is None else Decimal(r["value"]))
        for r in item["breakdown"]
    ]
    assert disclosures(Decimal(item["value"]), published, threshold=5) == []


def test_the_api_reads_the_configured_threshold(client, world, settings):
    settings.OPEN_DATA_MIN_COUNT = 3
    row = client.get(f"/api/v1/updates/{world['durango_approved'].code}").json()["breakdown"]
    assert {(r["category"], r["value"]) for r in row} == {("women", "92.0000"), ("men", "3.0000")}


def test_a_zacatecas_token_never_sees_durango_private_values(client, world, outsider, bearer):
    headers = bearer(outsider)
    listed = client.get("/api/v1/updates", {"limit": 200}, headers=headers)
    assert codes(listed) == {
        str(world["durango_approved"].code),
        str(world["zacatecas_private_draft"].code),
    }
    assert "7777.0000" not in published_values(listed)
    for key in ("durango_private_draft", "durango_public_draft"):
        response = client.get(f"/api/v1/updates/{world[key].code}", headers=headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_national_coordinator_sees_every_update(client, world, coordinator, bearer):
    assert client.get("/api/v1/updates", headers=bearer(coordinator)).json()["count"] == 4


def test_update_filters(client, world, editor, bearer):
    headers = bearer(editor)
    drafts = client.get("/api/v1/updates", {"status": "draft", "state": "10"}, headers=headers)
    assert codes(drafts) == {
        str(world["durango_public_draft"].code),
        str(world["durango_private_draft"].code),
    }
    by_indicator = client.get(
        "/api/v1/updates", {"indicator": str(world["durango_private"].code)}, headers=headers
    )
    assert codes(by_indicator) == {str(world["durango_private_draft"].code)}
    future = client.get(
        "/api/v1/updates", {"updated_since": "2100-01-01T00:00:00Z"}, headers=headers
    )
    assert future.json()["count"] == 0


def test_pagination_limits_and_out_of_range(client):
    page = client.get("/api/v1/states", {"limit": 5, "offset": 30}).json()
    assert page["count"] == 32 and [s["code"] for s in page["items"]] == ["31", "32"]
    assert client.get("/api/v1/states", {"offset": 500}).json()["items"] == []
    too_big = client.get("/api/v1/states", {"limit": 201})
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "limit"
    assert client.get("/api/v1/states", {"limit": 0}).status_code == 422


def test_plans_hide_drafts_from_other_states(client, durango, zacatecas, editor, outsider, bearer):
    Plan.objects.create(
        code="ped-dgo",
        kind="ped",
        title="PED Durango",
        institution=durango,
        state=durango.state,
        status=PlanStatus.DRAFT,
    )
    Plan.objects.create(
        code="ped-zac",
        kind="ped",
        title="PED Zacatecas",
        institution=zacatecas,
        state=zacatecas.state,
        status=PlanStatus.PUBLISHED,
    )
    anonymous = {p["code"] for p in client.get("/api/v1/plans").json()["items"]}
    assert "ped-zac" in anonymous and "ped-dgo" not in anonymous
    assert client.get("/api/v1/plans/ped-dgo", headers=bearer(outsider)).status_code == 404
    assert client.get("/api/v1/plans/ped-dgo", headers=bearer(editor)).status_code == 200
    assert client.get("/api/v1/plans/ped-zac/items").json() == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }


def test_agreements_public_statuses_and_goals(client, national, durango, editor, outsider, bearer):
    from transversal.agreements.models import Agreement, Goal

    signed = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        title="Convenio 2025",
        status="signed",
    )
    Goal.objects.create(agreement=signed, number=1, description="Capacitar")
    drafted = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        title="Convenio 2026",
    )
    anonymous = codes(client.get("/api/v1/agreements"))
    assert str(signed.code) in anonymous and str(drafted.code) not in anonymous
    assert (
        client.get(f"/api/v1/agreements/{drafted.code}", headers=bearer(outsider)).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/agreements/{drafted.code}", headers=bearer(editor)).status_code == 200
    )
    goals = client.get(f"/api/v1/agreements/{signed.code}/goals").json()
    assert [g["number"] for g in goals["items"]] == [1]
    assert (
        client.get("/api/v1/agreements", {"status": "draft"}, headers=bearer(editor)).json()[
            "count"
        ]
        == 1
    )


def test_a_session_cookie_is_not_an_api_credential(client_for, world, editor):
    client = client_for(editor)
    assert client.get(f"/api/v1/indicators/{world['durango_private'].code}").status_code == 404


def test_unknown_api_addresses_and_methods_use_the_error_shape(client):
    missing = client.get("/api/v1/nada")
    assert missing.status_code == 404 and set(missing.json()) == ERROR_KEYS
    wrong_method = client.delete("/api/v1/states")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    assert "GET" in wrong_method["Allow"]


def test_openapi_and_docs_are_served_without_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Transversal API" and schema["info"]["version"] == "1"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "422", "500"} <= documented, (method, path)
            if "{code}" in path:
                assert "404" in documented, (method, path)
            for status in documented - {"200"}:
                ref = operation["responses"][status]["content"]["application/json"]["schema"][
                    "$ref"
                ]
                assert ref.endswith("/Error"), (method, path, status)
    page = client.get("/api/v1/docs").content.decode()
    # Our own page (api/docs.py, tested in test_docs_page.py), not ninja's Swagger UI.
    assert 'id="transversal_api_endpoints_list_states"' in page and "cdn" not in page.lower()


def test_an_unexpected_failure_is_500_with_the_error_shape_and_no_traceback(
    client, monkeypatch, caplog
):
    from transversal.territory.models import State

    def explode(*args, **kwargs):
        raise RuntimeError("secreto interno")

    monkeypatch.setattr(State.objects, "order_by", explode)
    response = client.get("/api/v1/states")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Error interno del servidor. Ya quedó registrado.",
        "code": "server_error",
        "errors": [],
    }
    assert "secreto interno" not in response.content.decode()
    assert "secreto interno" in caplog.text


def test_a_revision_withdrawn_by_a_correction_is_no_longer_public(
    client, world, editor, reviewer, outsider, coordinator, bearer
):
    from transversal.monitoring.services import update_correct, update_save

    withdrawn = world["durango_approved"]
    withdrawn.narrative = "MARCA-NARRATIVA-RETIRADA"
    withdrawn.save(update_fields=["narrative"])
    correction = update_correct(
        actor=editor, update=withdrawn, reason="El conteo de hombres estaba mal"
    )
    indicator = str(world["durango_public"].code)
    for headers in ({}, bearer(outsider)):
        listed = client.get(
            "/api/v1/updates", {"indicator": indicator, "limit": 200}, headers=headers
        )
        assert listed.json()["items"] == []
        assert "MARCA-NARRATIVA-RETIRADA" not in listed.content.decode()
        assert client.get(f"/api/v1/updates/{withdrawn.code}", headers=headers).status_code == 404
        periods = client.get(f"/api/v1/indicators/{indicator}/periods", headers=headers).json()[
            "items"
        ]
        assert periods[0]["label"] == "2025-T1" and periods[0]["approved_value"] is None
    # The institution's members (and national ones) still read the history, exact.
    for member in (editor, coordinator):
        mine = client.get(f"/api/v1/updates/{withdrawn.code}", headers=bearer(member)).json()
        assert mine["is_current"] is False and mine["narrative"] == "MARCA-NARRATIVA-RETIRADA"
        assert {r["value"] for r in mine["breakdown"]} == {"92.0000", "3.0000"}
    # Once the correction is approved, the public reads it, and only it.
    correction = update_save(
        actor=editor,
        period=correction.period,
        expected_version=correction.version,
        value=Decimal(96),
        narrative="Corregido",
        breakdown={"sex": {"women": Decimal(90), "men": Decimal(6)}},
    )
    correction = update_submit(actor=editor, update=correction, expected_version=correction.version)
    update_approve(actor=reviewer, update=correction)
    items = client.get("/api/v1/updates", {"indicator": indicator}).json()["items"]
    assert [(i["code"], i["revision"], i["value"]) for i in items] == [
        (str(correction.code), 2, "96.0000")
    ]
    assert {(r["category"], r["value"]) for r in items[0]["breakdown"]} == {
        ("women", "90.0000"),
        ("men", "6.0000"),
    }
    periods = client.get(f"/api/v1/indicators/{indicator}/periods").json()["items"]
    assert periods[0]["approved_value"] == "96.0000"

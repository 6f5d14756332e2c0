"""Write endpoints: the same services as the pages, with the same rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.tests.factories import indicator_with_calendar

pytestmark = pytest.mark.django_db


def draft_url(indicator, label="2025-T1") -> str:
    return f"/api/v1/indicators/{indicator.code}/periods/{label}/draft"


def put(client, url, payload, headers):
    return client.put(url, payload, content_type="application/json", headers=headers)


def test_it_creates_a_draft_through_the_service_with_an_audit_event(client, world, editor, bearer):
    indicator = world["durango_private"]
    response = put(
        client,
        draft_url(indicator, "2025-T3"),
        {
            "expected_version": None,
            "value": 12,
            "narrative": "Capacitación en Gómez Palacio",
        },
        bearer(editor),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["value"] == "12.0000" and body["version"] == 1
    update = ProgressUpdate.objects.get(code=body["code"])
    assert update.created_by == editor
    event = AuditEvent.objects.filter(verb="update.create", target_id=str(update.pk)).get()
    assert event.actor == editor


def test_it_edits_with_the_expected_version_and_computes_numerator_over_denominator(
    client, durango, editor, bearer
):
    indicator = indicator_with_calendar(durango, measure="percentage", unit="%")
    headers = bearer(editor)
    first = put(
        client, draft_url(indicator), {"expected_version": None, "value": "10"}, headers
    ).json()
    second = put(
        client,
        draft_url(indicator),
        {
            "expected_version": first["version"],
            "numerator": 45,
            "denominator": 60,
            "narrative": "Con datos del DIF",
        },
        headers,
    )
    assert second.status_code == 200
    assert second.json()["value"] == "75.0000" and second.json()["version"] == 2
    assert AuditEvent.objects.filter(
        verb="update.save", target_id=str(ProgressUpdate.objects.get(code=first["code"]).pk)
    ).exists()


def test_a_stale_version_is_409_with_the_spanish_conflict_message(client, world, editor, bearer):
    current = world["durango_private_draft"]
    response = put(
        client,
        draft_url(world["durango_private"]),
        {"expected_version": current.version + 5, "value": 1},
        bearer(editor),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["detail"].startswith(
        "Otra persona guardó este avance"
    )
    current.refresh_from_db()
    assert current.value == Decimal(7777)


def test_a_percentage_above_100_is_400_with_a_spanish_message(client, durango, editor, bearer):
    indicator = indicator_with_calendar(durango, measure="percentage", unit="%")
    response = put(
        client, draft_url(indicator), {"expected_version": None, "value": 120}, bearer(editor)
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == [
        {"field": "value", "message": "Un porcentaje no puede ser mayor que 100."}
    ]
    assert not ProgressUpdate.objects.filter(period__indicator=indicator).exists()


def test_breakdowns_that_do_not_add_up_are_refused(client, durango, editor, bearer):
    indicator = indicator_with_calendar(durango, disaggregations=["sex"])
    response = put(
        client,
        draft_url(indicator),
        {
            "expected_version": None,
            "value": 10,
            "breakdown": {"sex": {"women": 4, "men": 4}},
        },
        bearer(editor),
    )
    assert response.status_code == 400 and "Sexo suma" in response.json()["errors"][0]["message"]


def test_a_read_only_member_gets_403(client, world, viewer, bearer):
    response = put(
        client,
        draft_url(world["durango_private"], "2025-T3"),
        {"expected_version": None, "value": 1},
        bearer(viewer),
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_an_outsider_gets_404_and_nothing_is_written(client, world, outsider, bearer):
    response = put(
        client,
        draft_url(world["durango_private"], "2025-T3"),
        {"expected_version": None, "value": 1},
        bearer(outsider),
    )
    assert response.status_code == 404
    assert not ProgressUpdate.objects.filter(
        period__label="2025-T3", period__indicator=world["durango_private"]
    ).exists()


def test_writes_need_a_token_even_for_a_public_indicator(client, world):
    response = put(
        client,
        draft_url(world["durango_public"], "2025-T3"),
        {"expected_version": None, "value": 1},
        {},
    )
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_writes_reject_get(client, world, editor, bearer):
    response = client.get(draft_url(world["durango_private"]), headers=bearer(editor))
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_400_and_bad_types_are_422(client, world, editor, bearer):
    headers = bearer(editor)
    url = draft_url(world["durango_private"], "2025-T3")
    broken = client.put(url, "{value: 1", content_type="application/json", headers=headers)
    assert broken.status_code == 400
    assert broken.json() == {
        "detail": "El cuerpo de la petición no es JSON válido.",
        "code": "malformed_json",
        "errors": [],
    }
    typed = put(client, url, {"expected_version": "uno", "value": "mucho", "narrative": 5}, headers)
    assert typed.status_code == 422
    fields = {e["field"]: e["message"] for e in typed.json()["errors"]}
    assert fields == {
        "expected_version": "Debe ser un número entero.",
        "narrative": "Debe ser texto.",
        "value": "Escriba el número con punto decimal, sin separadores ni espacios, p. ej. «60.5»; "
        "para indicar que no hay dato, envíe null.",
    }
    assert put(client, url, [1, 2], headers).status_code == 422
    assert put(client, url, {"value": 1}, headers).json()["errors"] == [
        {"field": "expected_version", "message": "Este dato es obligatorio."}
    ]


def test_it_submits_a_draft_through_the_service(client, world, editor, bearer):
    update = world["durango_private_draft"]
    response = client.post(
        f"/api/v1/updates/{update.code}/submit",
        {"expected_version": update.version},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert AuditEvent.objects.filter(verb="update.submit", target_id=str(update.pk)).exists()


def test_submitting_checks_roles_tenancy_and_versions(
    client, world, viewer, outsider, editor, bearer
):
    update = world["durango_private_draft"]
    url = f"/api/v1/updates/{update.code}/submit"

    def submit(user, version):
        return client.post(
            url,
            {"expected_version": version},
            content_type="application/json",
            headers=bearer(user),
        )

    assert submit(viewer, update.version).status_code == 403
    assert submit(outsider, update.version).status_code == 404
    assert submit(editor, update.version + 1).status_code == 409
    assert client.get(url, headers=bearer(editor)).status_code == 405
    assert submit(editor, update.version).status_code == 200
    again = submit(editor, update.version + 1)
    assert (
        again.status_code == 400
        and again.json()["errors"][0]["message"] == "Solo se envían borradores o avances devueltos."
    )


def test_token_calls_need_no_csrf_token(world, editor, bearer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.put(
        draft_url(world["durango_private"], "2025-T3"),
        {"expected_version": None, "value": 2},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 200

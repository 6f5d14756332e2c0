"""The profile review shows the legal form, the object and the dated history read from a
document, and records the confirmed steps as the institution's dated names (issue 20)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.institutions.forms import ProfileForm

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
# Session, user, membership and the institution with its names; reading adds none.
QUERIES_REVIEW = 7


def url(institution) -> str:
    return reverse("planning:profile_import", args=[institution.slug])


def review(client, institution, name: str):
    data = (FIXTURES / name).read_bytes()
    response = client.post(url(institution), {"document": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    return response


def as_posted(response, **changes) -> dict:
    form: ProfileForm = response.context["profile_form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, "")
        data[name] = (
            field.widget.format_value(value) if isinstance(value, dt.date) else (value or "")
        )
    data["current_name"] = form.current_name
    data["read"] = form.read_token
    data["history"] = [str(s["index"]) for s in form.history if s["taken"] and not s["recorded"]]
    data.update(changes)
    return data


def test_the_review_shows_the_history_and_marks_the_recorded_name(client_for, editor, durango):
    response = review(client_for(editor), durango, "profile_history.txt")
    html = response.content.decode()
    assert "Historia de la institución" in html
    assert "08/03/1999 · Coordinación Estatal de la Mujer (Órgano desconcentrado)" in html
    assert "Transformación (cambio de naturaleza jurídica)" in html
    # Durango is registered as «Instituto Estatal de las Mujeres»: that step is not offered.
    assert "01/01/2016 · Instituto Estatal de las Mujeres — <strong>ya registrado" in html
    assert html.count('type="checkbox" name="history"') == 3
    assert AuditEvent.objects.filter(verb="institution.rename").count() == 0


def test_confirmed_steps_become_dated_names_in_order_and_today_is_the_current_one(
    client_for, editor, durango
):
    client = client_for(editor)
    response = review(client, durango, "profile_history.txt")
    before = AuditEvent.objects.count()
    answer = client.post(url(durango), as_posted(response))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    names = list(durango.names.order_by("sequence"))
    assert [(n.name, n.valid_from, n.change, n.legal_form) for n in names] == [
        ("Coordinación Estatal de la Mujer", dt.date(1999, 3, 8), "creation", "deconcentrated"),
        ("Instituto Estatal de la Mujer", dt.date(2004, 8, 20), "transformation", "decentralized"),
        ("Instituto Estatal de las Mujeres", None, "creation", ""),
        ("Secretaría de las Mujeres", dt.date(2021, 11, 15), "transformation", "centralized"),
    ]
    assert names[1].valid_to == dt.date(2021, 11, 14) or names[1].valid_to is None
    assert names[2].valid_to == dt.date(2021, 11, 14)
    durango.refresh_from_db()
    assert durango.legal_form == "centralized"
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True)[before:])
    assert verbs.count("institution.rename") == 3
    # Confirming the same document again records nothing new.
    again = review(client, durango, "profile_history.txt")
    assert client.post(url(durango), as_posted(again)).status_code == 302
    assert durango.names.count() == 4


def test_an_unchecked_step_is_not_recorded(client_for, editor, durango):
    client = client_for(editor)
    response = review(client, durango, "profile_history.txt")
    data = as_posted(response, history=["1"])  # only «Instituto Estatal de la Mujer»
    assert client.post(url(durango), data).status_code == 302
    assert [n.name for n in durango.names.order_by("sequence")] == [
        "Instituto Estatal de la Mujer",
        "Instituto Estatal de las Mujeres",
        "Secretaría de las Mujeres",
    ]


def test_an_altered_history_is_refused_and_nothing_is_written(client_for, editor, durango):
    client = client_for(editor)
    response = review(client, durango, "profile_history.txt")
    before = (AuditEvent.objects.count(), durango.names.count())
    answer = client.post(url(durango), as_posted(response, read="alterado"))
    assert answer.status_code == 200
    assert "La historia leída del documento ya no está disponible" in answer.content.decode()
    assert (AuditEvent.objects.count(), durango.names.count()) == before


def test_a_creation_law_shows_its_legal_form_and_object_and_proposes_the_object_as_mission(
    client_for, editor, durango
):
    client = client_for(editor)
    response = review(client, durango, "profile_creation_law.txt")
    html = response.content.decode()
    assert "Lo que se leyó del documento" in html
    assert "Organismo público descentralizado" in html
    assert "El registro no tiene un campo de objeto" in html
    form = response.context["profile_form"]
    assert form.initial["legal_form"] == "decentralized"
    assert form.initial["mission"].startswith("Promover las condiciones que hagan posible")
    assert client.post(url(durango), as_posted(response)).status_code == 302
    durango.refresh_from_db()
    assert durango.legal_form == "decentralized"
    assert durango.mission.startswith("Promover las condiciones que hagan posible")


def test_a_recorded_mission_is_not_replaced_by_the_object(client_for, editor, durango):
    durango.mission = "Misión registrada."
    durango.save(update_fields=["mission"])
    response = review(client_for(editor), durango, "profile_creation_law.txt")
    assert response.context["profile_form"].initial["mission"] == "Misión registrada."


def test_the_review_reads_no_more_rows_for_the_history(client_for, editor, durango):
    client = client_for(editor)
    data = (FIXTURES / "profile_history.txt").read_bytes()
    with CaptureQueriesContext(connection) as queries:
        client.post(url(durango), {"document": SimpleUploadedFile("h.txt", data)})
    assert len(queries) <= QUERIES_REVIEW

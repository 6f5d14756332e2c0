from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.institutions.models import Institution
from transversal.institutions.services import institution_name_add

pytestmark = pytest.mark.django_db


def test_the_national_institution_has_its_dated_names(national):
    national = Institution.objects.with_names().get(pk=national.pk)
    assert national.name_on(dt.date(2010, 5, 1)).name == "Instituto Nacional de las Mujeres"
    assert national.name_on(dt.date(2024, 12, 31)).acronym == "Inmujeres"
    assert national.name_on(dt.date(2025, 1, 1)).name == "Secretaría de las Mujeres"
    assert national.name_on(dt.date(2000, 12, 31)) is None  # before the law of 12/01/2001
    assert national.creation_date == dt.date(2001, 1, 12)
    assert national.current_name.name == "Secretaría de las Mujeres"


def test_name_on_does_not_guess_when_a_change_date_is_unknown(durango):
    institution_name_add(actor=None, institution=durango, name="Secretaría de las Mujeres")
    durango = Institution.objects.with_names().get(pk=durango.pk)
    assert durango.current_name.name == "Secretaría de las Mujeres"
    assert durango.former_names[0].name == "Instituto Estatal de las Mujeres"
    assert durango.name_on(dt.date(2020, 1, 1)) is None


def test_a_new_name_closes_the_previous_one_the_day_before(durango):
    Institution.objects.get(pk=durango.pk).names.update(valid_from=dt.date(2000, 6, 18))
    institution_name_add(
        actor=None,
        institution=durango,
        name="Secretaría de las Mujeres",
        valid_from=dt.date(2023, 3, 1),
    )
    durango = Institution.objects.with_names().get(pk=durango.pk)
    assert durango.name_on(dt.date(2023, 2, 28)).name == "Instituto Estatal de las Mujeres"
    assert durango.name_on(dt.date(2023, 3, 1)).name == "Secretaría de las Mujeres"


def test_the_profile_page_shows_current_and_former_names(client, national):
    page = client.get(reverse("directory:institution", args=["nacional"])).content.decode()
    assert "Secretaría de las Mujeres" in page
    assert "Instituto Nacional de las Mujeres" in page
    assert "12/01/2001" in page
    assert "Vigente" in page and "Anterior" in page


class TestProfileEdit:
    url_name = "directory:institution_edit"

    def post(self, client, slug, **data):
        payload = {
            "mission": "Promover la igualdad sustantiva.",
            "vision": "Ser referente.",
            "objectives": "Uno\nDos",
            "creation_date": "18/06/2000",
        }
        payload.update(data)
        return client.post(reverse(self.url_name, args=[slug]), payload)

    def test_an_editor_changes_the_profile_and_leaves_an_audit_event(
        self, client_for, editor, durango
    ):
        response = self.post(client_for(editor), durango.slug)
        assert response.status_code == 302
        durango.refresh_from_db()
        assert durango.mission == "Promover la igualdad sustantiva."
        assert durango.creation_date == dt.date(2000, 6, 18)
        assert [o.text for o in durango.objectives.all()] == ["Uno", "Dos"]
        event = AuditEvent.objects.get(verb="institution.update")
        assert event.actor == editor
        assert event.changes["mission"] == ["", "Promover la igualdad sustantiva."]
        assert event.changes["objectives"] == [[], ["Uno", "Dos"]]

    def test_a_read_only_member_gets_403(self, client_for, viewer, durango):
        assert self.post(client_for(viewer), durango.slug).status_code == 403
        durango.refresh_from_db()
        assert durango.mission == ""

    def test_an_outsider_gets_404(self, client_for, outsider, durango):
        assert self.post(client_for(outsider), durango.slug).status_code == 404
        assert (
            client_for(outsider).get(reverse(self.url_name, args=[durango.slug])).status_code == 404
        )

    def test_anonymous_is_sent_to_login(self, client, durango):
        response = self.post(client, durango.slug)
        assert response.status_code == 302 and "/entrar/" in response["Location"]

    def test_a_bad_date_gets_a_spanish_message_and_changes_nothing(
        self, client_for, editor, durango
    ):
        response = self.post(client_for(editor), durango.slug, creation_date="31/02/2000")
        assert response.status_code == 200
        assert "Introduzca una fecha válida" in response.content.decode()
        durango.refresh_from_db()
        assert (
            durango.mission == ""
            and not AuditEvent.objects.filter(verb="institution.update").exists()
        )


class TestNameCreate:
    def test_it_rejects_get(self, client_for, state_admin, durango):
        assert (
            client_for(state_admin)
            .get(reverse("directory:institution_name_create", args=[durango.slug]))
            .status_code
            == 405
        )

    def test_an_admin_records_a_new_name(self, client_for, state_admin, durango):
        response = client_for(state_admin).post(
            reverse("directory:institution_name_create", args=[durango.slug]),
            {
                "name": "Secretaría de las Mujeres del Estado",
                "acronym": "SM",
                "valid_from": "01/01/2026",
            },
        )
        assert response.status_code == 302
        assert Institution.objects.with_names().get(pk=durango.pk).current_name.acronym == "SM"
        assert AuditEvent.objects.filter(verb="institution.rename", actor=state_admin).count() == 1

    def test_an_editor_gets_403_and_an_outsider_404(self, client_for, editor, outsider, durango):
        url = reverse("directory:institution_name_create", args=[durango.slug])
        assert client_for(editor).post(url, {"name": "X"}).status_code == 403
        assert client_for(outsider).post(url, {"name": "X"}).status_code == 404
        assert durango.names.count() == 1

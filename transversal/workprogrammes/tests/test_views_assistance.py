"""Technical assistance requests: the state asks, the national institution attends and links
the assistance it gave, the state verifies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.agreements.models import TechnicalAssistance
from transversal.workprogrammes import services
from transversal.workprogrammes.models import AssistanceRequest
from transversal.workprogrammes.tests.factories import signed_agreement

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def new_url(agreement=None) -> str:
    base = reverse("workprogrammes:request_new")
    return f"{base}?convenio={agreement.code}" if agreement else base


def make_request(agreement, topic="Presupuesto con perspectiva de género"):
    return services.assistance_request_add(
        actor=None, agreement=agreement, topic=topic, goals=list(agreement.goals.all()[:1])
    )


class TestNew:
    def test_an_editor_asks_for_assistance_for_goals_and_commitments(
        self, client_for, national, durango, editor
    ):
        agreement = signed_agreement(national, durango)
        commitment = agreement.commitments.create(party="state", number=1, text="Informar")
        client = client_for(editor)
        page = client.get(new_url()).content.decode()  # one convenio: chosen already
        assert "Meta 1" in page and 'type="checkbox"' in page
        goal = agreement.goals.get(number=2)
        response = client.post(
            new_url(agreement),
            {
                "goals": [goal.pk],
                "commitments": [commitment.pk],
                "topic": "Indicadores con perspectiva de género",
                "description": "Taller para el área de planeación.",
                "due_date": "15/01/2027",
            },
        )
        item = AssistanceRequest.objects.get()
        assert response.url == reverse("workprogrammes:request", args=[item.code])
        assert list(item.goals.all()) == [goal] and list(item.commitments.all()) == [commitment]
        assert item.followup.due_date == dt.date(2027, 1, 15)
        page = client.get(response.url).content.decode()
        assert "Indicadores con perspectiva de género" in page and "Seguimiento" in page

    def test_a_request_without_goal_or_commitment_saves_nothing(
        self, client_for, national, durango, editor
    ):
        agreement = signed_agreement(national, durango)
        response = client_for(editor).post(new_url(agreement), {"topic": "Algo", "due_date": ""})
        assert response.status_code == 200
        assert "Elija al menos una meta o un compromiso" in response.content.decode()
        assert not AssistanceRequest.objects.exists()

    def test_outsiders_and_viewers_do_not_ask_for_durango(
        self, client_for, national, durango, zacatecas, outsider, viewer
    ):
        agreement = signed_agreement(national, durango)
        signed_agreement(national, zacatecas)
        data = {"topic": "x", "goals": [agreement.goals.first().pk]}
        # the outsider's own convenio is offered, never Durango's: its code finds nothing
        assert client_for(outsider).post(new_url(agreement), data).status_code == 404
        assert client_for(viewer).get(new_url()).status_code == 403
        assert client_for(viewer).post(new_url(agreement), data).status_code == 403
        assert not AssistanceRequest.objects.exists()


class TestDetail:
    def test_the_national_side_links_the_assistance_it_gave(
        self, client_for, national, durango, editor, coordinator
    ):
        agreement = signed_agreement(national, durango)
        item = make_request(agreement)
        given = TechnicalAssistance.objects.create(
            agreement=agreement,
            recipient=durango,
            provider_institution=national,
            topic="Taller de presupuesto",
            modality="remote",
            date=dt.date(2026, 2, 1),
            hours=4,
        )
        other_state = TechnicalAssistance.objects.create(
            recipient=national, topic="Otra", modality="remote", date=dt.date(2026, 2, 1), hours=1
        )
        client = client_for(coordinator)
        page = client.get(reverse("workprogrammes:request", args=[item.code])).content.decode()
        assert "Taller de presupuesto" in page and "Registrar avance" in page
        link = reverse("workprogrammes:request_link", args=[item.code])
        response = client.post(link, {"assistance": other_state.pk}, follow=True)
        assert "Asistencia técnica brindada:" in messages_of(response)
        item.refresh_from_db()
        assert item.assistance is None
        response = client.post(link, {"assistance": given.pk}, follow=True)
        assert "Se vinculó la asistencia técnica" in messages_of(response)
        item.refresh_from_db()
        assert item.assistance == given
        assert list(given.goals.all()) == list(item.goals.all())
        page = client_for(editor).get(reverse("workprogrammes:request", args=[item.code]))
        assert "Verificar y cerrar como cumplido" in page.content.decode()

    def test_outsiders_get_404_and_state_members_403_on_the_link(
        self, client_for, national, durango, outsider, viewer, editor
    ):
        item = make_request(signed_agreement(national, durango))
        page = reverse("workprogrammes:request", args=[item.code])
        link = reverse("workprogrammes:request_link", args=[item.code])
        assert client_for(outsider).get(page).status_code == 404
        assert client_for(outsider).post(link, {}).status_code == 404
        assert client_for(viewer).get(page).status_code == 200
        assert client_for(viewer).post(link, {}).status_code == 403
        assert client_for(editor).post(link, {}).status_code == 403


class TestList:
    def test_it_lists_the_states_requests_in_constant_queries(
        self, client_for, national, durango, zacatecas, coordinator, outsider
    ):
        durango_agreement = signed_agreement(national, durango)
        first = make_request(durango_agreement)
        client = client_for(coordinator)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("workprogrammes:requests"))
        zacatecas_agreement = signed_agreement(national, zacatecas)
        for index in range(3):
            make_request(zacatecas_agreement, topic=f"Tema {index}")
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("workprogrammes:requests"))
        assert response.content.decode().count("Solicitud de asistencia") == 4
        # session, user, memberships, the page's count and rows with their follow-ups, the
        # states of the filter, the convenios the person may ask for and the header's
        assert len(few) == len(many), [q["sql"] for q in many.captured_queries]
        page = client_for(outsider).get(reverse("workprogrammes:requests")).content.decode()
        assert "Tema 0" in page and reverse("workprogrammes:request", args=[first.code]) not in page
        filtered = client.get(
            reverse("workprogrammes:requests") + f"?convenio={durango_agreement.code}"
        ).content.decode()
        assert "Tema 0" not in filtered

"""The change history of a public object, as outsiders read it.

Members of the owning institution (and national coordinators) read every event. Anyone else
(anonymous visitors, members of other institutions) reads only the events from the object's
publication on, only the fields its public page shows, and never a staff member's name: the
actor is shown as "Personal de <institución>".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.agreements.models import AgreementStatus
from transversal.agreements.services import (
    agreement_create,
    agreement_transition,
    agreement_update,
    goal_add,
    goal_update,
)
from transversal.monitoring.services import indicator_create, indicator_update
from transversal.planning.models import PlanKind
from transversal.planning.services import alignment_create, item_update, plan_publish
from transversal.planning.tests.factories import make_plan

pytestmark = pytest.mark.django_db

STAFF_NAME = "Rosalba Quintanilla Staff"


@pytest.fixture
def named_editor(editor):
    editor.full_name = STAFF_NAME
    editor.save(update_fields=["full_name"])
    return editor


def _page(client, url: str):
    response = client.get(url)
    return response.status_code, response.content.decode()


class TestIndicator:
    @pytest.fixture
    def indicator(self, durango, named_editor):
        indicator = indicator_create(
            actor=named_editor,
            owner=durango,
            name="Nombre privado del borrador",
            unit="personas",
            measure="count",
            frequency="quarterly",
            direction="ascending",
            definition="Definición interna sin publicar",
            is_public=False,
        )
        indicator_update(actor=named_editor, indicator=indicator, name="Nombre de trabajo interno")
        indicator_update(
            actor=named_editor,
            indicator=indicator,
            name="Mujeres capacitadas",
            is_public=True,
            definition="Definición publicada",
        )
        indicator_update(actor=named_editor, indicator=indicator, unit="mujeres")
        return indicator

    def url(self, indicator) -> str:
        return reverse("audit:history", args=["indicador", indicator.code])

    @pytest.mark.parametrize("persona", [None, "outsider"])
    def test_outsiders_see_only_public_states_and_no_staff_names(
        self, client_for, request, indicator, persona
    ):
        user = request.getfixturevalue(persona) if persona else None
        status, page = _page(client_for(user), self.url(indicator))
        assert status == 200
        for private in (
            "Nombre privado del borrador",
            "Nombre de trabajo interno",
            "Definición interna sin publicar",
            STAFF_NAME,
            "captura@prueba.test",
            "Creó el indicador",
        ):
            assert private not in page
        # The publication and what came after it are there, told as the institution's doing.
        assert (
            "Mujeres capacitadas" in page and "Definición publicada" in page and "mujeres" in page
        )
        assert "Cambió la ficha técnica" in page
        assert "Personal de Instituto Estatal de las Mujeres" in page

    def test_members_still_see_everything(self, client_for, viewer, indicator):
        status, page = _page(client_for(viewer), self.url(indicator))
        assert status == 200
        for text in (
            "Nombre privado del borrador",
            "Nombre de trabajo interno",
            "Definición interna sin publicar",
            STAFF_NAME,
            "Creó el indicador",
        ):
            assert text in page

    def test_national_coordinators_see_everything(self, client_for, coordinator, indicator):
        assert (
            "Nombre privado del borrador" in _page(client_for(coordinator), self.url(indicator))[1]
        )

    def test_a_private_indicator_has_no_history_for_outsiders(self, client_for, outsider, durango):
        indicator = indicator_create(
            actor=None,
            owner=durango,
            name="Privado",
            unit="personas",
            measure="count",
            frequency="quarterly",
            direction="ascending",
            is_public=False,
        )
        assert client_for(outsider).get(self.url(indicator)).status_code == 404
        assert client_for(None).get(self.url(indicator)).status_code == 404

    def test_an_indicator_published_again_shows_only_the_latest_public_period(
        self, client_for, outsider, indicator, named_editor
    ):
        indicator_update(actor=named_editor, indicator=indicator, is_public=False)
        indicator_update(
            actor=named_editor, indicator=indicator, name="Nombre retirado temporalmente"
        )
        indicator_update(
            actor=named_editor, indicator=indicator, name="Mujeres capacitadas 2", is_public=True
        )
        page = _page(client_for(outsider), self.url(indicator))[1]
        assert "Nombre retirado temporalmente" not in page and "Mujeres capacitadas 2" in page
        assert "Definición publicada" not in page  # from the earlier public period


class TestAgreement:
    @pytest.fixture
    def agreement(self, national, durango, named_editor):
        agreement = agreement_create(
            actor=named_editor,
            national_institution=national,
            state_institution=durango,
            title="Título de borrador reservado",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2025, 12, 31),
        )
        goal = goal_add(
            actor=named_editor,
            agreement=agreement,
            number=1,
            description="Meta redactada en borrador",
        )
        goal_update(actor=named_editor, goal=goal, description="Meta firmada")
        agreement_update(
            actor=named_editor, agreement=agreement, title="Convenio firmado de Durango"
        )
        agreement_transition(
            actor=named_editor,
            agreement=agreement,
            to_status=AgreementStatus.SIGNED,
            on=dt.date(2025, 1, 2),
        )
        goal_update(actor=named_editor, goal=goal, description="Meta ajustada tras la firma")
        return agreement

    @pytest.mark.parametrize("persona", [None, "outsider"])
    def test_outsiders_see_the_agreement_from_its_signature_on(
        self, client_for, request, agreement, persona
    ):
        user = request.getfixturevalue(persona) if persona else None
        status, page = _page(
            client_for(user), reverse("audit:history", args=["convenio", agreement.code])
        )
        assert status == 200
        for private in (
            "Título de borrador reservado",
            "Meta redactada en borrador",
            STAFF_NAME,
            "Creó el convenio",
        ):
            assert private not in page
        assert "Cambió el estado del convenio" in page and "Meta ajustada tras la firma" in page
        assert "Meta firmada" in page  # the goal as it stood when the agreement became public

    def test_members_see_the_drafting_too(self, client_for, viewer, agreement):
        page = _page(
            client_for(viewer), reverse("audit:history", args=["convenio", agreement.code])
        )[1]
        assert (
            "Título de borrador reservado" in page
            and "Meta redactada en borrador" in page
            and STAFF_NAME in page
        )


class TestPlan:
    @pytest.fixture
    def plan(self, durango, national, named_editor):
        plan = make_plan(durango, texts={"1": "Objetivo en redacción reservada"})
        item_update(actor=named_editor, item=plan.items.get(code="1"), text="Objetivo publicado")
        plan_publish(actor=named_editor, plan=plan)
        item_update(
            actor=named_editor, item=plan.items.get(code="2"), text="Objetivo corregido después"
        )
        other = make_plan(
            national, kind=PlanKind.NATIONAL_PROGRAM, publish=True, title="Programa nacional"
        )
        alignment_create(
            actor=named_editor,
            from_item=plan.items.get(code="2"),
            to_item=other.items.get(code="1"),
        )
        return plan

    @pytest.mark.parametrize("persona", [None, "outsider"])
    def test_outsiders_see_the_plan_and_its_items_from_publication_on(
        self, client_for, request, plan, persona
    ):
        user = request.getfixturevalue(persona) if persona else None
        status, page = _page(client_for(user), reverse("audit:history", args=["plan", plan.code]))
        assert status == 200
        for private in (
            "Objetivo en redacción reservada",
            STAFF_NAME,
            "Creó el plan a partir de un documento",
            "Alineó un elemento",
        ):
            assert private not in page
        assert "Publicó el plan" in page and "Objetivo corregido después" in page

    def test_members_see_the_drafting_too(self, client_for, viewer, plan):
        page = _page(client_for(viewer), reverse("audit:history", args=["plan", plan.code]))[1]
        for text in (
            "Objetivo en redacción reservada",
            STAFF_NAME,
            "Creó el plan a partir de un documento",
            "Alineó un elemento",
        ):
            assert text in page

    def test_a_draft_plan_has_no_history_for_outsiders(self, client_for, outsider, durango):
        url = reverse("audit:history", args=["plan", make_plan(durango).code])
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 404


class TestQueryCounts:
    """The public history takes a fixed number of queries, however many events and actors:
    session, user and scope, the indicator (+ owner names), the publication event, the page
    count, the page of events with their actors, the actors' memberships, their institutions
    and those institutions' names."""

    def _count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def test_it_takes_the_same_queries_for_2_or_8_events_by_different_people(
        self, client_for, outsider, durango
    ):
        from transversal.conftest import make_member

        indicator = indicator_create(
            actor=None,
            owner=durango,
            name="Indicador público",
            unit="personas",
            measure="count",
            frequency="quarterly",
            direction="ascending",
            is_public=True,
        )
        url = reverse("audit:history", args=["indicador", indicator.code])
        client = client_for(outsider)

        def edit(n: int) -> None:
            actor = make_member(f"persona{n}@prueba.test", durango, "editor")
            indicator_update(actor=actor, indicator=indicator, unit=f"personas {n}")

        edit(0)
        small = self._count(client, url)
        for n in range(1, 7):
            edit(n)
        assert self._count(client, url) == small
        assert "personas 6" in client.get(url).content.decode()

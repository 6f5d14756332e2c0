"""Reading agreements: who sees what, filters, constant query counts, history and demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.agreements.models import AgreementStatus, TechnicalAssistance
from transversal.agreements.services import amendment_add, assistance_record

from .conftest import make_agreement

pytestmark = pytest.mark.django_db


def _titles(response) -> str:
    return response.content.decode()


class TestVisibility:
    def test_anonymous_never_sees_a_draft(self, client, draft, signed):
        page = _titles(client.get(reverse("agreements:list")))
        assert "Convenio firmado" in page and "Convenio en borrador" not in page
        assert "Convenio en borrador" not in _titles(
            client.get(reverse("agreements:list") + "?estado=draft")
        )
        assert client.get(reverse("agreements:detail", args=[draft.code])).status_code == 404

    def test_anonymous_reads_a_published_summary_without_private_parts(self, client, signed):
        page = _titles(client.get(reverse("agreements:detail", args=[signed.code])))
        assert "Convenio firmado" in page and "Meta 1" in page and "Compromiso 1" in page
        assert "Historial de cambios" not in page
        assert reverse("agreements:agreement_assistance", args=[signed.code]) not in page

    def test_an_outsider_sees_published_agreements_of_other_states_but_not_their_drafts(
        self, client_for, outsider, draft, signed
    ):
        client = client_for(outsider)
        assert client.get(reverse("agreements:detail", args=[draft.code])).status_code == 404
        assert client.get(reverse("agreements:detail", args=[signed.code])).status_code == 200
        history = client.get(reverse("audit:history", args=["convenio", signed.code]))
        assert (
            history.status_code == 200 and "Creó el convenio" not in history.content.decode()
        )  # public part only
        assert (
            client.get(reverse("agreements:agreement_assistance", args=[signed.code])).status_code
            == 404
        )
        assert client.get(reverse("agreements:state_assistance", args=["10"])).status_code == 404

    def test_state_members_read_their_own_drafts_and_national_members_read_all(
        self, client_for, viewer, coordinator, national, draft, zacatecas
    ):
        other_draft = make_agreement(national, zacatecas, title="Borrador de Zacatecas")
        own = _titles(client_for(viewer).get(reverse("agreements:list")))
        assert "Convenio en borrador" in own and "Borrador de Zacatecas" not in own
        everything = _titles(client_for(coordinator).get(reverse("agreements:list")))
        assert "Convenio en borrador" in everything and "Borrador de Zacatecas" in everything
        assert (
            client_for(viewer)
            .get(reverse("agreements:detail", args=[other_draft.code]))
            .status_code
            == 404
        )

    def test_the_history_page_lists_the_agreement_and_its_parts(self, client_for, viewer, signed):
        page = _titles(
            client_for(viewer).get(reverse("audit:history", args=["convenio", signed.code]))
        )
        for verb in (
            "Creó el convenio",
            "Cambió el estado del convenio",
            "Agregó una meta",
            "Agregó un compromiso",
        ):
            assert verb in page


class TestFilters:
    @pytest.fixture
    def agreements(self, national, durango, zacatecas):
        return {
            "dgo": make_agreement(
                national,
                durango,
                status="in_force",
                title="Durango vigente",
                areas=["violence_prevention"],
            ),
            "zac": make_agreement(
                national,
                zacatecas,
                status="concluded",
                title="Zacatecas concluido",
                round="IP-999",
                areas=["discrimination_violence"],
            ),
        }

    @pytest.mark.parametrize(
        "query, shown, hidden",
        [
            ("entidad=10", "Durango vigente", "Zacatecas concluido"),
            ("ronda=IP-999", "Zacatecas concluido", "Durango vigente"),
            # "Durango vigente" was recorded in force, but its dates ended in 2018: concluded now.
            ("estado=concluded", "Durango vigente", "nada"),
            ("area=violence_prevention", "Durango vigente", "Zacatecas concluido"),
            ("area=discrimination_violence", "Zacatecas concluido", "Durango vigente"),
            ("anio=2016", "Durango vigente", "nada"),
        ],
    )
    def test_the_list_filters(self, client, agreements, query, shown, hidden):
        page = _titles(client.get(reverse("agreements:list") + "?" + query))
        assert shown in page and hidden not in page

    def test_a_year_outside_the_validity_hides_the_agreement(self, client, agreements):
        page = _titles(client.get(reverse("agreements:list") + "?anio=2020"))
        assert "Durango vigente" not in page and "No hay convenios con estos criterios." in page

    @pytest.mark.parametrize("persona", [None, "outsider"])
    def test_the_round_choices_come_only_from_agreements_the_viewer_may_see(
        self, client_for, request, national, durango, agreements, persona
    ):
        make_agreement(
            national, durango, title="Borrador con ronda propia", round="RONDA-OCULTA-77"
        )
        user = request.getfixturevalue(persona) if persona else None
        page = _titles(client_for(user).get(reverse("agreements:list")))
        assert "IP-999" in page  # the round of a published agreement is offered
        assert "RONDA-OCULTA-77" not in page

    def test_anonymous_visitors_are_offered_only_the_public_statuses(self, client):
        page = _titles(client.get(reverse("agreements:list")))
        assert 'value="signed"' in page and 'value="concluded"' in page
        assert 'value="draft"' not in page and 'value="terminated"' not in page

    def test_members_see_the_round_of_their_own_draft_among_the_choices(
        self, client_for, viewer, national, durango
    ):
        make_agreement(
            national, durango, title="Borrador con ronda propia", round="RONDA-OCULTA-77"
        )
        assert "RONDA-OCULTA-77" in _titles(client_for(viewer).get(reverse("agreements:list")))


class TestPageContent:
    def test_the_page_shows_dates_status_history_and_the_traffic_light_as_text(
        self, client_for, viewer, signed
    ):
        page = _titles(client_for(viewer).get(reverse("agreements:detail", args=[signed.code])))
        assert "01/03/2015" in page and "30/11/2018" in page
        assert "Borrador → Firmado" in page
        assert 'class="light no_data"' in page and "Sin dato" in page
        assert "Empoderamiento económico" in page

    def test_synthetic_records_say_so(self, client, signed):
        signed.is_synthetic = True
        signed.save(update_fields=["is_synthetic"])
        page = _titles(client.get(reverse("agreements:detail", args=[signed.code])))
        assert '<span class="synthetic"' in page and "dato sintético" in page

    def test_figures_use_mexican_number_format(self, client_for, viewer, signed):
        assistance_record(
            actor=None,
            recipient=signed.state_institution,
            agreement=signed,
            provider_name="Consultora",
            topic="Taller masivo",
            modality="virtual",
            date=dt.date(2016, 1, 1),
            hours=Decimal("1500"),
            participants_women=1234,
        )
        page = _titles(client_for(viewer).get(reverse("agreements:state_assistance", args=["10"])))
        assert "1,500" in page and "1,234" in page and "Taller masivo" in page


def _fill(agreement, national, size: int) -> None:
    from transversal.agreements.services import agreement_transition, commitment_add, goal_add

    for number in range(1, size + 1):
        goal_add(actor=None, agreement=agreement, number=number, description=f"Meta {number}")
        commitment_add(
            actor=None, agreement=agreement, party="national", text=f"Compromiso {number}"
        )
        commitment_add(
            actor=None, agreement=agreement, party="state", text=f"Compromiso estatal {number}"
        )
        amendment_add(
            actor=None,
            agreement=agreement,
            signed_on=dt.date(2016, 1, number),
            summary=f"Cambio {number}",
        )
        assistance_record(
            actor=None,
            recipient=agreement.state_institution,
            agreement=agreement,
            provider_institution=national,
            topic=f"Asistencia {number}",
            modality="virtual",
            date=dt.date(2016, 2, number),
            hours=Decimal("2"),
        )
    agreement_transition(
        actor=None, agreement=agreement, to_status="in_force", on=dt.date(2016, 1, 1)
    )


class TestQueryCounts:
    """Counts must not grow with rows: each page is a fixed set of queries."""

    def _count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def test_the_agreement_list_takes_the_same_queries_for_2_or_6_agreements(
        self, client_for, coordinator, national, durango, zacatecas
    ):
        client = client_for(coordinator)
        url = reverse("agreements:list")
        for i in range(2):
            make_agreement(
                national,
                durango if i % 2 else zacatecas,
                status="signed",
                goals=3,
                commitments=2,
                title=f"A{i}",
            )
        small = self._count(client, url)
        for i in range(4):
            make_agreement(
                national,
                durango if i % 2 else zacatecas,
                status="in_force",
                goals=3,
                commitments=2,
                title=f"B{i}",
            )
        # session, user, memberships (scope); agreements (+ state, institution, counts in
        # one query) and their institutions' names; national institution and its names
        # (may this person create?); rounds; states (filters); the navigation's memberships
        # and their names (core context processor); the review badge's COUNT: 12.
        assert self._count(client, url) == small
        assert small <= 12

    def test_the_agreement_page_takes_the_same_queries_for_2_or_6_rows_per_relation(
        self, client_for, coordinator, national, durango, zacatecas
    ):
        client = client_for(coordinator)
        few = make_agreement(national, durango, status="signed", title="Pocas filas")
        many = make_agreement(national, zacatecas, status="signed", title="Muchas filas")
        _fill(few, national, 2)
        _fill(many, national, 6)
        assert TechnicalAssistance.objects.filter(agreement=many).count() == 6
        # agreement (+ state, institutions); names of the state and the national
        # institution; status changes (+ actor); amendments; signatories; commitments; goals;
        # assistance (+ agreement, institutions); names of recipients; names of providers;
        # session, user, memberships (scope); the navigation's memberships and names; the
        # review badge's COUNT: 17.
        small = self._count(client, reverse("agreements:detail", args=[few.code]))
        large = self._count(client, reverse("agreements:detail", args=[many.code]))
        assert small == large
        assert large <= 17

    def test_the_anonymous_page_takes_the_same_queries_too(
        self, client, national, durango, zacatecas
    ):
        few = make_agreement(national, durango, status=AgreementStatus.SIGNED, title="Pocas")
        many = make_agreement(national, zacatecas, status=AgreementStatus.SIGNED, title="Muchas")
        _fill(few, national, 2)
        _fill(many, national, 6)
        assert self._count(client, reverse("agreements:detail", args=[few.code])) == self._count(
            client, reverse("agreements:detail", args=[many.code])
        )


def test_the_demo_step_is_idempotent(db):
    from transversal.agreements import demo as agreements_demo
    from transversal.agreements.models import Agreement, AgreementStatusChange, Commitment, Goal
    from transversal.audit.models import AuditEvent
    from transversal.institutions import demo as institutions_demo

    institutions_demo.load(lambda message: None)
    agreements_demo.load(lambda message: None)

    def counts():
        return [
            model.objects.count()
            for model in (
                Agreement,
                Goal,
                Commitment,
                TechnicalAssistance,
                AgreementStatusChange,
                AuditEvent,
            )
        ]

    first = counts()
    agreements_demo.load(lambda message: None)
    assert counts() == first
    assert first[:4] == [32, 96, 64, 2]
    durango = Agreement.objects.get(state__code="10")
    assert durango.round == "IP-321" and durango.is_synthetic and durango.status == "in_force"
    assert len(durango.emphasis_areas) == 5
    assert Agreement.objects.get(state__code="32").status == "draft"
    assert all(goal.is_synthetic for goal in Goal.objects.all())

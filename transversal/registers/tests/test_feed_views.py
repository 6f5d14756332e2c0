"""The feed's pages (declare the source, propose a draft) and what monitoring's pages show of it
(the sheet's source, the figure beside the report form, the rows behind a report)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.services import update_save, update_submit
from transversal.registers import feeds
from transversal.registers.models import FeedProposal, IndicatorFeed
from transversal.registers.tests.entry_world import training
from transversal.registers.tests.feed_factories import fed_indicator, quarter

pytestmark = pytest.mark.django_db


def feed_url(indicator) -> str:
    return reverse("registers:feed_edit", args=[indicator.code])


def propose_url(indicator, label="2026-T1") -> str:
    return reverse("registers:feed_propose", args=[indicator.code, label])


def period_url(indicator, label="2026-T1") -> str:
    return reverse("monitoring:period", args=[indicator.code, label])


def trainings(institution, count=3):
    """``count`` events of the first quarter: 10 women and 15 men each."""
    return [
        training(
            institution,
            name=f"Taller {n}",
            women=10,
            men=15,
            start=dt.date(2026, 2, n),
            end=dt.date(2026, 2, n),
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture
def indicator(durango):
    return fed_indicator(durango, register=None)


@pytest.fixture
def fed(durango):
    return fed_indicator(durango, filters={"audience": ["public_servants"]}, early_reporting=True)


class TestFeedEdit:
    form = {
        "register": "training",
        "aggregation": "people",
        "training__audience": ["public_servants"],
    }

    def test_it_rejects_other_methods(self, client_for, editor, indicator):
        assert client_for(editor).put(feed_url(indicator)).status_code == 405

    def test_it_sends_anonymous_visitors_to_log_in(self, client, indicator):
        response = client.get(feed_url(indicator))
        assert response.status_code == 302
        assert response["Location"].startswith("/entrar/")

    def test_it_hides_the_indicator_from_another_state(self, client_for, outsider, indicator):
        assert client_for(outsider).get(feed_url(indicator)).status_code == 404
        assert client_for(outsider).post(feed_url(indicator), self.form).status_code == 404

    def test_it_hides_it_even_when_the_indicator_is_public(self, client_for, outsider, durango):
        public = fed_indicator(durango, register=None, is_public=True)
        assert client_for(outsider).get(feed_url(public)).status_code == 404

    @pytest.mark.parametrize("persona", ["viewer", "reviewer"])
    def test_members_who_do_not_edit_get_403(self, request, client_for, indicator, persona):
        user = request.getfixturevalue(persona)
        assert client_for(user).get(feed_url(indicator)).status_code == 403
        assert client_for(user).post(feed_url(indicator), self.form).status_code == 403
        assert not IndicatorFeed.objects.exists()

    def test_the_editor_declares_the_source(self, client_for, editor, indicator):
        response = client_for(editor).post(feed_url(indicator), self.form)
        assert response.status_code == 302
        assert response["Location"] == reverse("monitoring:detail", args=[indicator.code])
        feed = IndicatorFeed.objects.get(indicator=indicator)
        assert (feed.register, feed.aggregation, feed.filters) == (
            "training",
            "people",
            {"audience": ["public_servants"]},
        )
        assert AuditEvent.objects.filter(verb="indicator.feed_save", actor=editor).count() == 1

    def test_only_the_chosen_registers_filters_are_kept(self, client_for, editor, indicator):
        data = {**self.form, "service__service_type": ["legal"]}
        client_for(editor).post(feed_url(indicator), data)
        assert IndicatorFeed.objects.get().filters == {"audience": ["public_servants"]}

    def test_a_yes_no_filter_is_stored_as_a_boolean(self, client_for, editor, indicator):
        data = {
            "register": "service",
            "aggregation": "people",
            "service__violence_related": ["true"],
        }
        client_for(editor).post(feed_url(indicator), data)
        assert IndicatorFeed.objects.get().filters == {"violence_related": [True]}

    def test_a_national_admin_declares_it_too(self, client_for, coordinator, indicator):
        assert client_for(coordinator).get(feed_url(indicator)).status_code == 200
        client_for(coordinator).post(feed_url(indicator), self.form)
        assert IndicatorFeed.objects.filter(indicator=indicator).exists()

    def test_a_calculation_that_does_not_suit_the_measure_is_refused_on_the_form(
        self, client_for, editor, indicator
    ):
        data = {**self.form, "aggregation": "women_share"}
        response = client_for(editor).post(feed_url(indicator), data)
        assert response.status_code == 200
        assert "da un valor de tipo «Porcentaje (0 a 100)»" in response.content.decode()
        assert not IndicatorFeed.objects.exists()

    def test_the_page_shows_the_current_source(self, client_for, editor, fed):
        response = client_for(editor).get(feed_url(fed))
        assert "Fuente actual: registro de capacitación — suma de personas" in (
            response.content.decode()
        )
        assert response.context["form"]["training__audience"].value() == ["public_servants"]


class TestFeedPropose:
    def test_it_rejects_get(self, client_for, editor, fed):
        assert client_for(editor).get(propose_url(fed)).status_code == 405

    def test_it_hides_the_period_from_another_state(self, client_for, outsider, fed):
        trainings(fed.owner)
        assert client_for(outsider).post(propose_url(fed)).status_code == 404
        assert not ProgressUpdate.objects.exists()

    def test_a_read_only_member_gets_403(self, client_for, viewer, fed):
        trainings(fed.owner)
        assert client_for(viewer).post(propose_url(fed)).status_code == 403
        assert not ProgressUpdate.objects.exists()

    def test_an_unknown_period_is_404(self, client_for, editor, fed):
        assert client_for(editor).post(propose_url(fed, "2030-T1")).status_code == 404

    def test_the_editor_proposes_the_draft(self, client_for, editor, fed):
        trainings(fed.owner)
        response = client_for(editor).post(propose_url(fed), follow=True)
        assert response.redirect_chain[-1][0] == period_url(fed) + "#valor-del-registro"
        update = ProgressUpdate.objects.get()
        assert update.value == Decimal(75)
        assert FeedProposal.objects.get().update == update
        assert "Se guardó como borrador el valor calculado desde el registro (75, 3 registros)" in (
            response.content.decode()
        )

    def test_one_counted_entry_reads_in_the_singular(self, client_for, editor, fed):
        trainings(fed.owner, 1)
        response = client_for(editor).post(propose_url(fed), follow=True)
        assert "desde el registro (25, 1 registro). Revíselo" in response.content.decode()

    def test_a_refusal_is_shown_and_nothing_is_written(self, client_for, editor, fed):
        response = client_for(editor).post(propose_url(fed), follow=True)
        assert "no tiene registros contados entre el 01/01/2026 y el 31/03/2026" in (
            response.content.decode()
        )
        assert not ProgressUpdate.objects.exists()
        assert not FeedProposal.objects.exists()

    def test_a_stale_page_is_refused(self, client_for, editor, fed):
        trainings(fed.owner)
        update_save(actor=editor, period=quarter(fed), expected_version=None, value=Decimal(1))
        # The page was shown before any report existed (it sends no version).
        response = client_for(editor).post(propose_url(fed), follow=True)
        assert "Otra persona guardó este avance" in response.content.decode()
        assert ProgressUpdate.objects.get().value == Decimal(1)
        assert not FeedProposal.objects.exists()

    def test_a_malformed_version_is_refused_as_stale(self, client_for, editor, fed):
        trainings(fed.owner)
        update_save(actor=editor, period=quarter(fed), expected_version=None, value=Decimal(1))
        response = client_for(editor).post(propose_url(fed), {"version": "x"}, follow=True)
        assert "Otra persona guardó este avance" in response.content.decode()
        assert not FeedProposal.objects.exists()


class TestIndicatorPage:
    def test_it_shows_the_source_and_the_editors_link(self, client_for, editor, fed):
        html = client_for(editor).get(reverse("monitoring:detail", args=[fed.code])).content
        html = html.decode()
        assert (
            "Fuente: registro de capacitación — suma de personas (población a la que se dirige: "
            "Personas servidoras públicas)"
        ) in html
        assert f'href="{feed_url(fed)}">Cambiar la fuente</a>' in html

    def test_a_read_only_member_sees_the_source_without_the_link(self, client_for, viewer, fed):
        html = client_for(viewer).get(reverse("monitoring:detail", args=[fed.code])).content
        assert "Fuente: registro de capacitación" in html.decode()
        assert feed_url(fed) not in html.decode()

    def test_an_editor_may_declare_a_source_where_there_is_none(
        self, client_for, editor, viewer, indicator
    ):
        url = reverse("monitoring:detail", args=[indicator.code])
        assert "Declarar un registro como fuente" in client_for(editor).get(url).content.decode()
        assert "Fuente del valor" not in client_for(viewer).get(url).content.decode()

    def test_a_source_adds_no_query_to_the_sheet(self, client_for, editor, indicator, fed):
        client = client_for(editor)
        client.get(reverse("monitoring:detail", args=[indicator.code]))  # warm the caches
        with CaptureQueriesContext(connection) as plain:
            client.get(reverse("monitoring:detail", args=[indicator.code]))
        with CaptureQueriesContext(connection) as with_source:
            client.get(reverse("monitoring:detail", args=[fed.code]))
        # Both read the indicator's feed (one query); the second also renders it.
        assert len(with_source) == len(plain)


class TestPeriodPage:
    def test_the_editor_sees_the_registers_figure_and_the_button(self, client_for, editor, fed):
        trainings(fed.owner)
        html = client_for(editor).get(period_url(fed)).content.decode()
        assert (
            "Valor calculado desde el registro: <strong>75 (30 mujeres, 45 hombres)</strong> "
            "— 3 registros" in html
        )
        assert "Proponer como borrador" in html

    def test_a_draft_is_offered_the_update(self, client_for, editor, fed):
        trainings(fed.owner)
        update_save(actor=editor, period=quarter(fed), expected_version=None, value=Decimal(1))
        html = client_for(editor).get(period_url(fed)).content.decode()
        assert "Actualizar borrador con el registro" in html
        assert 'name="version" value="1"' in html

    def test_with_no_entries_it_says_so_and_offers_nothing(self, client_for, editor, fed):
        html = client_for(editor).get(period_url(fed)).content.decode()
        assert "no se propone ningún valor" in html
        assert "Proponer como borrador" not in html

    def test_a_read_only_member_sees_no_panel(self, client_for, viewer, fed):
        trainings(fed.owner)
        assert "Valor calculado" not in client_for(viewer).get(period_url(fed)).content.decode()

    def test_the_panel_takes_the_same_queries_for_few_and_many_entries(
        self, client_for, editor, fed
    ):
        client = client_for(editor)
        trainings(fed.owner, 2)
        client.get(period_url(fed))
        with CaptureQueriesContext(connection) as few:
            client.get(period_url(fed))
        trainings(fed.owner, 12)
        with CaptureQueriesContext(connection) as many:
            response = client.get(period_url(fed))
        assert "— 14 registros" in response.content.decode()
        # The feed, then its entries: two queries whatever the number of entries.
        assert len(many) == len(few)


class TestReview:
    @pytest.fixture
    def sent(self, fed, editor):
        entries = trainings(fed.owner)
        proposal = feeds.feed_propose(actor=editor, indicator=fed, period=quarter(fed))
        update = update_submit(
            actor=editor, update=proposal.update, expected_version=proposal.update.version
        )
        return update, entries

    def test_the_reviewer_sees_the_rows_behind_the_figure(self, client_for, reviewer, sent, fed):
        update, entries = sent
        html = client_for(reviewer).get(period_url(fed)).content.decode()
        assert "Registros que sustentan el valor" in html
        for entry in entries:
            url = reverse("registers:detail", args=["training", entry.code])
            assert f'<a href="{url}">{entry.name}</a>' in html
        assert "coinciden con el registro" in html
        assert "no coincide" not in html

    def test_an_entry_recorded_after_the_proposal_is_flagged(self, client_for, reviewer, sent, fed):
        training(fed.owner, name="Taller tardío", women=20, men=5, start=dt.date(2026, 3, 2))
        html = client_for(reviewer).get(period_url(fed)).content.decode()
        assert (
            "Desde que se calculó el valor, el periodo tiene 1 registro más que el cálculo no "
            "contó: hoy el registro da 100 y se calculó 75. Proponga de nuevo el valor desde "
            "el registro."
        ) in html
        assert "coinciden con el registro" not in html

    def test_a_value_that_differs_from_the_register_is_flagged(
        self, client_for, editor, reviewer, fed
    ):
        trainings(fed.owner)
        proposal = feeds.feed_propose(actor=editor, indicator=fed, period=quarter(fed))
        update = update_save(
            actor=editor,
            period=quarter(fed),
            expected_version=proposal.update.version,
            value=Decimal(80),
            breakdown={"sex": {"women": Decimal(35), "men": Decimal(45)}},
        )
        update_submit(actor=editor, update=update, expected_version=update.version)
        html = client_for(reviewer).get(period_url(fed)).content.decode()
        assert (
            "El valor enviado no coincide con el registro: el reporte dice 80 y el registro da 75."
            in html
        )
        assert "La desagregación por sexo del reporte no coincide" in html

    def test_a_report_without_a_proposal_shows_no_rows(self, client_for, editor, reviewer, fed):
        update_save(actor=editor, period=quarter(fed), expected_version=None, value=Decimal(5))
        html = client_for(reviewer).get(period_url(fed)).content.decode()
        assert "Registros que sustentan el valor" not in html

    def test_the_rows_take_the_same_queries_for_few_and_many_entries(
        self, client_for, editor, reviewer, fed, durango
    ):
        other = fed_indicator(durango, name="Otro indicador", early_reporting=True)
        trainings(durango, 2)
        feeds.feed_propose(actor=editor, indicator=fed, period=quarter(fed))
        client = client_for(reviewer)
        client.get(period_url(fed))
        with CaptureQueriesContext(connection) as few:
            client.get(period_url(fed))
        trainings(durango, 14)
        feeds.feed_propose(actor=editor, indicator=other, period=quarter(other))
        with CaptureQueriesContext(connection) as many:
            response = client.get(period_url(other))
        assert response.content.decode().count('href="/registros/capacitacion/') == 16
        # The proposals of the period's reports, then their entries (one query per register).
        assert len(many) == len(few)

    def test_every_persona_of_the_state_reads_it_and_no_one_else(
        self, client_for, sent, fed, viewer, outsider
    ):
        assert "Registros que sustentan" in client_for(viewer).get(period_url(fed)).content.decode()
        assert client_for(outsider).get(period_url(fed)).status_code == 404

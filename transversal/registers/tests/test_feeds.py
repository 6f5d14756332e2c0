"""feeds: a period's figure from a register, and feed_propose writing it as the draft report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import (
    StaleEdit,
    indicator_update,
    periods_lock,
    update_approve,
    update_save,
    update_submit,
)
from transversal.monitoring.tests.factories import second_pair_of_eyes
from transversal.registers import feeds
from transversal.registers.models import FeedProposal, IndicatorFeed, TrainingEvent
from transversal.registers.services import entry_save, feed_save
from transversal.registers.tests.entry_world import affirmative, participation, service, training
from transversal.registers.tests.feed_factories import fed_indicator, quarter

pytestmark = pytest.mark.django_db

T1_START, T1_END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def figure(indicator, number=1):
    feed = IndicatorFeed.objects.get(indicator=indicator)
    return feeds.feed_figure(feed, quarter(indicator, number))


def three_trainings(institution):
    """30 women and 45 men over three events of the first quarter."""
    return [
        training(
            institution,
            name="Taller 1",
            women=10,
            men=15,
            end=dt.date(2026, 1, 20),
            start=dt.date(2026, 1, 19),
            hours=Decimal("4"),
            certificates=20,
        ),
        training(
            institution,
            name="Taller 2",
            women=12,
            men=18,
            end=dt.date(2026, 2, 10),
            start=dt.date(2026, 2, 9),
            hours=Decimal("2.5"),
            certificates=30,
        ),
        training(
            institution,
            name="Taller 3",
            women=8,
            men=12,
            end=dt.date(2026, 3, 5),
            start=dt.date(2026, 3, 4),
            hours=Decimal("6"),
            certificates=0,
        ),
    ]


class TestFeedFigure:
    @pytest.mark.parametrize(
        ("aggregation", "measure", "value"),
        [
            ("people", "count", Decimal(75)),
            ("women", "count", Decimal(30)),
            ("women_share", "percentage", Decimal("40.0")),
            ("entries", "count", Decimal(3)),
            ("hours", "count", Decimal("12.5")),
            ("certificates", "count", Decimal(50)),
        ],
    )
    def test_it_computes_every_training_aggregation(self, durango, aggregation, measure, value):
        indicator = fed_indicator(durango, aggregation=aggregation, measure=measure)
        three_trainings(durango)
        assert figure(indicator).value == value

    def test_it_sums_the_resources_of_affirmative_actions(self, durango):
        indicator = fed_indicator(
            durango, register="affirmative", aggregation="resources", measure="amount"
        )
        affirmative(durango, end=dt.date(2026, 2, 1), resources=Decimal("1500.50"))
        affirmative(durango, name="Otra", end=dt.date(2026, 3, 1), resources=Decimal("499.50"))
        affirmative(durango, name="Sin monto", end=dt.date(2026, 3, 2), resources=None)
        assert figure(indicator).value == Decimal("2000.00")

    @pytest.mark.parametrize(("aggregation", "value"), [("sessions", 5), ("agreements", 9)])
    def test_it_sums_sessions_and_agreements_of_mechanisms(self, durango, aggregation, value):
        indicator = fed_indicator(durango, register="participation", aggregation=aggregation)
        participation(durango, sessions_held=3, agreements_reached=7)
        participation(durango, name="Observatorio", sessions_held=2, agreements_reached=2)
        # A mechanism's year counts on its last day: the fourth quarter.
        assert figure(indicator, 4).value == Decimal(value)
        assert figure(indicator, 1).value is None

    def test_it_sums_the_attentions_of_services(self, durango):
        indicator = fed_indicator(durango, register="service", aggregation="attentions")
        service(durango, month=dt.date(2026, 1, 1), attentions=60)
        service(durango, month=dt.date(2026, 2, 1), service_type="medical", attentions=45)
        assert figure(indicator).value == Decimal(105)

    @pytest.mark.parametrize(("women", "men", "share"), [(1, 2, "33.3"), (2, 1, "66.7")])
    def test_a_womens_share_is_a_percentage_with_one_decimal(self, durango, women, men, share):
        indicator = fed_indicator(durango, aggregation="women_share", measure="percentage")
        training(durango, women=women, men=men)
        assert figure(indicator).value == Decimal(share)

    def test_a_share_of_no_people_has_no_value(self, durango):
        indicator = fed_indicator(durango, aggregation="women_share", measure="percentage")
        training(durango, women=0, men=0)
        assert figure(indicator).value is None

    def test_it_counts_only_the_owners_entries(self, durango, zacatecas):
        indicator = fed_indicator(durango)
        training(durango, women=3, men=2)
        training(zacatecas, women=100, men=100)
        assert figure(indicator).value == Decimal(5)

    def test_it_counts_the_first_and_last_day_of_the_period_and_nothing_outside(self, durango):
        indicator = fed_indicator(durango)
        for day, women in ((T1_START, 1), (T1_END, 2)):
            training(durango, start=day, end=day, women=women, men=0)
        training(
            durango,
            start=dt.date(2025, 12, 30),
            end=T1_START - dt.timedelta(days=1),
            women=100,
            men=0,
        )
        training(durango, start=T1_END, end=T1_END + dt.timedelta(days=1), women=200, men=0)
        assert figure(indicator).value == Decimal(3)
        assert figure(indicator, 2).value == Decimal(200)

    def test_it_applies_the_feeds_filters(self, durango):
        indicator = fed_indicator(durango, filters={"audience": ["public_servants"]})
        training(durango, audience="public_servants", women=4, men=1)
        training(durango, audience="general", women=40, men=10)
        result = figure(indicator)
        assert result.value == Decimal(5)
        assert [entry.audience for entry in result.entries] == ["public_servants"]

    def test_the_breakdown_by_sex_is_filled_from_the_entries(self, durango):
        indicator = fed_indicator(durango)
        three_trainings(durango)
        result = figure(indicator)
        assert result.breakdown == {"sex": {"women": Decimal(30), "men": Decimal(45)}}
        assert result.summary == "75 (30 mujeres, 45 hombres)"

    def test_people_of_unspecified_sex_are_their_own_category(self, durango):
        indicator = fed_indicator(durango)
        training(durango, women=3, men=2, sex_unspecified=1)
        assert figure(indicator).breakdown["sex"] == {
            "women": Decimal(3),
            "men": Decimal(2),
            "unspecified": Decimal(1),
        }
        assert figure(indicator).summary == "6 (3 mujeres, 2 hombres, 1 sin sexo especificado)"

    def test_ages_are_proposed_when_every_entry_recorded_them(self, durango):
        indicator = fed_indicator(durango, disaggregations=["age"])
        training(durango, women=3, men=2, age_15_29=4, age_30_44=1)
        training(durango, women=1, men=1, age_30_44=2)
        result = figure(indicator)
        assert result.breakdown["age"] == {
            "0-14": 0,
            "15-29": 4,
            "30-44": 3,
            "45-64": 0,
            "65+": 0,
        }
        assert result.omitted == []

    def test_ages_are_left_out_and_said_so_when_an_entry_lacks_them(self, durango):
        indicator = fed_indicator(durango, disaggregations=["age"])
        training(durango, women=3, men=2, age_15_29=5)
        training(durango, women=1, men=1)
        result = figure(indicator)
        assert "age" not in result.breakdown
        assert "sex" in result.breakdown
        assert result.omitted == [
            "Grupo de edad: 1 de 2 registros no la anotaron, así que no se propone (una suma "
            "parcial la subestimaría)."
        ]

    def test_a_population_group_is_an_of_which_only_when_every_entry_recorded_it(self, durango):
        indicator = fed_indicator(durango, disaggregations=["indigenous", "disability"])
        training(durango, women=3, men=2, indigenous=2, disability=1)
        training(durango, women=1, men=1, indigenous=0)
        result = figure(indicator)
        assert result.breakdown["indigenous"] == {"of_which": Decimal(2)}
        assert "disability" not in result.breakdown
        assert result.omitted[0].startswith("Población con discapacidad: 1 de 2 registros")

    def test_a_breakdown_the_sheet_does_not_list_is_not_proposed(self, durango):
        indicator = fed_indicator(durango, by_sex=False)
        training(durango, women=3, men=2, indigenous=2)
        assert figure(indicator).breakdown == {}

    def test_only_a_sum_of_people_is_broken_down(self, durango):
        indicator = fed_indicator(durango, aggregation="entries", disaggregations=["age"])
        training(durango, women=3, men=2, age_15_29=5)
        result = figure(indicator)
        assert result.breakdown == {}
        assert len(result.omitted) == 2  # sex and age, each said

    def test_a_municipality_breakdown_is_never_computed(self, durango):
        indicator = fed_indicator(durango, disaggregations=["municipality"])
        training(durango)
        result = figure(indicator)
        assert "municipality" not in result.breakdown
        assert result.omitted[0].startswith("Municipio: el registro no la calcula")

    def test_no_entries_give_no_value(self, durango):
        indicator = fed_indicator(durango)
        result = figure(indicator)
        assert result.value is None
        assert result.entries == []


class TestCleanFilters:
    def test_it_keeps_known_values_in_the_fields_order_and_drops_empty_fields(self):
        cleaned = feeds.clean_filters(
            "training", {"modality": ["online", "in_person"], "audience": []}
        )
        assert cleaned == {"modality": ["in_person", "online"]}

    def test_it_accepts_yes_or_no_for_a_yes_no_field(self):
        assert feeds.clean_filters("service", {"violence_related": [True]}) == {
            "violence_related": [True]
        }

    @pytest.mark.parametrize(
        ("register", "filters", "message"),
        [
            ("training", {"name": ["x"]}, "no tiene un campo «name»"),
            ("training", {"audience": ["everyone"]}, "«everyone» no es un valor"),
            ("service", {"violence_related": [1]}, "«1» no es un valor"),
            ("service", {"service_type": "legal", "month": ["2026-01-01"]}, "«month»"),
            ("training", ["audience"], "pares de campo y valores"),
        ],
    )
    def test_it_refuses_what_the_register_does_not_have(self, register, filters, message):
        with pytest.raises(ValidationError) as refused:
            feeds.clean_filters(register, filters)
        assert message in " ".join(refused.value.messages)


class TestFeedSave:
    def test_it_refuses_a_share_for_an_indicator_that_counts(self, durango, editor):
        indicator = fed_indicator(durango, register=None)
        with pytest.raises(ValidationError) as refused:
            feed_save(
                actor=editor, indicator=indicator, register="training", aggregation="women_share"
            )
        assert "«porcentaje de mujeres» da un valor de tipo «Porcentaje (0 a 100)»" in str(
            refused.value
        )
        assert not IndicatorFeed.objects.filter(indicator=indicator).exists()
        assert not AuditEvent.objects.filter(verb="indicator.feed_save").exists()

    def test_it_refuses_a_sum_for_a_percentage(self, durango, editor):
        indicator = fed_indicator(durango, register=None, measure="percentage")
        with pytest.raises(ValidationError, match="Número absoluto"):
            feed_save(actor=editor, indicator=indicator, register="training", aggregation="people")

    def test_it_refuses_unknown_filters_and_writes_nothing(self, durango, editor):
        indicator = fed_indicator(durango, register=None)
        with pytest.raises(ValidationError, match="no es un valor"):
            feed_save(
                actor=editor,
                indicator=indicator,
                register="training",
                aggregation="people",
                filters={"audience": ["nobody"]},
            )
        assert not IndicatorFeed.objects.exists()

    def test_it_stores_the_cleaned_filters(self, durango, editor):
        indicator = fed_indicator(durango, register=None)
        feed = feed_save(
            actor=editor,
            indicator=indicator,
            register="training",
            aggregation="people",
            filters={"audience": ["public_servants"]},
        )
        assert feed.filters == {"audience": ["public_servants"]}
        assert feeds.describe_feed(feed) == (
            "registro de capacitación — suma de personas (población a la que se dirige: "
            "Personas servidoras públicas)"
        )


def counts():
    return (
        ProgressUpdate.objects.count(),
        FeedProposal.objects.count(),
        AuditEvent.objects.count(),
    )


class TestFeedPropose:
    def test_it_writes_the_figure_as_the_periods_draft(self, durango, editor):
        indicator = fed_indicator(durango)
        entries = three_trainings(durango)
        proposal = feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        update = proposal.update
        assert update.status == UpdateStatus.DRAFT
        assert update.value == Decimal(75)
        assert update.created_by == editor
        assert {(r.dimension, r.category): r.value for r in update.breakdown.all()} == {
            ("sex", "women"): Decimal(30),
            ("sex", "men"): Decimal(45),
        }
        assert proposal.value == Decimal(75)
        assert proposal.breakdown == {"sex": {"women": "30", "men": "45"}}
        assert proposal.entry_codes == [str(entry.code) for entry in entries]
        assert proposal.computed_by == editor
        assert (proposal.register, proposal.aggregation) == ("training", "people")

    def test_it_is_audited_with_the_draft(self, durango, editor):
        indicator = fed_indicator(durango)
        three_trainings(durango)
        proposal = feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        events = AuditEvent.objects.filter(
            target_id=str(proposal.update.pk), verb__startswith="update."
        ).order_by("pk")
        assert [(e.verb, e.actor_id) for e in events] == [
            ("update.create", editor.pk),
            ("update.feed_propose", editor.pk),
        ]
        assert events[1].changes == {"register_value": [None, "75"], "register_entries": [None, 3]}
        assert events[1].note == "registro de capacitación — suma de personas"

    def test_it_updates_an_existing_draft_and_keeps_its_narrative(self, durango, editor):
        indicator = fed_indicator(durango, disaggregations=["municipality"])
        period = quarter(indicator)
        draft = update_save(
            actor=editor,
            period=period,
            expected_version=None,
            value=Decimal(10),
            narrative="Se capacitó al personal.",
            breakdown={"municipality": {"10001": Decimal(10)}},
        )
        three_trainings(durango)
        proposal = feeds.feed_propose(
            actor=editor, indicator=indicator, period=period, expected_version=draft.version
        )
        update = proposal.update
        assert update.pk == draft.pk
        assert update.version == draft.version + 1
        assert (update.value, update.narrative) == (Decimal(75), "Se capacitó al personal.")
        # The register's breakdown replaces the figures the old value had.
        assert sorted(update.breakdown.values_list("dimension", flat=True)) == ["sex", "sex"]

    def test_a_returned_report_takes_the_figure_again(self, durango, editor, reviewer):
        indicator = fed_indicator(durango, early_reporting=True)
        period = quarter(indicator)
        three_trainings(durango)
        update = feeds.feed_propose(actor=editor, indicator=indicator, period=period).update
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        from transversal.monitoring.services import update_return

        update_return(actor=reviewer, update=update, comment="Falta un taller.")
        training(durango, name="Taller 4", women=5, men=0)
        proposal = feeds.feed_propose(actor=editor, indicator=indicator, period=period)
        assert proposal.update.value == Decimal(80)
        assert FeedProposal.objects.filter(update=proposal.update).count() == 2

    def test_it_refuses_when_the_indicator_has_no_register(self, durango, editor):
        indicator = fed_indicator(durango, register=None)
        before = counts()
        with pytest.raises(ValidationError, match="no tiene un registro como fuente"):
            feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        assert counts() == before

    def test_it_refuses_a_closed_period_and_changes_nothing(self, durango, editor):
        indicator = fed_indicator(durango)
        three_trainings(durango)
        periods_lock(actor=None, periods=[quarter(indicator)], reason="Cierre del año")
        before = counts()
        with pytest.raises(ValidationError, match="está cerrado"):
            feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        assert counts() == before

    @pytest.mark.parametrize("status", ["submitted", "approved"])
    def test_it_refuses_a_report_that_was_sent_or_approved(self, durango, editor, status):
        indicator = fed_indicator(durango, early_reporting=True)
        period = quarter(indicator)
        training(durango)
        update = update_save(
            actor=editor,
            period=period,
            expected_version=None,
            value=Decimal(3),
            breakdown={"sex": {"women": Decimal(3)}},
        )
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        if status == "approved":
            update = update_approve(actor=second_pair_of_eyes(), update=update)
        before = counts()
        with pytest.raises(ValidationError) as refused:
            feeds.feed_propose(actor=editor, indicator=indicator, period=period)
        assert "el registro ya no lo cambia" in refused.value.messages[0]
        assert counts() == before
        update.refresh_from_db()
        assert update.value == Decimal(3)

    def test_it_proposes_no_zero_from_an_empty_register(self, durango, editor):
        indicator = fed_indicator(durango)
        training(durango, end=dt.date(2026, 5, 5), start=dt.date(2026, 5, 4))  # second quarter
        before = counts()
        with pytest.raises(ValidationError) as refused:
            feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        assert refused.value.messages == [
            "El registro de capacitación no tiene registros contados entre el 01/01/2026 y el "
            "31/03/2026 (1.er trimestre 2026) que cumplan los filtros de la fuente: no se "
            "propone ningún valor. Si el valor del periodo es cero, captúrelo usted en el "
            "formulario."
        ]
        assert counts() == before

    def test_it_refuses_a_share_of_no_people(self, durango, editor):
        indicator = fed_indicator(durango, aggregation="women_share", measure="percentage")
        training(durango, women=0, men=0)
        before = counts()
        with pytest.raises(ValidationError, match="no cuentan personas"):
            feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        assert counts() == before

    def test_it_refuses_hours_with_decimals_for_a_count(self, durango, editor):
        indicator = fed_indicator(durango, aggregation="hours")
        training(durango, hours=Decimal("2.5"))
        before = counts()
        with pytest.raises(ValidationError, match="sin decimales"):
            feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
        assert counts() == before

    def test_it_refuses_a_draft_someone_saved_after_the_page_was_shown(self, durango, editor):
        indicator = fed_indicator(durango)
        period = quarter(indicator)
        three_trainings(durango)
        draft = update_save(actor=editor, period=period, expected_version=None, value=Decimal(1))
        before = counts()
        with pytest.raises(StaleEdit):
            feeds.feed_propose(
                actor=editor, indicator=indicator, period=period, expected_version=draft.version - 1
            )
        assert counts() == before

    def test_it_refuses_a_period_of_another_indicator(self, durango, editor):
        indicator = fed_indicator(durango)
        other = fed_indicator(durango, name="Otro indicador")
        with pytest.raises(ValidationError, match="no pertenece"):
            feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(other))


class TestProposalDifferences:
    def proposed(self, durango, editor):
        indicator = fed_indicator(durango)
        three_trainings(durango)
        return feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))

    def test_a_report_that_keeps_the_figure_has_no_differences(self, durango, editor):
        proposal = self.proposed(durango, editor)
        assert feeds.proposal_differences(proposal, proposal.update) == []

    def test_a_changed_value_is_named(self, durango, editor):
        proposal = self.proposed(durango, editor)
        update = update_save(
            actor=editor,
            period=proposal.update.period,
            expected_version=proposal.update.version,
            value=Decimal(80),
            breakdown={"sex": {"women": Decimal(35), "men": Decimal(45)}},
        )
        assert feeds.proposal_differences(proposal, update) == [
            "El valor del borrador no coincide con el registro: el borrador dice 80 y el "
            "registro da 75.",
            "La desagregación por sexo del reporte no coincide con la del registro (30 mujeres, "
            "45 hombres).",
        ]

    def test_a_sent_report_is_said_to_be_sent(self, durango, editor):
        proposal = self.proposed(durango, editor)
        update = update_save(
            actor=editor,
            period=proposal.update.period,
            expected_version=proposal.update.version,
            value=Decimal(70),
            breakdown={"sex": {"women": Decimal(30), "men": Decimal(40)}},
        )
        update.status = UpdateStatus.SUBMITTED
        assert feeds.proposal_differences(proposal, update)[0].startswith(
            "El valor enviado no coincide con el registro: el reporte dice 70"
        )

    def test_a_zero_typed_for_unspecified_sex_is_no_difference(self, durango, editor):
        proposal = self.proposed(durango, editor)
        update = update_save(
            actor=editor,
            period=proposal.update.period,
            expected_version=proposal.update.version,
            value=Decimal(75),
            breakdown={
                "sex": {"women": Decimal(30), "men": Decimal(45), "unspecified": Decimal(0)}
            },
        )
        assert feeds.proposal_differences(proposal, update) == []

    def test_entries_changed_since_the_proposal_are_named(self, durango, editor):
        proposal = self.proposed(durango, editor)
        entries = list(TrainingEvent.objects.filter(code__in=proposal.entry_codes))
        assert feeds.proposal_differences(proposal, proposal.update, entries) == []
        entry_save(actor=editor, register="training", entry=entries[0], women=entries[0].women + 5)
        entries = list(TrainingEvent.objects.filter(code__in=proposal.entry_codes))
        assert feeds.proposal_differences(proposal, proposal.update, entries) == [
            "Los registros contados cambiaron desde que se calculó el valor: hoy dan 80 y se "
            "calculó 75. Proponga de nuevo el valor desde el registro."
        ]


def test_a_sheet_whose_kind_of_value_changed_since_the_source_was_declared_is_refused(
    durango, editor
):
    indicator = fed_indicator(durango)
    training(durango)
    indicator_update(actor=editor, indicator=indicator, measure="percentage")
    before = counts()
    with pytest.raises(ValidationError, match="«suma de personas» da un valor de tipo"):
        feeds.feed_propose(actor=editor, indicator=indicator, period=quarter(indicator))
    assert counts() == before

"""The yearly cycle through its services: stages, quarterly reports, closure and its locks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from transversal.audit.models import AuditEvent
from transversal.followup.models import FollowUpStatus
from transversal.monitoring.models import ReportingPeriod, UpdateStatus
from transversal.monitoring.services import (
    period_reopen,
    update_approve,
    update_correct,
    update_save,
    update_submit,
)
from transversal.monitoring.tests.factories import approve_all_levels, approved, validating
from transversal.workprogrammes import selectors, services
from transversal.workprogrammes.models import ReportStatus, Stage
from transversal.workprogrammes.tests.factories import (
    PDF_BYTES,
    line_values,
    signed_agreement,
    validated,
    world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def verbs(programme) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(programme.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )


class TestStages:
    def test_a_proposal_observed_on_one_goal_is_corrected_and_validated(
        self, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        programme = services.programme_propose(actor=editor, programme=w.programme)
        line = programme.lines.first()

        observation = services.programme_observe(
            actor=coordinator,
            programme=programme,
            text="Precise el medio de verificación.",
            line=line,
        )
        programme.refresh_from_db()
        assert programme.stage == Stage.OBSERVED
        assert observation.goal_label == "Meta 1"
        # Observed, the state may change its goals again; then it answers.
        services.line_save(
            actor=editor,
            programme=programme,
            goal=line.goal,
            **line_values(1, means_of_verification="Constancias firmadas y fotografías"),
        )
        services.programme_correct(actor=editor, programme=programme, answer="Se precisó.")
        observation.refresh_from_db()
        assert observation.answered_at is not None and observation.answer == "Se precisó."
        services.programme_validate(actor=coordinator, programme=programme)
        programme.refresh_from_db()
        assert programme.stage == Stage.VALIDATED
        assert verbs(programme)[-4:] == [
            "programme.observe",
            "programme.line_change",
            "programme.correct",
            "programme.validate",
        ]

    def test_a_proposed_programme_is_not_edited_and_a_draft_is_not_validated(
        self, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        with pytest.raises(ValidationError, match="Solo se valida un programa propuesto"):
            services.programme_validate(actor=coordinator, programme=w.programme)
        services.programme_propose(actor=editor, programme=w.programme)
        before = w.programme.lines.get(goal=w.goals[0]).means_of_verification
        with pytest.raises(ValidationError, match="está propuesta"):
            services.line_save(
                actor=editor,
                programme=w.programme,
                goal=w.goals[0],
                **line_values(1, means_of_verification="Otro"),
            )
        assert w.programme.lines.get(goal=w.goals[0]).means_of_verification == before

    def test_an_empty_programme_is_not_proposed(self, national, durango, editor):
        agreement = signed_agreement(national, durango)
        programme = services.programme_create(actor=editor, agreement=agreement, year=2026)
        with pytest.raises(ValidationError, match="al menos una meta"):
            services.programme_propose(actor=editor, programme=programme)

    def test_one_programme_per_convenio_and_year_in_force(self, national, durango, editor):
        w = world(national, durango)
        with pytest.raises(ValidationError, match="ya tiene un programa"):
            services.programme_create(actor=editor, agreement=w.agreement, year=2025)
        with pytest.raises(ValidationError, match="no está vigente en 2030"):
            services.programme_create(actor=editor, agreement=w.agreement, year=2030)


class TestLines:
    def test_a_goal_of_another_convenio_is_refused(self, national, durango, zacatecas, editor):
        w = world(national, durango)
        other = signed_agreement(national, zacatecas, goals=1).goals.get()
        with pytest.raises(ValidationError, match="no pertenece al convenio"):
            services.line_save(actor=editor, programme=w.programme, goal=other, **line_values(1))

    @pytest.mark.parametrize(
        ("planned", "resources", "message"),
        [
            ({1: 50, 2: 25, 3: 75, 4: 100}, {}, "no puede bajar"),
            ({1: 25, 2: 50, 3: 75, 4: 120}, {}, "de 0 a 100"),
            ({1: 25}, {}, "cierre del año"),
            ({4: 100}, {"federal_approved": "-5"}, "no puede ser negativo"),
            ({4: 100}, {"state_modified": "1,5"}, "número"),
        ],
    )
    def test_bad_figures_are_refused_and_change_nothing(
        self, national, durango, editor, planned, resources, message
    ):
        w = world(national, durango)
        line = w.programme.lines.get(goal=w.goals[0])
        with pytest.raises(ValidationError, match=message):
            services.line_save(
                actor=editor,
                programme=w.programme,
                goal=w.goals[0],
                **line_values(1, planned=planned, resources=resources),
            )
        fresh = w.programme.lines.get(pk=line.pk)
        assert (fresh.planned_q1, fresh.planned_q4, fresh.federal_approved) == (
            Decimal("25.0"),
            Decimal("100.0"),
            Decimal("100000.00"),
        )

    def test_the_modified_amount_is_the_one_in_force(self, national, durango, editor):
        w = world(national, durango)
        services.line_save(
            actor=editor,
            programme=w.programme,
            goal=w.goals[0],
            **line_values(
                1,
                resources={"federal_approved": "100000", "federal_modified": "80000.50"},
            ),
        )
        totals = {t.source: t for t in selectors.resource_totals(w.programme)}
        assert totals["federal"].approved == Decimal("200000")
        assert totals["federal"].in_force == Decimal("180000.50")


def _send(programme, quarter, actor, **line_extra):
    lines = {line.pk: line_extra for line in programme.lines.all()}
    report = services.report_save(
        actor=actor,
        programme=programme,
        quarter=quarter,
        narrative="Avance del trimestre.",
        lines=lines,
    )
    return services.report_send(actor=actor, report=report)


class TestQuarterlyReports:
    def test_sending_records_progress_approved_by_the_state_and_starts_execution(
        self, national, durango, editor, reviewer
    ):
        w = world(national, durango)
        validated(w.programme)
        # Goal 1: approved by the state and waiting national validation (12 of 40 = 30 %).
        validating(w.indicators[0], "2025-T1", Decimal(12), actor=editor, reviewer=reviewer)
        report = _send(w.programme, 1, editor, justification="Sin reporte de la meta 2.")
        rows = {row.line.goal.number: row for row in report.lines.select_related("line__goal")}
        assert (rows[1].planned, rows[1].achieved) == (Decimal("25.0"), Decimal("30.0"))
        assert rows[2].achieved is None
        assert report.status == ReportStatus.SENT
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.IN_EXECUTION

    def test_receiving_a_report_records_the_progress_of_validated_figures_only(
        self, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango)
        validated(w.programme)
        approved(w.indicators[0], "2025-T1", Decimal(10), actor=editor, reviewer=reviewer)
        validating(w.indicators[1], "2025-T1", Decimal(10), actor=editor, reviewer=reviewer)
        report = _send(w.programme, 1, editor)
        services.report_acknowledge(actor=coordinator, report=report)
        rows = {row.line.goal.number: row for row in report.lines.select_related("line__goal")}
        assert (rows[1].achieved, rows[1].validated) == (Decimal("25.0"), Decimal("25.0"))
        assert (rows[2].achieved, rows[2].validated) == (Decimal("25.0"), None)

    def test_a_deviation_beyond_the_threshold_needs_its_justification(
        self, national, durango, editor
    ):
        w = world(national, durango)
        validated(w.programme)
        with pytest.raises(ValidationError, match="meta 1, meta 2"):
            _send(w.programme, 1, editor)
        report = w.programme.reports.get(quarter=1)
        assert report.status == ReportStatus.DRAFT

    def test_a_quarter_that_has_not_ended_is_not_reported(self, national, durango, editor):
        w = world(national, durango, year=dt.date.today().year + 1)
        validated(w.programme)
        with pytest.raises(ValidationError, match="termina el 31/03"):
            _send(w.programme, 1, editor, justification="x")

    def test_an_observed_report_is_corrected_and_sent_again(
        self, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        validated(w.programme)
        report = _send(w.programme, 1, editor, justification="Retraso en la contratación.")
        services.report_observe(actor=coordinator, report=report, text="Falta la narrativa.")
        report.refresh_from_db()
        assert report.status == ReportStatus.OBSERVED
        report = _send(w.programme, 1, editor, justification="Retraso en la contratación.")
        assert report.observations.get().answered_at is not None
        services.report_acknowledge(actor=coordinator, report=report)
        report.refresh_from_db()
        assert report.status == ReportStatus.ACKNOWLEDGED
        with pytest.raises(ValidationError, match="ya no se edita"):
            services.report_save(
                actor=editor, programme=w.programme, quarter=1, narrative="x", lines={}
            )

    def test_negative_exercised_amounts_are_refused(self, national, durango, editor):
        w = world(national, durango)
        validated(w.programme)
        line = w.programme.lines.first()
        with pytest.raises(ValidationError, match="negativo"):
            services.report_save(
                actor=editor,
                programme=w.programme,
                quarter=1,
                narrative="",
                lines={line.pk: {"federal_exercised": "-1"}},
            )
        assert not w.programme.reports.exists()


class TestExercisedLimit:
    def test_a_quarter_over_the_approved_amount_is_not_sent(self, national, durango, editor):
        w = world(national, durango)
        validated(w.programme)
        goal1 = w.programme.lines.get(goal__number=1)
        report = services.report_save(
            actor=editor,
            programme=w.programme,
            quarter=1,
            narrative="",
            lines={
                line.pk: {
                    "justification": "x",
                    "federal_exercised": "2000000" if line == goal1 else "0",
                }
                for line in w.programme.lines.all()
            },
        )
        with pytest.raises(ValidationError) as refusal:
            services.report_send(actor=editor, report=report)
        assert refusal.value.messages == [
            "Meta 1, recurso federal: lo ejercido en el año con este trimestre "
            "($2,000,000.00) supera el monto aprobado ($100,000.00)."
        ]
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT and report.sent_at is None
        assert not AuditEvent.objects.filter(verb="report.send").exists()

    def test_the_sent_quarters_add_up_against_the_modified_amount(
        self, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        line = w.programme.lines.get(goal__number=2)
        services.line_save(
            actor=editor,
            programme=w.programme,
            goal=line.goal,
            **line_values(2, resources={"state_approved": "20000", "state_modified": "30000"}),
        )
        validated(w.programme)

        def save(quarter, amount):
            return services.report_save(
                actor=editor,
                programme=w.programme,
                quarter=quarter,
                narrative="",
                lines={
                    pk: {"justification": "x", "state_exercised": amount if pk == line.pk else 0}
                    for pk in w.programme.lines.values_list("pk", flat=True)
                },
            )

        first = services.report_send(actor=editor, report=save(1, "15000"))
        services.report_acknowledge(actor=coordinator, report=first)
        save(3, "99999")  # a draft counts for nothing
        # 15,000 received + 15,000 now = 30,000, the modified amount: sent.
        services.report_send(actor=editor, report=save(2, "15000"))
        report = save(4, "0.01")
        with pytest.raises(ValidationError, match=r"Meta 2, recurso estatal: .*\$30,000.01"):
            services.report_send(actor=editor, report=report)
        assert "modificado ($30,000.00)" in selectors.overspending(report)[0]


def _closable(w, editor, reviewer, coordinator, **line_extra):
    """Every period approved and validated, four reports received, the federal funds
    reconciled and the closing minutes uploaded."""
    validated(w.programme)
    for indicator in w.indicators:
        for quarter in (1, 2, 3, 4):
            approved(indicator, f"2025-T{quarter}", Decimal(10), actor=editor, reviewer=reviewer)
    for quarter in (1, 2, 3, 4):
        report = _send(w.programme, quarter, editor, federal_exercised="20000", **line_extra)
        services.report_acknowledge(actor=coordinator, report=report)
    # 200,000 approved, 160,000 exercised: 40,000 returned.
    services.refund_record(
        actor=editor,
        programme=w.programme,
        amount="40000",
        reference="TESOFE 0001",
        on=dt.date(2026, 1, 10),
    )
    services.closing_document_add(
        actor=editor,
        programme=w.programme,
        upload=SimpleUploadedFile("acta.pdf", PDF_BYTES, content_type="application/pdf"),
        filename="acta-de-cierre.pdf",
    )


class TestClosure:
    def test_the_checklist_says_what_is_missing_and_closure_is_refused(
        self, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        validated(w.programme)
        _send(w.programme, 1, editor, justification="x", federal_exercised="1000")
        checklist = {item.key: item for item in selectors.closure_checklist(w.programme)}
        assert not any(item.ok for item in checklist.values())
        assert checklist["periods"].detail == (
            "8 de 8 periodos sin avance validado. Sin resultado final medido y validado: meta 1 "
            "(sin valor validado en el último periodo del año); meta 2 (sin valor validado en el "
            "último periodo del año)."
        )
        assert "$198,000.00" in checklist["resources"].detail
        with pytest.raises(ValidationError) as refusal:
            services.programme_close(actor=coordinator, programme=w.programme)
        assert len(refusal.value.messages) == 4
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.IN_EXECUTION
        assert not ReportingPeriod.objects.filter(locked=True).exists()

    def test_a_goal_without_indicators_keeps_the_year_open_however_many_periods_are_validated(
        self, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango)
        w.indicators[1].goals.remove(w.goals[1])  # goal 2 is never measured
        _closable(w, editor, reviewer, coordinator, justification="Sin indicador.")
        item = next(i for i in selectors.closure_checklist(w.programme) if i.key == "periods")
        assert not item.ok
        assert item.detail == (
            "Sin resultado final medido y validado: meta 2 (sin indicador con periodos en el año)."
        )
        with pytest.raises(ValidationError, match="meta 2"):
            services.programme_close(actor=coordinator, programme=w.programme)
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.IN_EXECUTION
        assert not ReportingPeriod.objects.filter(locked=True).exists()

    def test_a_goal_approved_by_the_state_only_keeps_the_year_open(
        self, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango)
        _closable(w, editor, reviewer, coordinator)
        update = w.indicators[0].periods.get(label="2025-T4").updates.get(is_current=True)
        update_correct(actor=coordinator, update=update, reason="Cifra preliminar.")
        revision = w.indicators[0].periods.get(label="2025-T4").updates.get(is_current=True)
        revision = update_submit(actor=editor, update=revision, expected_version=revision.version)
        update_approve(actor=reviewer, update=revision)
        item = next(i for i in selectors.closure_checklist(w.programme) if i.key == "periods")
        assert not item.ok and item.detail == (
            "1 de 8 periodos sin avance validado. Sin resultado final medido y validado: meta 1 "
            "(sin valor validado en el último periodo del año)."
        )

    def test_closure_locks_the_year_and_only_a_national_reopening_lets_a_period_change(
        self, national, durango, editor, reviewer, coordinator, state_admin
    ):
        w = world(national, durango)
        _closable(w, editor, reviewer, coordinator)
        services.programme_close(actor=coordinator, programme=w.programme)
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.CLOSED
        periods = selectors.programme_periods(w.programme)
        assert periods.count() == 8 and not periods.filter(locked=False).exists()

        period = w.indicators[0].periods.get(label="2025-T2")
        update = period.updates.get(is_current=True)
        value = update.value
        with pytest.raises(ValidationError, match="cerrado"):
            update_correct(actor=coordinator, update=update, reason="Error de captura.")
        with pytest.raises(ValidationError, match="cerrado"):
            update_save(
                actor=editor, period=period, expected_version=update.version, value=Decimal(3)
            )
        with pytest.raises(ValidationError):
            period_reopen(actor=state_admin, period=period, reason="Queremos corregir.")
        update.refresh_from_db()
        assert (update.value, update.status, update.is_current) == (
            value,
            UpdateStatus.APPROVED,
            True,
        )

        # The audited national correction: reopen, correct, approve at both levels: locked again.
        period_reopen(actor=coordinator, period=period, reason="Error de captura en T2.")
        revision = update_correct(actor=coordinator, update=update, reason="Error de captura.")
        revision = update_save(
            actor=editor, period=period, expected_version=revision.version, value=Decimal(9)
        )
        revision = update_submit(actor=editor, update=revision, expected_version=revision.version)
        approve_all_levels(actor=reviewer, update=revision)
        period.refresh_from_db()
        assert period.locked
        assert AuditEvent.objects.filter(verb="period.reopen", note__contains="T2").exists()

    def test_a_refund_that_does_not_match_the_unspent_funds_is_not_reconciled(
        self, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango)
        _closable(w, editor, reviewer, coordinator)
        services.refund_record(
            actor=editor,
            programme=w.programme,
            amount="39000",
            reference="X",
            on=dt.date(2026, 1, 2),
        )
        item = next(i for i in selectors.closure_checklist(w.programme) if i.key == "resources")
        assert not item.ok and "$40,000.00" in item.detail


class TestAssistanceRequests:
    def test_a_request_is_followed_up_by_the_national_institution(self, national, durango, editor):
        agreement = signed_agreement(national, durango, goals=2)
        goal = agreement.goals.get(number=2)
        request = services.assistance_request_add(
            actor=editor,
            agreement=agreement,
            topic="Elaboración de indicadores con perspectiva de género",
            goals=[goal],
            due_date=dt.date(2026, 12, 31),
            requested_on=dt.date(2026, 6, 1),
        )
        assert request.number == 1
        assert request.followup.owner == national and request.followup.verifier == durango
        assert request.followup.status == FollowUpStatus.OPEN
        assert list(request.goals.all()) == [goal]

    def test_a_goal_of_another_convenio_or_none_at_all_is_refused(
        self, national, durango, zacatecas, editor
    ):
        agreement = signed_agreement(national, durango, goals=1)
        other = signed_agreement(national, zacatecas, goals=1).goals.get()
        with pytest.raises(ValidationError, match="de este convenio"):
            services.assistance_request_add(
                actor=editor, agreement=agreement, topic="Tema", goals=[other]
            )
        with pytest.raises(ValidationError, match="al menos una meta"):
            services.assistance_request_add(actor=editor, agreement=agreement, topic="Tema")
        assert not agreement.assistance_requests.exists()

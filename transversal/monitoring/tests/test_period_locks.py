"""A closed period changes through nothing until the national institution reopens it
(periods_lock, period_reopen and every service that would change a period's report)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import (
    DisaggregatedValue,
    Evidence,
    ProgressUpdate,
    ReportingPeriod,
    ReviewComment,
)
from transversal.monitoring.services import (
    comment_add,
    evidence_add,
    period_reopen,
    periods_lock,
    targets_update,
    update_approve,
    update_correct,
    update_return,
    update_save,
    update_save_and_submit,
    update_submit,
    update_validate,
)
from transversal.monitoring.tests.factories import (
    approved,
    draft,
    indicator_with_calendar,
    national_validator,
    submitted,
    validating,
)
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db

CLOSED = "está cerrado"


@pytest.fixture
def world(durango, editor, reviewer):
    """One indicator with a report in each status, and a two-level one waiting for validation."""
    indicator = indicator_with_calendar(durango)
    two_levels = indicator_with_calendar(
        durango, name="Indicador con validación nacional", national_validation=True
    )
    return {
        "approved": approved(indicator, "2025-T1", actor=editor, reviewer=reviewer),
        "submitted": submitted(indicator, "2025-T2", actor=editor),
        "draft": draft(
            indicator, "2025-T3", actor=editor, breakdown={"sex": {"women": Decimal(95)}}
        ),
        "validating": validating(two_levels, "2025-T1", actor=editor, reviewer=reviewer),
        "indicator": indicator,
        "two_levels": two_levels,
    }


def database() -> dict:
    """Everything a refused service could have changed."""
    return {
        "updates": sorted(
            ProgressUpdate.objects.values_list(
                "pk", "status", "value", "version", "is_current", "reviewed_by", "validated_by"
            )
        ),
        "periods": sorted(ReportingPeriod.objects.values_list("pk", "locked", "target")),
        "breakdown": DisaggregatedValue.objects.count(),
        "evidence": Evidence.objects.count(),
        "comments": ReviewComment.objects.count(),
        "events": AuditEvent.objects.count(),
    }


class TestPeriodsLock:
    def test_it_closes_each_open_period_once_with_an_event_and_the_reason(self, world, coordinator):
        periods = ReportingPeriod.objects.filter(indicator=world["indicator"])
        reason = "Cierre del programa de trabajo 2025"
        assert periods_lock(actor=coordinator, periods=periods, reason=reason) == 4
        assert set(periods.values_list("locked", flat=True)) == {True}
        events = AuditEvent.objects.filter(verb="period.lock")
        assert events.count() == 4
        assert {(e.note, e.actor_id) for e in events} == {(reason, coordinator.pk)}
        assert {tuple(e.changes["locked"]) for e in events} == {(False, True)}
        # Closing them again changes nothing and says so.
        assert periods_lock(actor=coordinator, periods=list(periods), reason=reason) == 0
        assert AuditEvent.objects.filter(verb="period.lock").count() == 4


class TestNothingChangesAClosedPeriod:
    def test_every_service_refuses_and_the_database_stays_as_it_was(
        self, world, editor, reviewer, coordinator, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        periods = ReportingPeriod.objects.all()
        periods_lock(actor=coordinator, periods=periods, reason="Cierre anual")
        before = database()
        draft_update, sent = world["draft"], world["submitted"]
        attempts = {
            "update_save": lambda: update_save(
                actor=editor,
                period=draft_update.period,
                expected_version=draft_update.version,
                value=Decimal(10),
            ),
            "update_save (first report)": lambda: update_save(
                actor=editor,
                period=world["indicator"].periods.get(label="2025-T4"),
                expected_version=None,
                value=Decimal(10),
            ),
            "update_save_and_submit": lambda: update_save_and_submit(
                actor=editor,
                period=draft_update.period,
                expected_version=draft_update.version,
                value=Decimal(10),
            ),
            "update_submit": lambda: update_submit(
                actor=editor, update=draft_update, expected_version=draft_update.version
            ),
            "update_return": lambda: update_return(actor=reviewer, update=sent, comment="No."),
            "update_approve": lambda: update_approve(actor=reviewer, update=sent),
            "update_validate": lambda: update_validate(
                actor=national_validator(), update=world["validating"]
            ),
            "update_return (national)": lambda: update_return(
                actor=national_validator(), update=world["validating"], comment="No."
            ),
            "update_correct": lambda: update_correct(
                actor=editor, update=world["approved"], reason="Error de captura"
            ),
            "evidence_add": lambda: evidence_add(
                actor=editor,
                update=draft_update,
                upload=blank_pdf("evidencia"),
                filename="evidencia.pdf",
            ),
            "targets_update": lambda: targets_update(
                actor=editor, indicator=world["indicator"], targets={"2025-T4": Decimal(1)}
            ),
        }
        for name, attempt in attempts.items():
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert CLOSED in " ".join(refused.value.messages), name
            assert database() == before, name

    def test_comments_are_still_welcome_they_change_no_figure(self, world, editor, coordinator):
        periods_lock(actor=coordinator, periods=ReportingPeriod.objects.all(), reason="Cierre")
        comment_add(actor=editor, update=world["approved"], text="Nota para el archivo.")
        assert world["approved"].comments.filter(text="Nota para el archivo.").exists()


class TestPeriodReopen:
    def test_a_national_admin_reopens_with_a_reason_and_a_correction_then_works(
        self, world, editor, coordinator
    ):
        update = world["approved"]
        periods_lock(actor=coordinator, periods=[update.period], reason="Cierre")
        with pytest.raises(ValidationError, match="Explique por qué"):
            period_reopen(actor=coordinator, period=update.period, reason="  ")
        period = period_reopen(
            actor=coordinator, period=update.period, reason="La entidad corrige su cifra."
        )
        assert period.locked is False
        assert not ReportingPeriod.objects.get(pk=period.pk).locked
        event = AuditEvent.objects.get(verb="period.reopen")
        assert (event.note, event.changes) == (
            "La entidad corrige su cifra.",
            {"locked": [True, False]},
        )
        revision = update_correct(actor=editor, update=update, reason="Error de captura")
        assert revision.revision == 2

    def test_a_national_reviewer_may_reopen_too(self, world, coordinator):
        period = world["approved"].period
        periods_lock(actor=coordinator, periods=[period], reason="Cierre")
        period = period_reopen(actor=national_validator(), period=period, reason="Corrección")
        assert not period.locked

    def test_no_state_member_reopens_whatever_their_role(
        self, world, coordinator, state_admin, reviewer, editor
    ):
        period = world["approved"].period
        periods_lock(actor=coordinator, periods=[period], reason="Cierre")
        for person in (state_admin, reviewer, editor, None):
            with pytest.raises(ValidationError, match="institución nacional"):
                period_reopen(actor=person, period=period, reason="Queremos corregir.")
        assert ReportingPeriod.objects.get(pk=period.pk).locked
        assert not AuditEvent.objects.filter(verb="period.reopen").exists()

    def test_an_open_period_is_not_reopened(self, world, coordinator):
        with pytest.raises(ValidationError, match="no está cerrado"):
            period_reopen(actor=coordinator, period=world["draft"].period, reason="Por si acaso")


class TestTheReportPageOfAClosedPeriod:
    @staticmethod
    def page(client, update) -> str:
        url = reverse("monitoring:period", args=[update.period.indicator.code, update.period.label])
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_it_says_the_period_is_closed_and_offers_no_action_that_changes_it(
        self, world, client_for, editor, reviewer, coordinator
    ):
        periods_lock(actor=coordinator, periods=ReportingPeriod.objects.all(), reason="Cierre")
        reviewer_page = self.page(client_for(reviewer), world["submitted"])
        assert "Este periodo está cerrado" in reviewer_page
        for name in ("update_approve", "update_return"):
            assert reverse(f"monitoring:{name}", args=[world["submitted"].code]) not in (
                reviewer_page
            )
        editor_client = client_for(editor)
        draft_page = self.page(editor_client, world["draft"])
        assert 'name="intent"' not in draft_page
        assert reverse("monitoring:evidence_upload", args=[world["draft"].code]) not in draft_page
        approved_page = self.page(editor_client, world["approved"])
        assert reverse("monitoring:update_correct", args=[world["approved"].code]) not in (
            approved_page
        )
        national_page = self.page(client_for(national_validator()), world["validating"])
        assert reverse("monitoring:update_validate", args=[world["validating"].code]) not in (
            national_page
        )

    def test_an_open_period_offers_them(self, world, client_for, reviewer):
        page = self.page(client_for(reviewer), world["submitted"])
        assert "Este periodo está cerrado" not in page
        assert reverse("monitoring:update_approve", args=[world["submitted"].code]) in page

    def test_the_indicator_history_tells_the_closing_and_the_reopening(
        self, world, client_for, editor, coordinator
    ):
        period = world["approved"].period
        periods_lock(actor=coordinator, periods=[period], reason="Cierre anual")
        period_reopen(actor=coordinator, period=period, reason="Corrección")
        url = reverse("audit:history", args=["indicador", world["indicator"].code])
        page = client_for(editor).get(url).content.decode()
        assert "Cerró el periodo" in page and "Reabrió el periodo" in page

"""Four eyes: nobody approves a progress update whose figure they captured, edited or submitted,
whatever their role (state admin, national coordinator, superuser). The service refuses it;
the period page and the review queue do not offer the button to such a person."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from transversal.accounts.models import Role
from transversal.audit.models import AuditEvent
from transversal.conftest import make_member
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import update_approve, update_save, update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, submitted

pytestmark = pytest.mark.django_db

QUEUE = reverse("monitoring:review_queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def indicator(durango):
    return indicator_with_calendar(durango)


def assert_still_submitted(update):
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED and update.reviewed_by is None
    assert not AuditEvent.objects.filter(verb="update.approve", target_id=str(update.pk)).exists()


class TestTheService:
    def test_a_state_admin_cannot_approve_a_figure_they_saved_and_submitted(
        self, indicator, state_admin
    ):
        update = submitted(indicator, actor=state_admin)
        with pytest.raises(ValidationError, match="usted lo capturó"):
            update_approve(actor=state_admin, update=update)
        assert_still_submitted(update)

    def test_whoever_submitted_it_cannot_approve_it(self, indicator, editor, state_admin):
        update = draft(indicator, actor=editor)
        update = update_submit(actor=state_admin, update=update, expected_version=update.version)
        with pytest.raises(ValidationError, match="usted lo envió a revisión"):
            update_approve(actor=state_admin, update=update)
        assert_still_submitted(update)

    def test_whoever_edited_the_figure_of_someone_elses_draft_cannot_approve_it(
        self, indicator, editor, state_admin
    ):
        update = draft(indicator, actor=editor, value=Decimal(40))
        update = update_save(
            actor=state_admin,
            period=update.period,
            expected_version=update.version,
            value=Decimal(95),
        )
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        with pytest.raises(ValidationError, match="usted modificó sus cifras"):
            update_approve(actor=state_admin, update=update)
        assert_still_submitted(update)

    def test_the_national_coordinator_is_no_exception(self, indicator, coordinator):
        update = submitted(indicator, actor=coordinator)
        with pytest.raises(ValidationError, match="otra persona con rol de revisión"):
            update_approve(actor=coordinator, update=update)
        assert_still_submitted(update)

    def test_a_superuser_is_no_exception(self, indicator, editor):
        from transversal.accounts.models import User

        root = User.objects.create_superuser(
            email="raiz@prueba.test", password="x" * 16, full_name="Raíz"
        )
        update = draft(indicator, actor=editor)
        update = update_submit(actor=root, update=update, expected_version=update.version)
        with pytest.raises(ValidationError):
            update_approve(actor=root, update=update)
        assert_still_submitted(update)

    def test_an_approval_without_a_person_is_refused(self, indicator, editor):
        update = submitted(indicator, actor=editor)
        with pytest.raises(ValidationError, match="persona identificada"):
            update_approve(actor=None, update=update)
        assert_still_submitted(update)

    def test_someone_who_only_returned_it_earlier_may_approve_the_resubmission(
        self, indicator, editor, state_admin
    ):
        from transversal.monitoring.services import update_return

        update = submitted(indicator, actor=editor)
        update = update_return(actor=state_admin, update=update, comment="Falta la fuente.")
        update = update_save(
            actor=editor, period=update.period, expected_version=update.version, value=Decimal(96)
        )
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        update = update_approve(actor=state_admin, update=update)
        assert update.status == UpdateStatus.APPROVED and update.reviewed_by == state_admin


class TestThePeriodPage:
    def test_the_submitter_sees_why_there_is_no_approve_button_and_a_forced_post_changes_nothing(
        self, client_for, indicator, state_admin
    ):
        update = submitted(indicator, actor=state_admin)
        client = client_for(state_admin)
        url = reverse("monitoring:period", args=[indicator.code, "2025-T1"])
        page = client.get(url).content.decode()
        approve = reverse("monitoring:update_approve", args=[update.code])
        assert approve not in page
        assert "Usted capturó, editó o envió este avance" in page
        assert (
            reverse("monitoring:update_return", args=[update.code]) in page
        )  # returning stays possible
        response = client.post(approve, follow=True)
        assert "usted lo capturó" in response.content.decode()
        assert_still_submitted(update)

    def test_another_reviewer_sees_the_button(self, client_for, indicator, editor, reviewer):
        update = submitted(indicator, actor=editor)
        page = (
            client_for(reviewer)
            .get(reverse("monitoring:period", args=[indicator.code, "2025-T1"]))
            .content.decode()
        )
        assert reverse("monitoring:update_approve", args=[update.code]) in page
        assert "Usted capturó, editó o envió este avance" not in page


class TestTheReviewQueue:
    def test_the_queue_explains_on_the_persons_own_submission_who_must_approve(
        self, client_for, indicator, editor, state_admin
    ):
        submitted(indicator, "2025-T1", actor=state_admin)
        submitted(indicator, "2025-T2", actor=editor)
        page = client_for(state_admin).get(QUEUE).content.decode()
        assert page.count("Usted capturó, editó o envió este avance") == 1

    def test_a_national_coordinator_sees_the_explanation_on_a_state_update_they_submitted(
        self, client_for, indicator, editor, coordinator
    ):
        own = draft(indicator, actor=editor)
        update_submit(actor=coordinator, update=own, expected_version=own.version)
        page = client_for(coordinator).get(QUEUE).content.decode()
        assert "Usted capturó, editó o envió este avance" in page
        period_page = client_for(coordinator).get(
            reverse("monitoring:period", args=[indicator.code, own.period.label])
        )
        assert reverse("monitoring:update_approve", args=[own.code]) not in (
            period_page.content.decode()
        )


def test_a_second_reviewer_of_the_institution_approves_what_the_admin_submitted(
    indicator, state_admin
):
    second = make_member("revision2@prueba.test", indicator.owner, Role.REVIEWER)
    update = submitted(indicator, actor=state_admin)
    update = update_approve(actor=second, update=update)
    assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.APPROVED

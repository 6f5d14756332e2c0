"""E-mails of the reporting workflow (notifications.py), sent only after the transaction commits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import update_approve, update_return, update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, submitted

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def indicator(durango, reviewer, state_admin, viewer, outsider):
    return indicator_with_calendar(durango, name="Mujeres capacitadas en igualdad sustantiva")


@pytest.fixture
def update(indicator, editor):
    return draft(indicator, "2025-T1", value=Decimal(95), actor=editor)


class TestSubmission:
    def test_it_tells_the_reviewers_and_admins_of_the_owner(
        self, update, editor, reviewer, state_admin, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            update_submit(actor=editor, update=update, expected_version=update.version)
        assert sorted(m.to[0] for m in mail.outbox) == sorted([reviewer.email, state_admin.email])
        message = mail.outbox[0]
        assert message.subject == (
            "Avance enviado a revisión: Mujeres capacitadas en igualdad sustantiva, "
            f"{update.period.display}"
        )
        assert f"/indicadores/avances/{update.code}/" in message.body
        assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses

    def test_nothing_is_sent_before_the_commit(
        self, update, editor, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            update_submit(actor=editor, update=update, expected_version=update.version)
            assert not mail.outbox
        assert len(callbacks) == 1 and not mail.outbox

    def test_nothing_is_sent_when_the_transaction_rolls_back(
        self, update, editor, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(Rollback), transaction.atomic():
                update_submit(actor=editor, update=update, expected_version=update.version)
                raise Rollback
        assert callbacks == [] and not mail.outbox
        update.refresh_from_db()
        assert update.status == UpdateStatus.DRAFT

    def test_a_refused_submission_sends_nothing(
        self, indicator, editor, django_capture_on_commit_callbacks
    ):
        empty = draft(indicator, "2025-T2", value=None, actor=editor)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            update_submit(actor=editor, update=empty, expected_version=empty.version)
        assert not mail.outbox

    def test_no_reviewers_means_no_mail(
        self, zacatecas, outsider, django_capture_on_commit_callbacks
    ):
        lonely = draft(indicator_with_calendar(zacatecas), "2025-T1")
        # the outsider fixture is an editor of Zacatecas: editors are not told about submissions
        with django_capture_on_commit_callbacks(execute=True):
            update_submit(actor=None, update=lonely, expected_version=lonely.version)
        assert not mail.outbox


class TestReview:
    def test_a_return_tells_whoever_captured_it_with_the_comment(
        self, indicator, editor, reviewer, django_capture_on_commit_callbacks
    ):
        update = submitted(indicator, actor=editor)
        with django_capture_on_commit_callbacks(execute=True):
            update_return(actor=reviewer, update=update, comment="Falta la lista de asistencia")
        [message] = mail.outbox
        assert message.to == [editor.email]
        assert message.subject.startswith("Su avance fue devuelto: Mujeres capacitadas")
        assert "Observación: Falta la lista de asistencia" in message.body

    def test_an_approval_tells_whoever_captured_it(
        self, indicator, editor, reviewer, django_capture_on_commit_callbacks
    ):
        update = submitted(indicator, actor=editor)
        with django_capture_on_commit_callbacks(execute=True):
            update_approve(actor=reviewer, update=update, comment="Bien documentado")
        [message] = mail.outbox
        assert message.to == [editor.email]
        assert message.subject.startswith("Su avance fue aprobado: ")
        assert "Observación: Bien documentado" in message.body

    def test_a_return_without_comment_changes_and_sends_nothing(
        self, indicator, editor, reviewer, django_capture_on_commit_callbacks
    ):
        update = submitted(indicator, actor=editor)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            update_return(actor=reviewer, update=update, comment=" ")
        assert not mail.outbox
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.SUBMITTED

    def test_a_rolled_back_approval_sends_nothing(
        self, indicator, editor, reviewer, django_capture_on_commit_callbacks
    ):
        update = submitted(indicator, actor=editor)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(Rollback), transaction.atomic():
                update_approve(actor=reviewer, update=update)
                raise Rollback
        assert callbacks == [] and not mail.outbox
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.SUBMITTED

    def test_an_update_nobody_captured_sends_nothing_on_review(
        self, indicator, reviewer, django_capture_on_commit_callbacks
    ):
        update = submitted(indicator, actor=None)
        with django_capture_on_commit_callbacks(execute=True):
            update_approve(actor=reviewer, update=update)
        assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_with_real_transactions_only_the_committed_submission_mails(durango, editor, reviewer):
    indicator = indicator_with_calendar(durango)
    first = draft(indicator, "2025-T1", actor=editor)
    second = draft(indicator, "2025-T2", actor=editor)
    with pytest.raises(Rollback), transaction.atomic():
        update_submit(actor=editor, update=first, expected_version=first.version)
        raise Rollback
    assert not mail.outbox
    update_submit(actor=editor, update=second, expected_version=second.version)
    [message] = mail.outbox
    assert message.to == [reviewer.email] and str(second.period.display) in message.subject

"""send_reminders: periods due soon or overdue, each reminder sent once
(reminders.reminders_send)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from transversal.accounts.models import Membership, Role
from transversal.conftest import make_member
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.monitoring.models import ReminderLog, ReportingPeriod
from transversal.monitoring.reminders import OVERDUE, UPCOMING, reminders_send
from transversal.monitoring.tests.factories import (
    approved,
    draft,
    indicator_with_calendar,
    submitted,
)

pytestmark = pytest.mark.django_db

# The factory's quarterly 2025 calendar is due 15 days after each quarter: T1 on 15/04, T2 on 15/07,
# T3 on 15/10. On 10/07/2025, T1 is overdue, T2 is due in 5 days and T3 is months away.
TODAY = dt.date(2025, 7, 10)


@pytest.fixture
def indicator(durango, editor, state_admin, reviewer, viewer):
    return indicator_with_calendar(durango, name="Mujeres capacitadas en igualdad sustantiva")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Send with the on-commit callbacks executed, as they are outside the test's transaction."""

    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(today=TODAY, **kwargs)

    return send


def logged() -> set[tuple[str, str, str]]:
    return set(ReminderLog.objects.values_list("period__label", "kind", "recipient"))


def test_it_reminds_editors_and_admins_of_overdue_and_due_soon_periods(
    run, indicator, editor, state_admin
):
    result = run(days=7)
    assert (result.sent, result.already_sent, result.emails) == (4, 0, 2)
    assert logged() == {
        ("2025-T1", OVERDUE, editor.email),
        ("2025-T2", UPCOMING, editor.email),
        ("2025-T1", OVERDUE, state_admin.email),
        ("2025-T2", UPCOMING, state_admin.email),
    }
    # one e-mail per person, never to reviewers or read-only members
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, state_admin.email])
    body = mail.outbox[0].body
    assert "Vencidos:" in body and "venció el 15/04/2025" in body
    assert "Por vencer:" in body and "vence el 15/07/2025" in body
    assert f"/indicadores/{indicator.code}/periodos/2025-T2/" in body
    assert "periodo vencido" in mail.outbox[0].subject


def test_an_overdue_acuerdo_comes_in_the_same_email_as_the_periods(run, indicator, durango):
    session = make_session(make_system(durango), date=dt.date(2025, 2, 10))
    acuerdo = make_resolution(session, durango, due=dt.date(2025, 6, 30))
    result = run(days=7)
    assert (result.sent, result.emails) == (6, 2)  # two periods and the acuerdo, to two people
    assert len(mail.outbox) == 2
    subject, body = mail.outbox[0].subject, mail.outbox[0].body
    assert subject == "Transversal: tiene 2 pendientes vencidos"  # T1 and the acuerdo
    assert "Vencidos:" in body and "venció el 15/04/2025" in body
    assert "Acuerdos y compromisos vencidos:" in body
    assert f"Acuerdo {acuerdo.folio}: Presentar el programa — venció el 30/06/2025" in body
    assert body.index("Vencidos:") < body.index("Acuerdos y compromisos vencidos:")
    assert "los indicadores, acuerdos y compromisos de su institución" in body
    assert run(days=7).sent == 0 and len(mail.outbox) == 2


def test_a_shorter_window_leaves_out_the_period_due_later(run, indicator, editor):
    result = run(days=3)
    assert result.sent == 2  # only T1 (overdue), for the editor and the admin
    assert {label for label, _kind, _to in logged()} == {"2025-T1"}


def test_submitted_and_approved_periods_are_skipped_but_drafts_are_not(run, indicator, editor):
    approved(indicator, "2025-T1", actor=editor)
    submitted(indicator, "2025-T2", actor=editor)
    assert run(days=7).sent == 0
    assert not mail.outbox
    draft(indicator, "2025-T3", actor=editor)
    assert run(days=100).sent == 2  # a draft does not count as reported


def test_locked_periods_are_skipped(run, indicator):
    ReportingPeriod.objects.filter(indicator=indicator, label__in=["2025-T1", "2025-T2"]).update(
        locked=True
    )
    assert run(days=7).sent == 0
    assert not mail.outbox and not ReminderLog.objects.exists()


def test_a_second_run_sends_nothing(run, indicator):
    run(days=7)
    sent = len(mail.outbox)
    again = run(days=7)
    assert (again.sent, again.already_sent, again.emails) == (0, 4, 0)
    assert len(mail.outbox) == sent and ReminderLog.objects.count() == 4


def test_a_new_member_gets_only_their_own_reminders_later(run, indicator, durango):
    run(days=7)
    newcomer = make_member("nueva@prueba.test", durango, Role.EDITOR)
    mail.outbox.clear()
    result = run(days=7)
    assert (result.sent, result.already_sent) == (2, 4)
    assert [m.to for m in mail.outbox] == [[newcomer.email]]


def test_ended_memberships_and_inactive_users_get_nothing(run, indicator, editor, state_admin):
    Membership.objects.filter(user=editor).update(is_active=False)
    state_admin.is_active = False
    state_admin.save()
    assert run(days=7).sent == 0


def test_a_dry_run_writes_and_sends_nothing(run, indicator):
    result = run(days=7, dry_run=True)
    assert (result.sent, result.emails, result.dry_run) == (4, 2, True)
    assert not ReminderLog.objects.exists() and not mail.outbox


def test_nothing_is_sent_until_the_transaction_commits(indicator):
    # The log rows are written first; the e-mail waits for the commit.
    result = reminders_send(today=TODAY, days=7)
    assert result.sent == 4 and ReminderLog.objects.count() == 4
    assert not mail.outbox


def test_a_failed_send_is_forgotten_so_the_next_run_retries(run, indicator, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("transversal.monitoring.reminders.send_mail", broken)
    result = run(days=7)
    assert result.failed == 4 and not ReminderLog.objects.exists()
    monkeypatch.undo()
    assert run(days=7).sent == 4


class TestCommand:
    def test_it_prints_a_spanish_summary_and_is_idempotent(
        self, indicator, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--days", "7", stdout=out)
        assert out.getvalue().strip() == "Recordatorios enviados: 4; ya enviados antes: 0"
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert out.getvalue().strip() == "Recordatorios enviados: 0; ya enviados antes: 4"
        assert len(mail.outbox) == 2

    def test_dry_run_only_counts(self, indicator, monkeypatch):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
        out = StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)
        assert "Simulación: se enviarían 4 recordatorios en 2 correos" in out.getvalue()
        assert not ReminderLog.objects.exists() and not mail.outbox

    def test_a_negative_window_is_refused(self, indicator):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError):
            call_command("send_reminders", "--days", "-1")

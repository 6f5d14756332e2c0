"""Reminders to the responsibles of open acuerdos (followup.reminders), sent by the daily run
(monitoring.reminders.reminders_send, ``manage.py send_reminders``)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from transversal.accounts.models import Role
from transversal.conftest import make_institution, make_member
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.models import FollowUp, FollowUpReminderLog, FollowUpStatus
from transversal.followup.reminders import OVERDUE, UPCOMING, reminders_due
from transversal.monitoring.management.commands.send_reminders import Command
from transversal.monitoring.reminders import reminders_send

pytestmark = pytest.mark.django_db

# On 10/07/2026 the first acuerdo (due 30/06) is overdue, the second (due 14/07) falls due within
# the week and the third (due 30/09) is months away.
TODAY = dt.date(2026, 7, 10)
SITE = "https://transversal.ejemplo.mx"


@pytest.fixture
def chihuahua(db):
    # The system's technical secretariat: it verifies the acuerdos but does not owe them.
    return make_institution("iem-chihuahua-test", "08", "Instituto Chihuahuense de las Mujeres")


@pytest.fixture
def secretariat_editor(chihuahua):
    return make_member("secretaria@prueba.test", chihuahua, Role.EDITOR)


@pytest.fixture
def acuerdos(settings, chihuahua, durango, zacatecas):
    settings.SITE_URL = SITE
    session = make_session(make_system(chihuahua, members=[durango, zacatecas]))
    return {
        "overdue": make_resolution(
            session, durango, due=dt.date(2026, 6, 30), text="Presentar el programa estatal"
        ),
        "upcoming": make_resolution(
            session, durango, due=dt.date(2026, 7, 14), text="Instalar la comisión de igualdad"
        ),
        "later": make_resolution(
            session, durango, due=dt.date(2026, 9, 30), text="Publicar el informe anual"
        ),
    }


@pytest.fixture
def people(editor, state_admin, reviewer, viewer, outsider, secretariat_editor):
    """Durango's editor and admin (the owner's), its reviewer and read-only member, Zacatecas's
    editor (``outsider``, a co-owner of the overdue acuerdo) and the secretariat's editor."""


@pytest.fixture
def shared(acuerdos, zacatecas):
    """Zacatecas answers for the overdue acuerdo too."""
    acuerdos["overdue"].followup.co_owners.add(zacatecas)
    return acuerdos


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Send with the on-commit callbacks executed, as they are outside the test's transaction."""

    def send(today=TODAY, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(today=today, **kwargs)

    return send


def logged() -> set[tuple[str, str, str]]:
    return set(FollowUpReminderLog.objects.values_list("followup__title", "kind", "recipient"))


def to(*users) -> list[str]:
    return sorted(user.email for user in users)


def recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def test_overdue_and_upcoming_acuerdos_reach_the_owner_and_co_owner_editors(
    run, shared, people, editor, state_admin, outsider
):
    overdue, upcoming = shared["overdue"].followup.title, shared["upcoming"].followup.title
    result = run(days=7)
    assert (result.sent, result.already_sent, result.emails) == (5, 0, 3)
    assert logged() == {
        (overdue, OVERDUE, editor.email),
        (overdue, OVERDUE, state_admin.email),
        (overdue, OVERDUE, outsider.email),
        (upcoming, UPCOMING, editor.email),
        (upcoming, UPCOMING, state_admin.email),
    }
    # never the reviewer, the read-only member nor the secretariat, which only verifies
    assert recipients() == to(editor, state_admin, outsider)


def test_the_email_lists_each_acuerdo_with_its_folio_due_date_and_page(
    run, shared, people, outsider
):
    run(days=7)
    overdue, upcoming = shared["overdue"], shared["upcoming"]
    owner_mail = next(m for m in mail.outbox if m.to == ["captura@prueba.test"])
    assert owner_mail.subject == "Transversal: tiene un acuerdo o compromiso vencido"
    body = owner_mail.body
    assert "Acuerdos y compromisos vencidos:" in body
    assert f"- Acuerdo {overdue.folio}: Presentar el programa estatal — venció el 30/06/2026" in (
        body
    )
    assert SITE + reverse("coordination:resolution", args=[overdue.code]) in body
    assert "Acuerdos y compromisos por vencer:" in body
    assert (
        f"- Acuerdo {upcoming.folio}: Instalar la comisión de igualdad — vence el 14/07/2026"
        in (body)
    )
    assert SITE + reverse("coordination:resolution", args=[upcoming.code]) in body
    assert "Publicar el informe anual" not in body
    assert "periodos" not in body  # no period is due: the indicators' part is left out
    # the co-owner hears of the acuerdo it shares, not of Durango's own
    co_owner_mail = next(m for m in mail.outbox if m.to == [outsider.email])
    assert overdue.folio in co_owner_mail.body and upcoming.folio not in co_owner_mail.body


def test_each_email_is_also_left_as_a_notification_on_the_site(run, shared, people, editor):
    run(days=7)
    notification = editor.notifications.get()
    assert notification.subject == "Transversal: tiene un acuerdo o compromiso vencido"
    assert shared["overdue"].folio in notification.body
    assert notification.url == reverse("work:list")


def test_only_upcoming_acuerdos_read_as_due_soon(run, acuerdos, people, editor):
    result = run(today=dt.date(2026, 6, 28), days=7)  # before the first due date
    assert result.sent == 2  # the acuerdo due 30/06, to the editor and the admin
    assert mail.outbox[0].subject == (
        "Transversal: acuerdos y compromisos por vencer en los próximos días"
    )
    assert "Acuerdos y compromisos vencidos:" not in mail.outbox[0].body


def test_a_second_run_sends_nothing(run, shared, people):
    run(days=7)
    sent = len(mail.outbox)
    again = run(days=7)
    assert (again.sent, again.already_sent, again.emails) == (0, 5, 0)
    assert len(mail.outbox) == sent == 3
    assert FollowUpReminderLog.objects.count() == 5


def test_an_upcoming_reminder_is_followed_by_one_overdue_reminder(run, acuerdos, editor):
    run(days=7)  # the acuerdo due 14/07 is upcoming
    mail.outbox.clear()
    later = dt.date(2026, 7, 20)
    result = run(today=later, days=0)
    assert result.sent == 1  # now overdue: the 14/07 one is new, the 30/06 one was told already
    assert "Instalar la comisión de igualdad — venció el 14/07/2026" in mail.outbox[0].body
    mail.outbox.clear()
    assert run(today=later, days=0).sent == 0 and not mail.outbox


@pytest.mark.parametrize(
    "status", [FollowUpStatus.DONE, FollowUpStatus.VERIFIED, FollowUpStatus.CANCELLED]
)
def test_items_waiting_on_verification_or_closed_are_not_reminded(run, acuerdos, editor, status):
    FollowUp.objects.update(status=status, cancel_reason="Ya no aplica")
    result = run(days=7)
    assert (result.sent, result.already_sent) == (0, 0)
    assert not mail.outbox and not FollowUpReminderLog.objects.exists()


def test_an_item_closed_after_a_reminder_gets_nothing_further(run, acuerdos, editor):
    run(days=7)
    FollowUp.objects.update(status=FollowUpStatus.CANCELLED, cancel_reason="Ya no aplica")
    mail.outbox.clear()
    result = run(today=dt.date(2026, 7, 20), days=7)
    assert (result.sent, result.already_sent) == (0, 0) and not mail.outbox


def test_an_in_progress_item_is_still_reminded(run, acuerdos, editor):
    FollowUp.objects.update(status=FollowUpStatus.IN_PROGRESS)
    assert run(days=7).sent == 2


def test_an_item_without_a_due_date_is_never_reminded(run, acuerdos, editor):
    FollowUp.objects.update(due_date=None)
    assert run(days=1000).sent == 0


def test_a_dry_run_writes_and_sends_nothing(run, shared, people):
    result = run(days=7, dry_run=True)
    assert (result.sent, result.emails, result.dry_run) == (5, 3, True)
    assert not FollowUpReminderLog.objects.exists() and not mail.outbox


def test_a_failed_send_is_forgotten_so_the_next_run_retries(run, shared, people, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("transversal.monitoring.reminders.send_mail", broken)
    result = run(days=7)
    assert result.failed == 5 and not FollowUpReminderLog.objects.exists()
    monkeypatch.undo()
    assert run(days=7).sent == 5
    assert len(mail.outbox) == 3


def test_what_is_due_takes_four_queries_however_many_items_and_owners(
    acuerdos, people, zacatecas, chihuahua, django_assert_num_queries
):
    for resolution in acuerdos.values():
        resolution.followup.co_owners.add(zacatecas, chihuahua)
    # the items with their subjects, their co-owners, the people, the earlier reminders
    with django_assert_num_queries(4):
        due = reminders_due(today=TODAY, days=100)
    # three items to Durango's two and Zacatecas's and the secretariat's editor
    assert {email: len(items) for email, items in due.fresh.items()} == {
        "captura@prueba.test": 3,
        "admin@prueba.test": 3,
        "captura.zac@prueba.test": 3,
        "secretaria@prueba.test": 3,
    }


class TestCommand:
    @pytest.fixture(autouse=True)
    def _today(self, monkeypatch):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)

    def test_it_prints_a_spanish_summary_and_is_idempotent(
        self, shared, people, django_capture_on_commit_callbacks
    ):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--days", "7", stdout=out)
        assert out.getvalue().strip() == "Recordatorios enviados: 5; ya enviados antes: 0"
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--days", "7", stdout=out)
        assert out.getvalue().strip() == "Recordatorios enviados: 0; ya enviados antes: 5"
        assert len(mail.outbox) == 3

    def test_dry_run_only_counts(self, shared, people):
        out = StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)
        assert "Simulación: se enviarían 5 recordatorios en 3 correos" in out.getvalue()
        assert not FollowUpReminderLog.objects.exists() and not mail.outbox

    def test_its_help_says_in_spanish_that_acuerdos_are_reminded_too(self):
        parser = Command().create_parser("manage.py", "send_reminders")
        help_text = " ".join(parser.format_help().split())  # however the terminal wraps it
        assert "acuerdos y compromisos" in help_text
        assert "vencen en estos días o menos" in help_text

    def test_a_negative_window_is_refused_and_sends_nothing(self, acuerdos, editor):
        with pytest.raises(CommandError, match="--days debe ser 0 o más"):
            call_command("send_reminders", "--days", "-1")
        assert not FollowUpReminderLog.objects.exists() and not mail.outbox

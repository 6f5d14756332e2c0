"""Reminders of the yearly cycle (workprogrammes.reminders), sent in the daily run's e-mail
(monitoring.reminders.reminders_send, through the source registered at start-up).

Durango's 2026 programme is validated; its first quarter ends on 31/03 and its report is due 15
days later, on 15/04/2026. On 10/04 the report falls due within the week; on 20/04 it is overdue.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.monitoring.reminders import _SOURCES, reminders_send
from transversal.workprogrammes import services
from transversal.workprogrammes.models import (
    ProgrammeReminderLog,
    QuarterlyReport,
    ReportStatus,
    WorkProgramme,
)
from transversal.workprogrammes.reminders import DECISION_DAYS, ProgrammeDue
from transversal.workprogrammes.tests.factories import (
    line_values,
    signed_agreement,
    validated,
    world,
)

pytestmark = pytest.mark.django_db

YEAR = 2026
DUE_SOON = dt.date(YEAR, 4, 10)
OVERDUE = dt.date(YEAR, 4, 20)
SITE = "https://transversal.ejemplo.mx"


def programme_of(national, institution) -> WorkProgramme:
    """A programme with two goals and no indicators (so no period of monitoring is due)."""
    agreement = signed_agreement(national, institution)
    programme = services.programme_create(actor=None, agreement=agreement, year=YEAR)
    for goal in agreement.goals.order_by("number"):
        services.line_save(actor=None, programme=programme, goal=goal, **line_values(goal.number))
    return programme


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def national_people(national):
    """The national reviewers and admins decide; an editor or a viewer there does not."""
    return {
        "admin": make_member("admin.nacional@prueba.test", national, Role.ADMIN),
        "reviewer": make_member("revision.nacional@prueba.test", national, Role.REVIEWER),
        "editor": make_member("captura.nacional@prueba.test", national, Role.EDITOR),
        "viewer": make_member("consulta.nacional@prueba.test", national, Role.VIEWER),
    }


@pytest.fixture
def people(editor, state_admin, reviewer, viewer, outsider, national_people):
    """Durango's editor, admin, reviewer and read-only member; Zacatecas's editor."""


@pytest.fixture
def durango_validated(national, durango):
    return validated(programme_of(national, durango))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def send(today=DUE_SOON, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(today=today, **kwargs)

    return send


def recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def to(*users) -> list[str]:
    return sorted(user.email for user in users)


def body_of(user) -> str:
    return next(m for m in mail.outbox if m.to == [user.email]).body


def test_the_source_is_registered_at_start_up():
    assert any(source.item_type is ProgrammeDue for source in _SOURCES)


# Quarterly reports ------------------------------------------------------------------------------


def test_a_report_due_within_the_week_reaches_the_states_editors_and_admins_in_spanish(
    run, people, durango_validated, editor, state_admin
):
    result = run(days=7)
    assert (result.sent, result.already_sent, result.emails) == (2, 0, 2)
    # never the state's reviewer or read-only member, the national people or another state
    assert recipients() == to(editor, state_admin)
    message = mail.outbox[0]
    assert message.subject == "Transversal: informes trimestrales por entregar en los próximos días"
    link = SITE + reverse("workprogrammes:programme", args=[durango_validated.code])
    assert message.body == (
        "Estos informes trimestrales del programa anual de trabajo aún no se envían a la "
        "institución nacional.\n\n"
        "Informes por vencer:\n"
        "- Durango · programa de trabajo 2026, informe del trimestre 1: vence el 15/04/2026\n"
        f"  {link}\n\n"
        "Recibe este aviso porque captura o administra el programa anual de trabajo de su "
        "institución.\n"
    )
    assert set(ProgrammeReminderLog.objects.values_list("kind", "occasion", "recipient")) == {
        ("upcoming", "T1", editor.email),
        ("upcoming", "T1", state_admin.email),
    }


def test_a_reminder_is_sent_once_and_then_once_more_when_overdue(
    run, people, durango_validated, editor
):
    run(days=7)
    mail.outbox.clear()
    again = run(days=7)
    assert (again.sent, again.already_sent, again.emails) == (0, 2, 0)
    assert not mail.outbox
    late = run(today=OVERDUE, days=7)
    assert late.sent == 2
    assert mail.outbox[0].subject == "Transversal: tiene un informe trimestral vencido"
    assert "Informes vencidos:" in body_of(editor)
    assert "informe del trimestre 1: venció el 15/04/2026" in body_of(editor)
    mail.outbox.clear()
    assert run(today=OVERDUE, days=7).sent == 0 and not mail.outbox


def test_another_states_people_hear_only_of_their_own_programme(
    run, national, people, zacatecas, durango_validated, editor, outsider
):
    validated(programme_of(national, zacatecas))
    run(days=7)
    assert "Durango" in body_of(editor) and "Zacatecas" not in body_of(editor)
    assert "Zacatecas" in body_of(outsider) and "Durango" not in body_of(outsider)


@pytest.mark.parametrize("status", [ReportStatus.SENT, ReportStatus.OBSERVED, "acknowledged"])
def test_a_report_sent_is_not_reminded(run, people, durango_validated, status):
    QuarterlyReport.objects.create(programme=durango_validated, quarter=1, status=status)
    assert run(today=OVERDUE, days=7).sent == 0
    assert not mail.outbox


def test_a_draft_report_is_still_reminded(run, people, durango_validated):
    QuarterlyReport.objects.create(programme=durango_validated, quarter=1)
    assert run(today=OVERDUE, days=7).sent == 2


def test_a_programme_not_yet_validated_gets_no_report_reminder(run, national, durango, people):
    programme_of(national, durango)  # in elaboration: no report can be written yet
    assert run(today=OVERDUE, days=7).sent == 0


def test_the_report_reminder_shares_the_email_of_the_periods_to_report(
    run, national, durango, editor
):
    """One e-mail per person per run: the programme's goals' indicators have periods due too."""
    validated(world(national, durango, year=YEAR).programme)
    run(today=OVERDUE, days=7)
    assert recipients() == [editor.email]
    body = mail.outbox[0].body
    assert "Estos periodos todavía no tienen un avance enviado a revisión ni aprobado." in body
    assert "informe del trimestre 1: venció el 15/04/2026" in body
    assert "Recibe este aviso porque captura o administra los indicadores de su institución." in (
        body
    )
    assert "el programa anual de trabajo de su institución." in body
    assert mail.outbox[0].subject.startswith("Transversal: tiene ")


def test_a_dry_run_logs_and_sends_nothing(run, people, durango_validated):
    result = run(days=7, dry_run=True)
    assert (result.sent, result.emails) == (2, 2)
    assert not mail.outbox and not ProgrammeReminderLog.objects.exists()


# Decisions waiting --------------------------------------------------------------------------------


def waiting_since(programme: WorkProgramme, day: dt.date) -> None:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    WorkProgramme.objects.filter(pk=programme.pk).update(stage_changed_at=moment)


def test_a_programme_waiting_more_than_the_days_reaches_the_national_validators(
    run, national, durango, people, national_people, editor
):
    programme = services.programme_propose(actor=None, programme=programme_of(national, durango))
    waiting_since(programme, DUE_SOON - dt.timedelta(days=DECISION_DAYS + 2))
    result = run(days=7)
    assert result.sent == 2
    assert recipients() == to(national_people["admin"], national_people["reviewer"])
    message = mail.outbox[0]
    assert message.subject == "Transversal: programas de trabajo en espera de la decisión nacional"
    assert "- Durango · programa de trabajo 2026 (propuesta): en espera desde el 29/03/2026" in (
        message.body
    )
    assert (
        "Este programa anual de trabajo espera la decisión de la institución nacional "
        "(observarlo o validarlo) desde hace más de 10 días." in message.body
    )
    assert "revisa o administra en la institución nacional" in message.body
    mail.outbox.clear()
    assert run(days=7).sent == 0 and not mail.outbox  # once per wait


def test_a_programme_waiting_fewer_days_is_not_reminded(run, national, durango, people):
    programme = services.programme_propose(actor=None, programme=programme_of(national, durango))
    waiting_since(programme, DUE_SOON - dt.timedelta(days=DECISION_DAYS - 1))
    assert run(days=7).sent == 0


def test_a_new_wait_after_a_correction_is_reminded_again(
    run, national, durango, people, national_people
):
    programme = services.programme_propose(actor=None, programme=programme_of(national, durango))
    waiting_since(programme, dt.date(YEAR, 3, 1))
    assert run(days=7).sent == 2
    services.programme_observe(actor=None, programme=programme, text="Precise las metas.")
    services.programme_correct(actor=None, programme=programme, answer="Se precisaron.")
    waiting_since(programme, dt.date(YEAR, 3, 20))
    mail.outbox.clear()
    result = run(days=7)
    assert result.sent == 2
    assert "(corregida): en espera desde el 20/03/2026" in mail.outbox[0].body

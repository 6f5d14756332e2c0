"""Reminders of the convenio's yearly cycle, sent in the daily run's e-mail
(``monitoring.reminders``, below this app: registered at start-up with ``register_source``).

- A quarterly report not sent yet of a programme in execution: its state institution's editors
  and admins are reminded when its due date (``WorkProgramme.report_due_date``) is within the
  run's days ("por vencer") and again once it has passed ("vencido").
- A programme proposed or corrected that waits for the national decision (observe or validate)
  more than ``DECISION_DAYS`` days: the national institution's reviewers and admins, who
  decide, are reminded once per wait.

Each reminder (programme, kind, occasion, recipient) is sent at most once
(``ProgrammeReminderLog``, written before the e-mail goes and removed if it fails).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transversal.accounts.selectors import reminder_recipients
from transversal.workprogrammes.access import VALIDATOR_ROLES
from transversal.workprogrammes.models import (
    AWAITING_NATIONAL,
    EXECUTION_STAGES,
    QUARTERS,
    ProgrammeReminderLog,
    QuarterlyReport,
    ReminderKind,
    ReportStatus,
    WorkProgramme,
)

# Days a proposed or corrected programme may wait for the national decision before its
# validators are reminded.
DECISION_DAYS = 10
# A report still to send: none yet, or a draft (an observed one is answered by sending again,
# and its observation already reached the state).
UNSENT = ("", ReportStatus.DRAFT)


@dataclass(frozen=True)
class ProgrammeDue:
    """One reminder about a programme: a quarter's report (``quarter``) or a decision waiting."""

    programme: WorkProgramme
    kind: str  # ReminderKind
    occasion: str  # "T1".."T4", or when the wait began
    date: dt.date  # the report's due date, or the day the wait began
    quarter: int | None = None

    def log(self, email: str) -> None:
        """Record the reminder; raises ``IntegrityError`` if an earlier run already did."""
        ProgrammeReminderLog.objects.create(
            programme=self.programme, kind=self.kind, occasion=self.occasion, recipient=email
        )

    def forget(self, email: str) -> None:
        """Undo ``log`` after a failed send, so the next run tries again."""
        ProgrammeReminderLog.objects.filter(
            programme=self.programme, kind=self.kind, occasion=self.occasion, recipient=email
        ).delete()

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.programme.pk, self.kind, self.occasion)


@dataclass
class DueReminders:
    fresh: dict[str, list[ProgrammeDue]] = field(default_factory=dict)  # per recipient
    already_sent: int = 0  # reminders an earlier run logged


def reports_due(today: dt.date, days: int) -> list[ProgrammeDue]:
    """Quarterly reports of programmes in execution not sent yet whose due date is within
    ``days`` days or past: two queries (programmes, their reports)."""
    programmes = list(
        WorkProgramme.objects.filter(stage__in=EXECUTION_STAGES).select_related("agreement__state")
    )
    statuses = {
        (programme_id, quarter): status
        for programme_id, quarter, status in QuarterlyReport.objects.filter(
            programme__stage__in=EXECUTION_STAGES
        ).values_list("programme_id", "quarter", "status")
    }
    horizon = today + dt.timedelta(days=days)
    dues = []
    for programme in programmes:
        for quarter in QUARTERS:
            due = programme.report_due_date(quarter)
            if due > horizon or statuses.get((programme.pk, quarter), "") not in UNSENT:
                continue
            kind = ReminderKind.OVERDUE if due < today else ReminderKind.UPCOMING
            dues.append(ProgrammeDue(programme, kind, f"T{quarter}", due, quarter))
    return sorted(dues, key=lambda d: (d.date, d.programme.agreement.state.code))


def decisions_due(today: dt.date) -> list[ProgrammeDue]:
    """Programmes proposed or corrected more than ``DECISION_DAYS`` days ago: one query."""
    cutoff = today - dt.timedelta(days=DECISION_DAYS)
    rows = (
        WorkProgramme.objects.filter(
            stage__in=AWAITING_NATIONAL,
            stage_changed_at__isnull=False,
            stage_changed_at__date__lt=cutoff,
        )
        .select_related("agreement__state")
        .order_by("stage_changed_at", "pk")
    )
    return [
        ProgrammeDue(
            programme,
            ReminderKind.AWAITING,
            # One reminder per wait: a programme observed, corrected and waiting again is new.
            programme.stage_changed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            timezone.localdate(programme.stage_changed_at),
        )
        for programme in rows
    ]


def validator_recipients(institution_ids) -> dict[int, list[str]]:
    """The e-mail addresses of each national institution's reviewers and admins: one query."""
    return reminder_recipients(institution_ids, roles=VALIDATOR_ROLES)


def reminders_due(*, today: dt.date, days: int) -> DueReminders:
    """The reminders still to send, per recipient: the reports' to the state institution's
    editors and admins, the decisions' to the national institution's reviewers and admins."""
    reports = reports_due(today, days)
    decisions = decisions_due(today)
    editors = reminder_recipients({d.programme.agreement.state_institution_id for d in reports})
    validators = validator_recipients(
        {d.programme.agreement.national_institution_id for d in decisions}
    )
    programme_ids = {d.programme.pk for d in (*reports, *decisions)}
    logged = (
        set(
            ProgrammeReminderLog.objects.filter(programme_id__in=programme_ids).values_list(
                "programme_id", "kind", "occasion", "recipient"
            )
        )
        if programme_ids
        else set()
    )
    result = DueReminders()
    fresh: dict[str, list[ProgrammeDue]] = defaultdict(list)
    targets = [
        *((d, editors.get(d.programme.agreement.state_institution_id, [])) for d in reports),
        *(
            (d, validators.get(d.programme.agreement.national_institution_id, []))
            for d in decisions
        ),
    ]
    for due, emails in targets:
        for email in emails:
            if (*due.key, email) in logged:
                result.already_sent += 1
            else:
                fresh[email].append(due)
    result.fresh = dict(fresh)
    return result


def _link(programme: WorkProgramme) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("workprogrammes:programme", args=[programme.code])


def _name(programme: WorkProgramme) -> str:
    return _("%(state)s · programa de trabajo %(year)s") % {
        "state": programme.agreement.state.short_name,
        "year": programme.year,
    }


def message_lines(items: list[ProgrammeDue]) -> list[str]:
    """This source's part of the e-mail: reports overdue, reports due soon, decisions waiting."""
    overdue = [d for d in items if d.kind == ReminderKind.OVERDUE]
    upcoming = [d for d in items if d.kind == ReminderKind.UPCOMING]
    waiting = [d for d in items if d.kind == ReminderKind.AWAITING]
    lines: list[str] = []
    if overdue or upcoming:
        lines += [
            _(
                "Estos informes trimestrales del programa anual de trabajo aún no se envían a la "
                "institución nacional."
            ),
            "",
        ]
    for title, dues, when in (
        (_("Informes vencidos:"), overdue, _("venció el %(date)s")),
        (_("Informes por vencer:"), upcoming, _("vence el %(date)s")),
    ):
        if not dues:
            continue
        lines.append(title)
        for due in dues:
            report = _("informe del trimestre %(q)s") % {"q": due.quarter}
            date = when % {"date": due.date.strftime("%d/%m/%Y")}
            lines.append(f"- {_name(due.programme)}, {report}: {date}\n  {_link(due.programme)}")
        lines.append("")
    if waiting:
        lines += [
            ngettext(
                "Este programa anual de trabajo espera la decisión de la institución nacional "
                "(observarlo o validarlo) desde hace más de %(n)s días.",
                "Estos programas anuales de trabajo esperan la decisión de la institución "
                "nacional (observarlos o validarlos) desde hace más de %(n)s días.",
                len(waiting),
            )
            % {"n": DECISION_DAYS},
            "",
        ]
        for due in waiting:
            stage = str(due.programme.get_stage_display()).lower()
            since = _("en espera desde el %(date)s") % {"date": due.date.strftime("%d/%m/%Y")}
            lines.append(f"- {_name(due.programme)} ({stage}): {since}\n  {_link(due.programme)}")
        lines.append("")
    return lines


def reason(items: list[ProgrammeDue]) -> str:
    reports = any(d.kind != ReminderKind.AWAITING for d in items)
    decisions = any(d.kind == ReminderKind.AWAITING for d in items)
    if reports and decisions:
        return _(
            "Recibe este aviso porque captura o administra el programa anual de trabajo de su "
            "institución y revisa o administra en la institución nacional los programas de las "
            "entidades."
        )
    if decisions:
        return _(
            "Recibe este aviso porque revisa o administra en la institución nacional los "
            "programas anuales de trabajo de las entidades."
        )
    return _(
        "Recibe este aviso porque captura o administra el programa anual de trabajo de su "
        "institución."
    )


def subject(items: list[ProgrammeDue]) -> str:
    overdue = sum(d.kind == ReminderKind.OVERDUE for d in items)
    if overdue:
        return ngettext(
            "Transversal: tiene un informe trimestral vencido",
            "Transversal: tiene %(n)s informes trimestrales vencidos",
            overdue,
        ) % {"n": overdue}
    if all(d.kind == ReminderKind.UPCOMING for d in items):
        return _("Transversal: informes trimestrales por entregar en los próximos días")
    if all(d.kind == ReminderKind.AWAITING for d in items):
        return _("Transversal: programas de trabajo en espera de la decisión nacional")
    return _("Transversal: avisos de los programas anuales de trabajo")

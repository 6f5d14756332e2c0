"""Reminders about what people still have to do: periods to report due soon ("upcoming") or
past their due date ("overdue"), and the open follow-up items (acuerdos) of their institution,
which ``followup.reminders`` selects. Each person gets one e-mail per run listing both, and
what the apps above this one register (``register_source``: the work programmes' quarterly
reports and decisions waiting).

Each reminder (period or item, kind, recipient) is sent at most once: its log row
(``ReminderLog``, ``FollowUpReminderLog``) is written in a transaction and the e-mail goes out
only after that transaction commits. A crash after the commit loses that e-mail rather than
ever sending it twice; a send that fails outright deletes its rows, so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transversal.accounts.selectors import reminder_recipients
from transversal.accounts.services import notifications_send
from transversal.followup import reminders as followup_reminders
from transversal.followup.reminders import FollowUpDue
from transversal.monitoring.models import ProgressUpdate, ReminderLog, ReportingPeriod
from transversal.monitoring.selectors import REPORTED_STATUSES

logger = logging.getLogger(__name__)

UPCOMING = followup_reminders.UPCOMING
OVERDUE = followup_reminders.OVERDUE
DEFAULT_DAYS = 7


@dataclass
class ReminderResult:
    sent: int = 0  # reminders newly logged (sent, or to be sent when the transaction commits)
    already_sent: int = 0  # reminders logged by an earlier run
    emails: int = 0
    failed: int = 0  # reminders whose e-mail could not be sent (their log rows are removed)
    dry_run: bool = False
    recipients: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Due:
    period: ReportingPeriod
    kind: str

    def log(self, email: str) -> None:
        """Record the reminder; raises ``IntegrityError`` if an earlier run already did."""
        ReminderLog.objects.create(period=self.period, kind=self.kind, recipient=email)

    def forget(self, email: str) -> None:
        """Undo ``log`` after a failed send, so the next run tries again."""
        ReminderLog.objects.filter(period=self.period, kind=self.kind, recipient=email).delete()


Reminder = Due | FollowUpDue


@dataclass(frozen=True)
class ReminderSource:
    """Reminders an app above this one adds to the daily e-mail, registered at start-up
    (``AppConfig.ready``), since this app may not import it.

    ``due(today=, days=)`` returns what ``followup.reminders.reminders_due`` returns: ``fresh``,
    the reminders still to send per recipient, and ``already_sent``, those an earlier run logged.
    Each reminder is an ``item_type`` with a ``kind`` (``OVERDUE`` counts in the subject),
    ``log(email)`` (raising ``IntegrityError`` when already logged) and ``forget(email)``.
    ``message_lines(items)`` writes the source's part of the e-mail, ``reason(items)`` the
    line saying why the person gets it and ``subject(items)`` the subject of an e-mail holding
    only this source's reminders, all in the active language."""

    item_type: type
    due: Callable[..., Any]
    message_lines: Callable[[list], list[str]]
    reason: Callable[[list], str]
    subject: Callable[[list], str]


_SOURCES: list[ReminderSource] = []


def register_source(source: ReminderSource) -> None:
    """Add ``source``'s reminders to every run (registering it twice changes nothing)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def periods_to_remind(today: dt.date, days: int):
    """Open periods due within ``days`` days, or already overdue, with no report sent (submitted,
    in national validation or approved)."""
    reported = ProgressUpdate.objects.filter(
        period=OuterRef("pk"),
        is_current=True,
        status__in=REPORTED_STATUSES,
    )
    return (
        ReportingPeriod.objects.filter(locked=False, due_date__lte=today + dt.timedelta(days=days))
        .exclude(Exists(reported))
        .select_related("indicator__owner")
        .order_by("due_date", "indicator__name", "label")
    )


def reminders_send(
    *, today: dt.date, days: int = DEFAULT_DAYS, dry_run: bool = False
) -> ReminderResult:
    """Send (or, with ``dry_run``, only count) one e-mail per person listing their pending
    periods and open follow-up items."""
    if days < 0:
        raise ValueError("days must be zero or more")
    result = ReminderResult(dry_run=dry_run)
    by_recipient = _periods_due(today, days, result)
    followups = followup_reminders.reminders_due(today=today, days=days)
    result.already_sent += followups.already_sent
    for email, dues in followups.fresh.items():
        by_recipient[email].extend(dues)
    for source in _SOURCES:
        extra = source.due(today=today, days=days)
        result.already_sent += extra.already_sent
        for email, dues in extra.fresh.items():
            by_recipient[email].extend(dues)

    for email, fresh in by_recipient.items():
        if dry_run:
            result.sent += len(fresh)
            result.emails += bool(fresh)
            continue
        fresh = _log(email, fresh, result)
        if fresh:
            result.sent += len(fresh)
            result.emails += 1
            result.recipients.add(email)
    return result


def _periods_due(
    today: dt.date, days: int, result: ReminderResult
) -> defaultdict[str, list[Reminder]]:
    """The period reminders not sent yet, per recipient (the ones an earlier run logged are
    counted in ``result.already_sent``)."""
    pending = periods_to_remind(today, days)
    periods = list(pending)
    recipients = reminder_recipients({p.indicator.owner_id for p in periods})
    logged = set(  # a subquery, not a list of ids: there may be many periods
        ReminderLog.objects.filter(period__in=pending.values("pk")).values_list(
            "period_id", "kind", "recipient"
        )
    )
    by_recipient: defaultdict[str, list[Reminder]] = defaultdict(list)
    for period in periods:
        kind = OVERDUE if period.due_date < today else UPCOMING
        for email in recipients.get(period.indicator.owner_id, []):
            if (period.pk, kind, email) in logged:
                result.already_sent += 1
            else:
                by_recipient[email].append(Due(period, kind))
    return by_recipient


def _log(email: str, items: list[Reminder], result: ReminderResult) -> list[Reminder]:
    """Write the log rows for one person and schedule their e-mail for after the commit.

    A concurrent run may have logged some rows since we looked: those count as already sent.
    """
    created: list[Reminder] = []
    with transaction.atomic():
        for item in items:
            try:
                with transaction.atomic():
                    item.log(email)
            except IntegrityError:
                result.already_sent += 1
            else:
                created.append(item)
        if created:
            transaction.on_commit(lambda: _send(email, created, result))
    return created


def _send(email: str, items: list[Reminder], result: ReminderResult) -> None:
    try:
        subject, body = reminder_message(items)
        send_mail(subject, body, None, [email])
        notifications_send(recipients=[email], subject=subject, body=body, url=reverse("work:list"))
    except Exception:  # noqa: BLE001 — one mail server error must not stop the others
        logger.exception("reminder e-mail to %s failed", email)
        result.failed += len(items)
        for item in items:
            item.forget(email)


def _period_link(period: ReportingPeriod) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("monitoring:period", args=[period.indicator.code, period.label])


def reminder_message(items: list[Reminder]) -> tuple[str, str]:
    """Subject and body, in the site's language: the periods first, then the follow-up items,
    overdue before upcoming in each part."""
    dues = [i for i in items if isinstance(i, Due)]
    followups = [i for i in items if isinstance(i, FollowUpDue)]
    others = [(s, [i for i in items if isinstance(i, s.item_type)]) for s in _SOURCES]
    others = [(source, mine) for source, mine in others if mine]
    overdue = [i.period for i in dues if i.kind == OVERDUE]
    upcoming = [i.period for i in dues if i.kind == UPCOMING]
    with translation.override(settings.LANGUAGE_CODE):
        if not others:
            subject = _subject(dues, followups)
        elif len(others) == 1 and not dues and not followups:
            subject = others[0][0].subject(others[0][1])
        else:
            subject = _mixed_subject(items)
        lines = []
        if dues:
            lines += [
                _("Estos periodos todavía no tienen un avance enviado a revisión ni aprobado."),
                "",
            ]
        if overdue:
            lines.append(_("Vencidos:"))
            lines += [_line(p, _("venció el %(date)s")) for p in overdue]
            lines.append("")
        if upcoming:
            lines.append(_("Por vencer:"))
            lines += [_line(p, _("vence el %(date)s")) for p in upcoming]
            lines.append("")
        if followups:
            lines += followup_reminders.message_lines(followups)
        for source, mine in others:
            lines += source.message_lines(mine)
        if not dues and not followups:
            why = ""
        elif not followups:
            why = _(
                "Recibe este aviso porque captura o administra los indicadores de su institución."
            )
        elif not dues:
            why = _(
                "Recibe este aviso porque captura o administra los acuerdos y compromisos de su "
                "institución."
            )
        else:
            why = _(
                "Recibe este aviso porque captura o administra los indicadores, acuerdos y "
                "compromisos de su institución."
            )
        lines += [line for line in (why, *(source.reason(mine) for source, mine in others)) if line]
    return subject, "\n".join(lines) + "\n"


def _mixed_subject(items: list) -> str:
    """The subject of an e-mail with a registered source's part."""
    overdue = sum(getattr(i, "kind", "") == OVERDUE for i in items)
    if overdue:
        return ngettext(
            "Transversal: tiene un pendiente vencido",
            "Transversal: tiene %(n)s pendientes vencidos",
            overdue,
        ) % {"n": overdue}
    return _("Transversal: tiene pendientes por atender")


def _subject(dues: list[Due], followups: list[FollowUpDue]) -> str:
    periods_overdue = sum(i.kind == OVERDUE for i in dues)
    followups_overdue = sum(i.kind == OVERDUE for i in followups)
    if not followups:
        if periods_overdue:
            return ngettext(
                "Transversal: tiene un periodo vencido sin reportar",
                "Transversal: tiene %(n)s periodos vencidos sin reportar",
                periods_overdue,
            ) % {"n": periods_overdue}
        return _("Transversal: periodos por reportar en los próximos días")
    if not dues:
        if followups_overdue:
            return ngettext(
                "Transversal: tiene un acuerdo o compromiso vencido",
                "Transversal: tiene %(n)s acuerdos o compromisos vencidos",
                followups_overdue,
            ) % {"n": followups_overdue}
        return _("Transversal: acuerdos y compromisos por vencer en los próximos días")
    total = periods_overdue + followups_overdue
    if total:
        return ngettext(
            "Transversal: tiene un pendiente vencido",
            "Transversal: tiene %(n)s pendientes vencidos",
            total,
        ) % {"n": total}
    return _("Transversal: pendientes por vencer en los próximos días")


def _line(period: ReportingPeriod, when: str) -> str:
    due = when % {"date": period.due_date.strftime("%d/%m/%Y")}
    return f"- {period.indicator.name} · {period.display}: {due}\n  {_period_link(period)}"

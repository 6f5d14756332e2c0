"""Reminders about periods still to report: due soon ("upcoming") or past their due date
("overdue").

Each reminder (period, kind, recipient) is sent at most once: its ``ReminderLog``
row is written in a transaction and the e-mail goes out only after that
transaction commits. A crash after the commit loses that e-mail rather than
ever sending it twice; a send that fails outright deletes its rows, so the
next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transversal.accounts.models import Membership, Role
from transversal.accounts.services import notifications_send
from transversal.monitoring.models import ProgressUpdate, ReminderLog, ReportingPeriod, UpdateStatus

logger = logging.getLogger(__name__)

UPCOMING = "upcoming"
OVERDUE = "overdue"
DEFAULT_DAYS = 7
RECIPIENT_ROLES = (Role.EDITOR, Role.ADMIN)


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


def periods_to_remind(today: dt.date, days: int):
    """Open periods due within ``days`` days, or already overdue, with nothing submitted or
    approved."""
    reported = ProgressUpdate.objects.filter(
        period=OuterRef("pk"),
        is_current=True,
        status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED],
    )
    return (
        ReportingPeriod.objects.filter(locked=False, due_date__lte=today + dt.timedelta(days=days))
        .exclude(Exists(reported))
        .select_related("indicator__owner")
        .order_by("due_date", "indicator__name", "label")
    )


def _recipients_by_owner(owner_ids: set[int]) -> dict[int, list[str]]:
    rows = (
        Membership.objects.filter(
            institution_id__in=owner_ids,
            is_active=True,
            role__in=RECIPIENT_ROLES,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("institution_id", "user__email")
        .order_by("institution_id", "user__email")
    )
    recipients: dict[int, list[str]] = defaultdict(list)
    for institution_id, email in rows:
        if email not in recipients[institution_id]:
            recipients[institution_id].append(email)
    return recipients


def reminders_send(
    *, today: dt.date, days: int = DEFAULT_DAYS, dry_run: bool = False
) -> ReminderResult:
    """Send (or, with ``dry_run``, only count) one e-mail per person listing their pending
    periods."""
    if days < 0:
        raise ValueError("days must be zero or more")
    pending = periods_to_remind(today, days)
    periods = list(pending)
    recipients = _recipients_by_owner({p.indicator.owner_id for p in periods})
    logged = set(  # a subquery, not a list of ids: there may be many periods
        ReminderLog.objects.filter(period__in=pending.values("pk")).values_list(
            "period_id", "kind", "recipient"
        )
    )
    by_recipient: dict[str, list[Due]] = defaultdict(list)
    for period in periods:
        kind = OVERDUE if period.due_date < today else UPCOMING
        for email in recipients.get(period.indicator.owner_id, []):
            by_recipient[email].append(Due(period, kind))

    result = ReminderResult(dry_run=dry_run)
    for email, items in by_recipient.items():
        fresh = [item for item in items if (item.period.pk, item.kind, email) not in logged]
        result.already_sent += len(items) - len(fresh)
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


def _log(email: str, items: list[Due], result: ReminderResult) -> list[Due]:
    """Write the log rows for one person and schedule their e-mail for after the commit.

    A concurrent run may have logged some rows since we looked: those count as already sent.
    """
    created: list[Due] = []
    with transaction.atomic():
        for item in items:
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(period=item.period, kind=item.kind, recipient=email)
            except IntegrityError:
                result.already_sent += 1
            else:
                created.append(item)
        if created:
            transaction.on_commit(lambda: _send(email, created, result))
    return created


def _send(email: str, items: list[Due], result: ReminderResult) -> None:
    try:
        subject, body = reminder_message(items)
        send_mail(subject, body, None, [email])
        notifications_send(recipients=[email], subject=subject, body=body, url=reverse("work:list"))
    except Exception:  # noqa: BLE001 — one mail server error must not stop the others
        logger.exception("reminder e-mail to %s failed", email)
        result.failed += len(items)
        for item in items:
            ReminderLog.objects.filter(period=item.period, kind=item.kind, recipient=email).delete()


def _period_link(period: ReportingPeriod) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("monitoring:period", args=[period.indicator.code, period.label])


def reminder_message(items: list[Due]) -> tuple[str, str]:
    """Subject and body, in the site's language, overdue periods first."""
    overdue = [i.period for i in items if i.kind == OVERDUE]
    upcoming = [i.period for i in items if i.kind == UPCOMING]
    with translation.override(settings.LANGUAGE_CODE):
        if overdue:
            subject = ngettext(
                "Transversal: tiene un periodo vencido sin reportar",
                "Transversal: tiene %(n)s periodos vencidos sin reportar",
                len(overdue),
            ) % {"n": len(overdue)}
        else:
            subject = _("Transversal: periodos por reportar en los próximos días")
        lines = [
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
        lines.append(
            _("Recibe este aviso porque captura o administra los indicadores de su institución.")
        )
    return subject, "\n".join(lines) + "\n"


def _line(period: ReportingPeriod, when: str) -> str:
    due = when % {"date": period.due_date.strftime("%d/%m/%Y")}
    return f"- {period.indicator.name} · {period.display}: {due}\n  {_period_link(period)}"

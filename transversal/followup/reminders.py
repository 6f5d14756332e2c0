"""Reminders to the responsibles of open follow-up items due soon ("upcoming") or past their
due date ("overdue").

This app says which items are due, for whom, and how they read in an e-mail; the daily run
(``monitoring.reminders.reminders_send``, above this app) puts them in the same e-mail as the
periods to report, so a person gets one message per run. Each reminder (item, kind, recipient)
is sent at most once: its ``FollowUpReminderLog`` row is written before the e-mail goes and
removed again if the e-mail fails, so the next run retries it.

Only open and in-progress items are reminded: an item marked done waits on its verifier, and a
verified or cancelled one is closed, so neither gets anything further.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from transversal.accounts.selectors import reminder_recipients
from transversal.followup import registry
from transversal.followup.models import OPEN_STATUSES, FollowUp, FollowUpReminderLog

UPCOMING = "upcoming"
OVERDUE = "overdue"
TITLE_LENGTH = 160  # an acuerdo's title is its folio and its whole text: the e-mail cuts it


@dataclass(frozen=True)
class FollowUpDue:
    """One item to remind one person of, as ``upcoming`` or ``overdue``."""

    item: FollowUp
    kind: str
    url: str  # the subject's page, absolute ("" when the item has no page)

    def log(self, email: str) -> None:
        """Record the reminder; raises ``IntegrityError`` if an earlier run already did."""
        FollowUpReminderLog.objects.create(followup=self.item, kind=self.kind, recipient=email)

    def forget(self, email: str) -> None:
        """Undo ``log`` after a failed send, so the next run tries again."""
        FollowUpReminderLog.objects.filter(
            followup=self.item, kind=self.kind, recipient=email
        ).delete()


@dataclass
class DueReminders:
    fresh: dict[str, list[FollowUpDue]] = field(default_factory=dict)  # per recipient
    already_sent: int = 0  # reminders an earlier run logged


def items_to_remind(today: dt.date, days: int) -> QuerySet[FollowUp]:
    """Open or in-progress items due within ``days`` days or already overdue, with their
    subjects joined (for the page link) and their co-owners prefetched."""
    return (
        FollowUp.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=days),
        )
        .select_related(*registry.related_names())
        .prefetch_related("co_owners")
        .order_by("due_date", "pk")
    )


def reminders_due(*, today: dt.date, days: int) -> DueReminders:
    """The reminders still to send, per recipient: the editors and admins of each item's owner
    and co-owners. Four queries: the items, their co-owners, the people, the earlier log."""
    pending = items_to_remind(today, days)
    items = list(pending)
    owners = {item.pk: _owner_ids(item) for item in items}
    recipients = reminder_recipients({pk for ids in owners.values() for pk in ids})
    logged = set(  # a subquery, not a list of ids: there may be many items
        FollowUpReminderLog.objects.filter(followup__in=pending.values("pk")).values_list(
            "followup_id", "kind", "recipient"
        )
    )
    result = DueReminders()
    fresh: dict[str, list[FollowUpDue]] = defaultdict(list)
    for item in items:
        due = FollowUpDue(item, OVERDUE if item.is_overdue(today) else UPCOMING, _link(item))
        emails = dict.fromkeys(e for pk in owners[item.pk] for e in recipients.get(pk, []))
        for email in emails:
            if (item.pk, due.kind, email) in logged:
                result.already_sent += 1
            else:
                fresh[email].append(due)
    result.fresh = dict(fresh)
    return result


def _owner_ids(item: FollowUp) -> list[int]:
    return [item.owner_id, *(inst.pk for inst in item.co_owners.all())]


def _link(item: FollowUp) -> str:
    try:
        path = registry.subject_url(item)
    except ObjectDoesNotExist:  # a subject removed by hand: remind without the link
        path = ""
    if not path:
        return ""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def message_lines(items: list[FollowUpDue]) -> list[str]:
    """The e-mail's part about follow-up items, overdue first; the caller chooses the
    language (the site's) and joins the parts."""
    overdue = [due for due in items if due.kind == OVERDUE]
    upcoming = [due for due in items if due.kind == UPCOMING]
    lines = [
        _("Estos acuerdos y compromisos a cargo de su institución siguen abiertos o en proceso."),
        "",
    ]
    if overdue:
        lines.append(_("Acuerdos y compromisos vencidos:"))
        lines += [_line(due, _("venció el %(date)s")) for due in overdue]
        lines.append("")
    if upcoming:
        lines.append(_("Acuerdos y compromisos por vencer:"))
        lines += [_line(due, _("vence el %(date)s")) for due in upcoming]
        lines.append("")
    return lines


def _line(due: FollowUpDue, when: str) -> str:
    item = due.item
    known = registry.subject(item.kind)
    title = item.title if len(item.title) <= TITLE_LENGTH else item.title[: TITLE_LENGTH - 1] + "…"
    name = f"{known.label} {title}" if known else title
    line = f"- {name} — {when % {'date': item.due_date.strftime('%d/%m/%Y')}}"
    return f"{line}\n  {due.url}" if due.url else line

"""Reads of follow-up items: what an institution owes, and how much of it is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope
from transversal.audit.models import AuditEvent
from transversal.followup import registry
from transversal.followup.models import FollowUp, FollowUpStatus


def owed_by(scope: Scope) -> QuerySet[FollowUp]:
    """Items the person's institutions answer for (lead or co-responsible). National members
    see their own institution's items here too: "Mis pendientes" is what one must do."""
    return FollowUp.objects.owned_by(scope.institution_ids())


def overdue_count(scope: Scope, today: dt.date) -> int:
    """One query."""
    return owed_by(scope).overdue(today).count()


def overdue_items(scope: Scope, today: dt.date, limit: int = 50) -> list[FollowUp]:
    """The overdue items, oldest due date first, each with its subject and page (two queries:
    the items with owners and subjects joined, the owners' names)."""
    rows = list(
        owed_by(scope)
        .overdue(today)
        .select_related("owner__state", *registry.related_names())
        .prefetch_related("owner__names")
        .order_by("due_date", "pk")[:limit]
    )
    for row in rows:
        row.url = registry.subject_url(row)
        known = registry.subject(row.kind)
        row.kind_label = known.label if known else ""
    return rows


@dataclass(frozen=True)
class Verification:
    """The verifier's latest decision on an item reported done: verified, or refused (sent back
    to "en proceso"), or a verification taken back by reopening it."""

    verified: bool
    outcome: str
    on: dt.date
    institution: str  # the verifier institution, as named when it decided: only its members verify
    person: str
    note: str
    # False for decisions recorded before the event kept the verifier institution: ``institution``
    # is then the item's verifier today, and the page says so.
    institution_recorded: bool = True


def _outcome(event: AuditEvent) -> tuple[bool, str]:
    if event.verb == "followup.verify":
        return True, _("Verificado y cerrado como cumplido")
    old = (event.changes.get("status") or [None])[0]
    if old == FollowUpStatus.VERIFIED:
        return False, _("Verificación revocada: se reabrió")
    return False, _("Verificación rechazada: volvió a «en proceso»")


def latest_verification(item: FollowUp) -> Verification | None:
    """The verifier's latest decision, from the item's audit trail, where the note and the
    verifier institution of that day are kept (one query, however many events the item has;
    none for an item still open, which nobody has reported done yet). A reopening of a
    cancelled item is no verification."""
    if item.status == FollowUpStatus.OPEN:
        return None
    event = (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(FollowUp),
            target_id=str(item.pk),
        )
        .filter(
            Q(verb="followup.verify")
            | Q(
                verb="followup.reopen",
                changes__status__0__in=[FollowUpStatus.DONE, FollowUpStatus.VERIFIED],
            )
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None:
        return None
    verified, outcome = _outcome(event)
    reason = (event.changes.get("reason") or [None, ""])[1] or ""
    recorded = (event.changes.get("verifier_institution") or [None, ""])[1] or ""
    return Verification(
        verified=verified,
        outcome=outcome,
        on=timezone.localdate(event.created_at),
        institution=recorded or str(item.verifier),
        person=event.actor.full_name if event.actor is not None else "",
        note=event.note if verified else reason,
        institution_recorded=bool(recorded),
    )

"""Reads of follow-up items: what an institution owes, and how much of it is overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from transversal.accounts.access import Scope
from transversal.followup import registry
from transversal.followup.models import FollowUp


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

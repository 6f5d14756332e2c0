"""Reads of the audit trail for history pages: whole for insiders, public for outsiders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from transversal.audit.display import change_rows, verb_text
from transversal.audit.models import AuditEvent
from transversal.audit.registry import Publicity


@dataclass(frozen=True)
class Change:
    """One change as people read it: the field's label and the values formatted
    (``audit.display``)."""

    field: str
    old: str
    new: str
    # False on the publication event (the value before it was not public) and for a fact (a value
    # recorded as it stood, not changed: ``audit.registry.Fields.facts``).
    show_old: bool = True


@dataclass(frozen=True)
class Row:
    created_at: dt.datetime
    actor: str
    verb: str  # what the person did, in words ("aprobó el avance")
    target: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""


def history_events(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return events.select_related("actor", "target_type").order_by("-created_at", "-id")


def history_rows(events) -> list[Row]:
    """Every event as it was recorded, with the person who did it (for insiders)."""
    return [
        Row(
            e.created_at,
            str(e.actor) if e.actor is not None else _("Sistema"),
            verb_text(e.verb),
            e.target_repr,
            [
                Change(label, old or "", new, show_old=old is not None)
                for label, old, new in change_rows(e)
            ],
            e.note,
        )
        for e in events
    ]


def _pair(value) -> tuple[Any, Any]:
    return tuple(value) if isinstance(value, (list, tuple)) and len(value) == 2 else (None, value)


def publication(obj, events: QuerySet[AuditEvent], publicity: Publicity) -> AuditEvent | None:
    """The event that made ``obj`` public for the last time, or None when its own events do not
    show it public now (then outsiders read nothing). One query over the few events that
    change the publicity field."""
    own = (
        events.filter(
            target_type=ContentType.objects.get_for_model(obj),
            target_id=str(obj.pk),
            changes__has_key=publicity.field,
        )
        .only("id", "changes")
        .order_by("-id")
    )
    for event in own:
        old, new = _pair(event.changes[publicity.field])
        if not publicity.is_public(new):
            return None
        if not publicity.is_public(old):
            return event
    return None


def public_events(
    obj, events: QuerySet[AuditEvent], publicity: Publicity
) -> tuple[QuerySet[AuditEvent], int | None]:
    """The events outsiders may read (from the latest publication on, of the declared verbs)
    and the id of the publication event."""
    published = publication(obj, events, publicity)
    if published is None:
        return events.none(), None
    return (
        events.filter(pk__gte=published.pk, verb__in=list(publicity.verbs))
        .select_related("actor", "target_type")
        .prefetch_related("actor__memberships__institution__names")
        .order_by("-created_at", "-id"),
        published.pk,
    )


def public_rows(events, publicity: Publicity, publication_id: int | None) -> list[Row]:
    """The events as outsiders read them: declared fields only, nothing from before the
    publication (its event shows the new values alone), no notes and no staff names."""
    events = list(events)
    labels = staff_labels(events)
    rows = []
    for event in events:
        allowed = publicity.verbs.get(event.verb, frozenset())
        published = event.pk == publication_id
        changes = [
            Change(
                label,
                "" if published else old or "",
                new,
                show_old=not published and old is not None,
            )
            for label, old, new in change_rows(
                event, keep=lambda name, allowed=allowed: allowed is None or name in allowed
            )
        ]
        verb = verb_text(event.verb)
        rows.append(Row(event.created_at, labels[event.pk], verb, event.target_repr, changes))
    return rows


def staff_labels(events: list[AuditEvent]) -> dict[int, str]:
    """Event id -> "Personal de <institución>": the institution the actor acted for (their
    membership in the event's institution, else in the national institution, else any; active
    memberships first). Events must come with ``actor__memberships__institution__names``
    prefetched (reached by relation name: the audit app sits below accounts)."""
    labels = {}
    for event in events:
        if event.actor_id is None:
            labels[event.pk] = _("Sistema")
            continue
        memberships = sorted(event.actor.memberships.all(), key=lambda m: (not m.is_active, m.pk))
        institutions = [m.institution for m in memberships]
        chosen = (
            next((i for i in institutions if i.pk == event.institution_id), None)
            or next((i for i in institutions if i.is_national), None)
            or (institutions[0] if institutions else None)
        )
        labels[event.pk] = (
            _("Personal de %(institution)s") % {"institution": chosen}
            if chosen is not None
            else _("Personal de la plataforma")
        )
    return labels

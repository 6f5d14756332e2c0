"""The one place audit events are written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from transversal.audit.models import AuditEvent
from transversal.core.typing import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field name -> [old, new] for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def _institution_of(target: models.Model):
    """The tenant an object belongs to: itself if it is an institution, else its ``institution``."""
    if target._meta.label == "institutions.Institution":
        return target
    return getattr(target, "institution", None)


def audit_record(
    *,
    actor: Actor,
    verb: str,
    target: models.Model,
    institution=None,
    state=None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Record one event. Must run inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction.atomic block")
    if institution is None:
        institution = _institution_of(target)
    if institution is not None and state is None:
        state = institution.state
    event = _event(actor, verb, target, institution, state, changes, note)
    event.save(force_insert=True)
    return event


def _event(actor, verb, target, institution, state, changes, note="") -> AuditEvent:
    """The unsaved event ``audit_record`` and ``audit_record_many`` write."""
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        institution=institution,
        state=state,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        note=note,
    )


def audit_record_many(
    *,
    actor: Actor,
    verb: str,
    events: Iterable[tuple[models.Model, Mapping[str, Any] | None]],
    institution,
) -> list[AuditEvent]:
    """Record one event per (target, changes) of ``institution``, as ``audit_record`` would,
    in one insert per batch: for services that write many objects at once. Must run inside the
    service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the service's transaction.atomic")
    state = institution.state if institution is not None else None
    rows = [_event(actor, verb, target, institution, state, changes) for target, changes in events]
    return AuditEvent.objects.bulk_create(rows)

"""``audit_record_many``: the events ``audit_record`` writes, one insert per batch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from transversal.audit.models import AuditEvent
from transversal.audit.services import audit_record, audit_record_many

pytestmark = pytest.mark.django_db

FIELDS = (
    "actor_id",
    "verb",
    "target_type_id",
    "target_id",
    "target_repr",
    "institution_id",
    "state_id",
    "changes",
    "note",
)


def _events(pks) -> list[tuple]:
    return list(AuditEvent.objects.filter(pk__in=pks).order_by("pk").values_list(*FIELDS))


def test_it_writes_the_events_audit_record_writes(durango, zacatecas, editor):
    changes = [
        {"when": dt.date(2025, 3, 1), "amount": Decimal("1.50"), "place": durango},
        {"items": [1, 2]},
    ]
    with transaction.atomic():
        one_by_one = [
            audit_record(actor=editor, verb="x.create", target=t, institution=durango, changes=c).pk
            for t, c in zip([durango, zacatecas], changes, strict=True)
        ]
        many = audit_record_many(
            actor=editor,
            verb="x.create",
            events=list(zip([durango, zacatecas], changes, strict=True)),
            institution=durango,
        )
    assert _events([e.pk for e in many]) == _events(one_by_one)
    assert AuditEvent.objects.get(pk=many[0].pk).changes["when"] == "2025-03-01"


def test_an_anonymous_actor_is_recorded_as_nobody(durango):
    from django.contrib.auth.models import AnonymousUser

    with transaction.atomic():
        [event] = audit_record_many(
            actor=AnonymousUser(), verb="x", events=[(durango, {"a": 1})], institution=durango
        )
    assert AuditEvent.objects.get(pk=event.pk).actor_id is None


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction(durango, editor):
    with pytest.raises(RuntimeError):
        audit_record_many(actor=editor, verb="x", events=[(durango, {})], institution=durango)

"""A cheap stamp of "something changed": the id of the newest audit event.

Every service writes its change and one audit event in the same transaction (docs/STYLE:
``audit_record``), so the largest ``AuditEvent.id`` moves whenever anything a page shows moves.
Caches of rendered fragments and counts put it in their key: a write makes every such key new,
and the old entries simply expire. Reading it is one index lookup (``MAX`` of the primary key),
whatever the size of the trail; it is read at most once per request.

Limits, bounded by the entries' short lifetime (``settings.PAGE_CACHE_SECONDS``, 60 by default;
0 turns this caching off, as the test suite does except in the tests of the caches, because
test fixtures write without the services): a write that bypasses the
services (a shell, a bulk loader without audit events) is seen when the entry expires; on
PostgreSQL two overlapping transactions may commit their ids out of order, so a page read in
between can be cached under the later id without the earlier change. docs/scaling.md says more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone, translation

from transversal.audit.models import AuditEvent

T = TypeVar("T")

_ATTRIBUTE = "_transversal_data_stamp"


def data_stamp(request=None) -> int:
    """The newest audit event's id (0 with none), read once per request when one is given."""
    if request is not None:
        memo = getattr(request, _ATTRIBUTE, None)
        if memo is not None:
            return memo
    value = AuditEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
    if request is not None:
        setattr(request, _ATTRIBUTE, value)
    return value


def cache_key(prefix: str, *parts, request=None, today: dt.date | None = None) -> str:
    """``prefix`` plus the stamp, today's date and the active language, then a hash of ``parts``
    (query strings hold any character; a hash suits every cache backend): whatever a cached
    fragment depends on besides the data."""
    day = (today or timezone.localdate()).isoformat()
    tail = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"tv:{prefix}:{data_stamp(request)}:{day}:{translation.get_language()}:{tail}"


def cache_seconds() -> int:
    """How long a cached fragment or count may live if no audit event moves the stamp (0: off)."""
    return settings.PAGE_CACHE_SECONDS


def cached(
    request,
    prefix: str,
    parts: Sequence,
    compute: Callable[[], T],
    *,
    keep: Callable[[T], bool] = lambda _value: True,
) -> T:
    """``compute()``'s value, kept in Django's cache under :func:`cache_key` when ``keep`` says
    so; with caching off, just ``compute()`` (and no stamp query)."""
    seconds = cache_seconds()
    if not seconds:
        return compute()
    key = cache_key(prefix, *parts, request=request)
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep(value):
            cache.set(key, value, seconds)
    return value

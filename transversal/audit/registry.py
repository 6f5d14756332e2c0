"""Which objects have a history page, and how to reach them with an access check.

Each app registers its models in ``AppConfig.ready``: a key used in the URL,
and a getter ``(user, code) -> (object, events queryset)`` that raises 404 or
403 exactly like the object's own page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HistoryGetter = Callable[[Any, str], tuple[Any, Any]]
_REGISTRY: dict[str, HistoryGetter] = {}


def register_history(key: str, getter: HistoryGetter) -> None:
    _REGISTRY[key] = getter


def history_getter(key: str) -> HistoryGetter | None:
    return _REGISTRY.get(key)


def events_for(obj) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from transversal.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )

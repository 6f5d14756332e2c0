"""Which objects have a history page, and how to reach them with an access check.

Each app registers its models in ``AppConfig.ready``: a key used in the URL, and a getter
``(user, code) -> History`` that raises 404 or 403 exactly like the object's own page. A
getter may still return a plain ``(object, events)`` pair: the whole history, for insiders.

An object that is public may have a public history too: its registration then gives a
``Publicity`` saying how to tell when the object became public and which events and fields
outsiders may read, and its getter returns ``History(..., public_only=True)`` for anyone
who is not an insider (anonymous visitors, members of other institutions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from transversal.audit.models import AuditEvent


@dataclass(frozen=True)
class History:
    object: Any
    events: Any  # QuerySet[AuditEvent]: the object's own events and those of its parts
    public_only: bool = False  # the reader is an outsider: only the public history


@dataclass(frozen=True)
class Publicity:
    """How outsiders read the history of an object that is public now.

    ``field`` is the object's own field whose change, recorded in its events, makes it public
    or private (``is_public``, ``status``); ``is_public`` says whether a value of it is public.
    Outsiders read the events from the latest publication on. ``verbs`` names every kind of
    event they may read, with the fields of its changes they may see (``None``: all of them,
    for changes keyed by something else than a field, such as period labels). Any other verb
    stays internal, so a new kind of event is never shown to outsiders by accident."""

    field: str
    is_public: Callable[[Any], bool]
    verbs: Mapping[str, frozenset[str] | None]


HistoryGetter = Callable[[Any, str], "History | tuple[Any, Any]"]
_REGISTRY: dict[str, HistoryGetter] = {}
_PUBLICITY: dict[str, Publicity] = {}


def register_history(key: str, getter: HistoryGetter, publicity: Publicity | None = None) -> None:
    _REGISTRY[key] = getter
    if publicity is not None:
        _PUBLICITY[key] = publicity


def history_getter(key: str) -> HistoryGetter | None:
    return _REGISTRY.get(key)


def publicity_of(key: str) -> Publicity | None:
    return _PUBLICITY.get(key)


def events_for(obj) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )

"""Which objects have a history page, and how to reach them with an access check.

Each app registers its models in ``AppConfig.ready``: a key used in the URL, and a getter
``(user, code) -> History`` that raises 404 or 403 exactly like the object's own page. A
getter may still return a plain ``(object, events)`` pair: the whole history, for insiders.

Each app also registers how its events read (``register_verbs``, ``register_fields``): the
Spanish phrase of each verb and the labels of the keys of its changes that are not fields of
the target's model (``breakdown``, ``periods``…). The audit app sits below the others and
cannot import their vocabularies; ``audit.display`` reads them from here.

An object that is public may have a public history too: its registration then gives a
``Publicity`` saying how to tell when the object became public and which events and fields
outsiders may read, and its getter returns ``History(..., public_only=True)`` for anyone
who is not an insider (anonymous visitors, members of other institutions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
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


def events_for_parts(obj, parts: Iterable[tuple[Any, Iterable[Any]]] = ()) -> Any:
    """The events of ``obj`` and of its parts: ``parts`` is (model, primary keys) pairs, such as
    a system's sessions (one query when evaluated)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    query = Q(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
    for model, pks in parts:
        ids = [str(pk) for pk in pks]
        if ids:
            query |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    return AuditEvent.objects.filter(query)


# Reads a change whose key is no plain field: (old, new) -> rows of (label, old, new), shown with
# the generic formatting (a breakdown becomes one row per category that changed).
Expander = Callable[[Any, Any], Iterable[tuple[Any, Any, Any]]]


@dataclass(frozen=True)
class Fields:
    """How the changes recorded on one model read, beyond its fields' own verbose names.

    ``labels``: key -> label for keys that are not fields (or whose field has no Spanish
    verbose name); ``expand``: key -> :data:`Expander`; ``key_label``: labels any other key
    (changes keyed by data, such as period labels), or returns None; ``choices``: key ->
    (value, label) pairs for keys that are not fields but hold a code (a part's status);
    ``key_field``: the model field whose kind formats a key's values (an amount, a date), or
    None; ``facts``: keys that record how something stood when the event happened (the
    verifier institution of a verification), read as a value, not as a change from nothing."""

    labels: Mapping[str, Any]
    expand: Mapping[str, Expander]
    key_label: Callable[[str], Any] | None = None
    choices: Mapping[str, Any] = field(default_factory=dict)
    key_field: Callable[[str], Any] | None = None
    facts: frozenset[str] = frozenset()


_VERBS: dict[str, Any] = {}
_FIELDS: dict[str, Fields] = {}


def register_verbs(labels: Mapping[str, Any]) -> None:
    """Verb -> what the person did, a lowercase phrase ("aprobó el avance"); lazy translations,
    since apps register before any language is active."""
    _VERBS.update(labels)


def register_fields(
    model,
    *,
    labels: Mapping[str, Any] | None = None,
    expand: Mapping[str, Expander] | None = None,
    key_label: Callable[[str], Any] | None = None,
    choices: Mapping[str, Any] | None = None,
    key_field: Callable[[str], Any] | None = None,
    facts: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Labels and readers of the changes recorded on ``model`` (a model class)."""
    known = _FIELDS.get(model._meta.label_lower)
    _FIELDS[model._meta.label_lower] = Fields(
        labels={**(known.labels if known else {}), **(labels or {})},
        expand={**(known.expand if known else {}), **(expand or {})},
        key_label=key_label or (known.key_label if known else None),
        choices={**(known.choices if known else {}), **(choices or {})},
        key_field=key_field or (known.key_field if known else None),
        facts=frozenset(facts) | (known.facts if known else frozenset()),
    )


def verb_label(verb: str) -> Any | None:
    return _VERBS.get(verb)


def fields_of(label_lower: str) -> Fields | None:
    return _FIELDS.get(label_lower)

"""How an audit event reads on a history page: what the person did, in words, and each change
with its field's label and values as people write them (choices by their label, Sí/No, figures
in Mexican format without trailing zeros, dates dd/mm/aaaa, "—" for nothing).

The apps register their verbs and the keys that are not plain fields
(``audit.registry.register_verbs`` and ``register_fields``); anything nobody registered still
reads sensibly, so an old or new kind of event never breaks the page. No database access: the
events come with their ``target_type`` joined.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from transversal.audit.registry import Fields, fields_of, verb_label
from transversal.core.templatetags.transversal import format_mx

EMPTY = "—"
_DECIMAL = re.compile(r"-?\d+\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def verb_text(verb: str) -> str:
    """What the person did, as a phrase ("aprobó el avance")."""
    label = verb_label(verb)
    if label is not None:
        return str(label)
    return _("registró un cambio (%(verb)s)") % {"verb": verb}


def change_rows(
    event, keep: Callable[[str], bool] | None = None
) -> list[tuple[str, str | None, str]]:
    """(label, old, new) as people read them, for the changes of ``event`` whose key ``keep``
    accepts (all by default). A registered expander may turn one key into several rows; a
    registered fact has no old value (None): it is read as it stood, not as a change."""
    target_type = event.target_type
    model = target_type.model_class() if target_type is not None else None
    known = fields_of(f"{target_type.app_label}.{target_type.model}") if target_type else None
    rows = []
    for name, old, new in event.change_rows:
        if keep is not None and not keep(name):
            continue
        expander = known.expand.get(name) if known else None
        if expander is not None:
            try:
                expanded = [(str(label), o, n) for label, o, n in expander(old, new)]
                rows.extend((label, format_value(o), format_value(n)) for label, o, n in expanded)
                continue
            except (AttributeError, KeyError, TypeError, ValueError):
                pass  # an event older than its reader: shown as recorded, below
        field = _field(model, name)
        choices = known.choices.get(name) if known else None
        label = field_label(name, field, known)
        shown_old, shown_new = _pair(old, new, field or _key_field(known, name), choices)
        if known is not None and name in known.facts:
            rows.append((label, None, shown_new))
            continue
        rows.append((label, shown_old, shown_new))
    # "195.0000" -> "195" was recorded as a change; it reads as none.
    return [(label, old, new) for label, old, new in rows if old != new]


def _pair(old: Any, new: Any, field: models.Field | None, choices=None) -> tuple[str, str]:
    """Both values as people read them: figures with two decimals at most, as on every other
    page, unless only more decimals tell them apart (then as many as were stored)."""
    if choices:
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(str(old), format_value(old)), labels.get(str(new), format_value(new))
    pair = format_value(old, field), format_value(new, field)
    if pair[0] == pair[1] and old != new:
        precise = format_value(old, field, precise=True), format_value(new, field, precise=True)
        if precise[0] != precise[1]:
            return precise
    return pair


def _key_field(known: Fields | None, name: str) -> models.Field | None:
    if known is None or known.key_field is None:
        return None
    field = known.key_field(name)
    return field if isinstance(field, models.Field) else None


def _field(model, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _has_own_label(field: models.Field) -> bool:
    # Django makes "source name" from source_name when a field has no verbose name: English.
    return isinstance(field.verbose_name, Promise) or field.verbose_name != field.name.replace(
        "_", " "
    )


def field_label(name: str, field: models.Field | None = None, known: Fields | None = None) -> str:
    """The registered label, else the field's verbose name, else the app's reading of a key
    keyed by data (a period), else the key itself made readable."""
    if known is not None and name in known.labels:
        return str(capfirst(known.labels[name]))
    if field is not None and _has_own_label(field):
        return str(capfirst(field.verbose_name))
    if known is not None and known.key_label is not None:
        label = known.key_label(name)
        if label is not None:
            return str(capfirst(str(label)))
    return str(capfirst(str(name).replace("_", " ")))


def has_label(model, name: str) -> bool:
    """Whether the app says how ``name`` reads on ``model`` (for the completeness test)."""
    known = fields_of(model._meta.label_lower)
    if known is not None and (name in known.labels or name in known.expand):
        return True
    field = _field(model, name)
    if field is not None and _has_own_label(field):
        return True
    return known is not None and known.key_label is not None and known.key_label(name) is not None


def format_value(value: Any, field: models.Field | None = None, *, precise: bool = False) -> str:
    """``precise``: figures with every decimal their field stores (four at most without a
    field), instead of two at most."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _yes_no(value)
    places = _places(field) if precise else 2
    if isinstance(field, (models.DecimalField, models.FloatField)):
        return number(value, places)
    if isinstance(field, models.DateTimeField):
        return _datetime(value)
    if isinstance(field, models.DateField):
        return _date(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {format_value(item)}" for key, item in value.items())
    if isinstance(value, (float, Decimal)):
        return number(value, places)
    if isinstance(value, dt.datetime):
        return _datetime(value)
    if isinstance(value, dt.date):
        return _date(value)
    if isinstance(value, str) and (field is None or isinstance(field, models.JSONField)):
        # A key that is no field (a target by period, a report's period): guess from the text.
        if _DECIMAL.fullmatch(value):
            return number(value, places)
        if _DATE.fullmatch(value):
            return _date(value)
        if _DATETIME.fullmatch(value):
            return _datetime(value)
    return str(value)


def number(value: Any, most: int = 2) -> str:
    """95.0000 -> "95", 1200.50 -> "1,200.5", 33.3333… -> "33.33": as many decimals as the
    figure has, ``most`` at most (rounded)."""
    try:
        figure = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not figure.is_finite():
        return str(value)
    exponent = figure.normalize().as_tuple().exponent
    needed = max(0, -exponent) if isinstance(exponent, int) else 0
    places = min(needed, most)
    text = format_mx(figure, places)
    if places and "." in text:
        text = text.rstrip("0").rstrip(".")  # 0.995 at two places is "1.00": "1"
    return text


def _places(field: models.Field | None) -> int:
    if isinstance(field, models.DecimalField) and field.decimal_places is not None:
        return field.decimal_places
    return 4


def _yes_no(value: Any) -> str:
    if isinstance(value, str):
        value = value.strip().lower() in ("true", "1", "sí", "si")
    return _("Sí") if value else _("No")


def _date(value: Any) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _datetime(value: Any) -> str:
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return _date(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")

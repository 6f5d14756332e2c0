"""Writes of the registers: entries, their evidence files and an indicator's register feed.

Each write is atomic and leaves one audit event. Every free text is checked for personal data
(``core.pii``) before anything is saved: a register counts people and never names them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record
from transversal.core.pii import find_personal_data, personal_data_message
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import checked_evidence, evidence_fields, save_with_file
from transversal.registers.models import (
    AGGREGATIONS_BY_REGISTER,
    REGISTER_MODELS,
    EntryEvidence,
    IndicatorFeed,
    RegisterEntry,
)
from transversal.registers.selectors import counted_by_reports

# The fields each register's form and import write (beyond the institution).
PEOPLE_FIELDS = (
    "women",
    "men",
    "sex_unspecified",
    "age_0_14",
    "age_15_29",
    "age_30_44",
    "age_45_64",
    "age_65_plus",
    "age_unspecified",
    "indigenous",
    "afro_mexican",
    "disability",
)
ENTRY_FIELDS: dict[str, tuple[str, ...]] = {
    "training": (
        "name", "topic", "audience", "modality", "hours", "start", "end", "municipality",
        "organiser", "certificates", *PEOPLE_FIELDS, "notes",
    ),
    "affirmative": (
        "name", "legal_basis", "target_group", "start", "end", "resources", *PEOPLE_FIELDS,
        "notes",
    ),
    "participation": (
        "name", "mechanism_kind", "year", "installed_on", "municipality", "system",
        "members_government", "members_civil_society", "members_academia", "members_private",
        "members_other", "sessions_held", "agreements_reached", *PEOPLE_FIELDS, "notes",
    ),
    "service": (
        "month", "service_type", "violence_related", "municipality", "attentions",
        *PEOPLE_FIELDS, "notes",
    ),
}  # fmt: skip
# Free texts, and whether a person's name is refused in them: titles may honour someone
# ("Cátedra Rosario Castellanos"); notes and target groups never name anybody.
TEXT_FIELDS: dict[str, dict[str, bool]] = {
    # The organiser is an institution: a person's name there is refused like in the notes.
    "training": {"name": False, "topic": False, "organiser": True, "notes": True},
    "affirmative": {"name": False, "legal_basis": False, "target_group": True, "notes": True},
    "participation": {"name": False, "notes": True},
    "service": {"notes": True},
}


def check_personal_data(register: str, data: dict[str, Any], *, allowed=()) -> None:
    """ValidationError({field: message}) for every free text that looks like personal data."""
    errors = {}
    for field, names in TEXT_FIELDS[register].items():
        value = data.get(field)
        if isinstance(value, str):
            found = find_personal_data(value, allowed=allowed, names=names)
            if found:
                errors[field] = personal_data_message(found)
    if errors:
        raise ValidationError(errors)


def _plain(value):
    if hasattr(value, "pk"):
        return str(value)
    return value


def _assign(entry: RegisterEntry, register: str, data: dict[str, Any]) -> dict[str, list]:
    """Set the register's fields from ``data`` (texts cleaned); the changes made."""
    changes: dict[str, list] = {}
    model = type(entry)
    for name in ENTRY_FIELDS[register]:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            field = model._meta.get_field(name)
            value = clean_text(value, field=name, max_length=field.max_length or 5000)
        before = getattr(entry, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(entry, name, value)
    return changes


def _municipality_names(entry: RegisterEntry, data: dict[str, Any]) -> list[str]:
    """Places the entry names on purpose are not read as people ("Guadalupe Victoria")."""
    names = []
    municipality = data.get("municipality") or getattr(entry, "municipality", None)
    if municipality is not None:
        names.append(municipality.name)
    return names


def entry_save(
    *,
    actor: Actor,
    register: str,
    institution=None,
    entry: RegisterEntry | None = None,
    municipalities=None,
    is_synthetic: bool = False,
    **data,
) -> RegisterEntry:
    """Create an entry for ``institution``, or change ``entry``. Bad input raises
    ValidationError and changes nothing; a change with nothing new writes nothing."""
    model = REGISTER_MODELS[register]
    creating = entry is None
    if creating:
        entry = model(institution=institution, is_synthetic=is_synthetic)
        if actor is not None and getattr(actor, "is_authenticated", False):
            entry.created_by = actor
    # Personal data is named with the other mistakes, so that one correction is enough.
    try:
        check_personal_data(register, data, allowed=_municipality_names(entry, data))
    except ValidationError as exc:
        personal = exc.message_dict
    else:
        personal = {}
    changes = _assign(entry, register, data)
    many = None
    # Asked of the model: the relation's manager on an unsaved entry raises ValueError.
    if municipalities is not None and "municipalities" in {
        field.name for field in model._meta.many_to_many
    }:
        many = sorted(municipalities, key=lambda m: m.code)
        before = [] if creating else sorted(entry.municipalities.all(), key=lambda m: m.code)
        if [m.pk for m in before] != [m.pk for m in many]:
            changes["municipalities"] = [
                [m.code for m in before],
                [m.code for m in many],
            ]
    if not creating and not changes and not personal:
        return entry
    try:
        entry.full_clean(exclude=["created_by", "counted_on"])
    except ValidationError as exc:
        errors = exc.message_dict
        for field, messages in personal.items():
            errors[field] = [*messages, *errors.get(field, [])]
        raise ValidationError(errors) from None
    if personal:
        raise ValidationError(personal)
    with transaction.atomic():
        entry.save()
        if many is not None:
            entry.municipalities.set(many)
        audit_record(
            actor=actor,
            verb=f"{register}.create" if creating else f"{register}.update",
            target=entry,
            institution=entry.institution,
            changes=changes,
        )
    return entry


class RowRefused(ValidationError):
    """A row of ``entries_create_many`` that ``entry_save`` would refuse; ``index`` is its
    place in the rows given (from 0)."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(error)
        self.index = index


class EntriesConflict(ValidationError):
    """An entry the database's own rules refuse (one recorded meanwhile): nothing was written."""


def entries_create_many(
    *, actor: Actor, register: str, institution, rows: list[tuple[dict[str, Any], Any]]
) -> list[RegisterEntry]:
    """Create many entries of ``institution`` at once, all or none: ``rows`` are (fields,
    municipalities or None), as ``entry_save`` takes them, with the municipalities and systems
    already read from the database (the caller reads them in one query).

    Each row gets ``entry_save``'s checks without a query of its own: personal data, cleaned
    texts, the model's fields and ``clean()``. What needs the database is checked in bulk:
    the caller compares the rows with the entries already recorded (``importing`` does), and
    the database's unique and check constraints are the last guard, inside the transaction
    (``EntriesConflict``). One insert per batch of entries, of their municipalities and of
    their audit events (the same event ``entry_save`` leaves). ``RowRefused`` says which row
    is refused."""
    from transversal.audit.services import audit_record_many

    model = REGISTER_MODELS[register]
    creator = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    links = {field.name: field for field in model._meta.many_to_many}
    foreign = [f.name for f in model._meta.concrete_fields if f.is_relation]
    entries, changes, places = [], [], []
    for index, (data, municipalities) in enumerate(rows):
        entry = model(institution=institution, created_by=creator)
        try:
            _check_related(entry, data, foreign)
            check_personal_data(register, data, allowed=_municipality_names(entry, data))
            change = _assign(entry, register, data)
            # Foreign keys were read by the caller; uniqueness and constraints: see above.
            entry.full_clean(
                exclude=[*foreign, "counted_on"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise RowRefused(index, exc) from None
        many = None
        if municipalities is not None and "municipalities" in links:
            many = sorted(municipalities, key=lambda m: m.code)
            if many:
                change["municipalities"] = [[], [m.code for m in many]]
        entry.counted_on = entry.count_date()  # what save() does; bulk_create skips save()
        entries.append(entry)
        changes.append(change)
        places.append(many)
    try:
        with transaction.atomic():
            model.objects.bulk_create(entries)
            _with_keys(model, entries)
            if "municipalities" in links:
                _link_municipalities(links["municipalities"], entries, places)
            audit_record_many(
                actor=actor,
                verb=f"{register}.create",
                events=list(zip(entries, changes, strict=True)),
                institution=institution,
            )
    except IntegrityError:
        raise EntriesConflict(
            _(
                "Mientras se guardaban, alguien capturó un registro igual a uno de estos. No se "
                "guardó nada: revise los registros existentes y vuelva a intentarlo."
            )
        ) from None
    return entries


def _check_related(entry: RegisterEntry, data: dict[str, Any], foreign: list[str]) -> None:
    """A related object given to ``entries_create_many`` is one read from the database."""
    for name in foreign:
        value = data.get(name)
        if value is None:
            continue
        related = type(entry)._meta.get_field(name).related_model
        if not isinstance(value, related) or value.pk is None:
            raise ValidationError({name: _("No existe.")})


def _with_keys(model, entries: list[RegisterEntry]) -> None:
    """SQLite (3.35 on) and PostgreSQL return the keys of a bulk insert; the events need them."""
    if any(entry.pk is None for entry in entries):
        raise RuntimeError(f"{model._meta.label}: the database did not return the new keys")


def _link_municipalities(field, entries: list[RegisterEntry], places: list) -> None:
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    through.objects.bulk_create(
        through(**{source: entry.pk, target: place.pk})
        for entry, many in zip(entries, places, strict=True)
        for place in many or ()
    )


def entry_delete(*, actor: Actor, entry: RegisterEntry, reason: str) -> None:
    """Delete an entry that no report has counted: a counted one is corrected, not deleted."""
    reason = clean_text(reason, field="reason", required=_("Indique el motivo de la baja."))
    if counted_by_reports(entry):
        raise ValidationError(
            {
                "reason": _(
                    "Este registro sustenta el valor de un reporte de avance: corríjalo en "
                    "lugar de eliminarlo."
                )
            }
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=f"{entry.kind}.delete",
            target=entry,
            institution=entry.institution,
            changes={"entry": [str(entry), None]},
            note=reason,
        )
        EntryEvidence.objects.filter(entry_code=entry.code).delete()
        entry.delete()


def evidence_add(
    *, actor: Actor, entry: RegisterEntry, upload, filename: str, description: str = ""
) -> EntryEvidence:
    info = checked_evidence(upload, filename)
    if EntryEvidence.objects.filter(entry_code=entry.code, sha256=info.sha256).exists():
        raise ValidationError({"file": _("Este archivo ya está adjunto a este registro.")})
    description = clean_text(description, field="description", max_length=300)
    found = find_personal_data(description)
    if found:
        raise ValidationError({"description": personal_data_message(found)})
    evidence = EntryEvidence(
        institution=entry.institution,
        register=entry.kind,
        entry_code=entry.code,
        description=description,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **evidence_fields(info),
    )
    with transaction.atomic():
        save_with_file(evidence, upload, exclude=["uploaded_by"])
        audit_record(
            actor=actor,
            verb=f"{entry.kind}.evidence_add",
            target=entry,
            institution=entry.institution,
            changes={"evidence": [None, info.filename]},
        )
    return evidence


def feed_save(
    *, actor: Actor, indicator, register: str, aggregation: str, filters: dict | None = None
) -> IndicatorFeed:
    """Declare (or change) the register an indicator's value is computed from."""
    if register not in REGISTER_MODELS:
        raise ValidationError({"register": _("Registro desconocido.")})
    if aggregation not in AGGREGATIONS_BY_REGISTER[register]:
        raise ValidationError({"aggregation": _("Ese cálculo no existe para este registro.")})
    from transversal.registers.feeds import aggregation_refusal, clean_filters

    refusal = aggregation_refusal(aggregation, indicator)
    if refusal:
        raise ValidationError({"aggregation": refusal})
    filters = clean_filters(register, filters)
    feed = IndicatorFeed.objects.filter(indicator=indicator).first()
    creating = feed is None
    before = None if creating else [feed.register, feed.aggregation, feed.filters]
    after = [register, aggregation, filters]
    if before == after:
        return feed
    with transaction.atomic():
        feed, _created = IndicatorFeed.objects.update_or_create(
            indicator=indicator,
            defaults={"register": register, "aggregation": aggregation, "filters": filters},
        )
        audit_record(
            actor=actor,
            verb="indicator.feed_save",
            target=indicator,
            institution=indicator.owner,
            changes={"register_feed": [before, after]},
        )
    return feed


def feed_remove(*, actor: Actor, indicator) -> bool:
    """The indicator's value is typed again each period: its register source is removed. The
    proposals already made stay with their reports (they say where each figure came from).
    False when there was no source."""
    feed = IndicatorFeed.objects.filter(indicator=indicator).first()
    if feed is None:
        return False
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="indicator.feed_remove",
            target=indicator,
            institution=indicator.owner,
            changes={"register_feed": [[feed.register, feed.aggregation, feed.filters], None]},
        )
        feed.delete()
    return True

"""Writes of the registers: entries, their evidence files and an indicator's register feed.

Each write is atomic and leaves one audit event. Every free text is checked for personal data
(``core.pii``) before anything is saved: a register counts people and never names them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
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
    "training": {"name": False, "topic": False, "organiser": False, "notes": True},
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
    check_personal_data(register, data, allowed=_municipality_names(entry, data))
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
    if not creating and not changes:
        return entry
    entry.full_clean(exclude=["created_by", "counted_on"])
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

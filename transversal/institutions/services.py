"""Writes to institutions. Each service runs in one transaction and leaves one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record, diff, snapshot
from transversal.core.typing import Actor
from transversal.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionName,
    InstitutionObjective,
    NameChange,
)
from transversal.institutions.state_institutes import INSTITUTES, StateInstitute
from transversal.territory.models import Municipality, State

PROFILE_FIELDS = (
    "legal_form",
    "legal_form_other",
    "operating_status",
    "agency_name",
    "head_name",
    "head_charge",
    "source",
    "creation_instrument",
    "creation_number",
    "creation_date",
    "creation_gazette",
    "mission",
    "vision",
)


@transaction.atomic
def institution_create(
    *,
    actor: Actor,
    slug: str,
    kind: str,
    state=None,
    municipality: Municipality | None = None,
    name: str,
    acronym: str = "",
    name_valid_from: dt.date | None = None,
    **profile,
) -> Institution:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    institution = Institution(
        slug=slug, kind=kind, state=state, municipality=municipality, **profile
    )
    institution.full_clean()
    institution.save()
    # The first name carries the creation instrument: its history starts there.
    first = InstitutionName(
        institution=institution,
        sequence=1,
        name=name.strip(),
        acronym=acronym.strip(),
        change=NameChange.CREATION,
        legal_form=institution.legal_form,
        legal_form_other=institution.legal_form_other,
        valid_from=name_valid_from,
        instrument=institution.creation_instrument,
        instrument_number=institution.creation_number,
        instrument_date=institution.creation_date,
        instrument_gazette=institution.creation_gazette,
        source=institution.source,
    )
    first.full_clean()
    first.save()
    changes = {"name": [None, first.name], **{k: [None, v] for k, v in profile.items() if v}}
    if municipality is not None:
        changes["municipality"] = [None, f"{municipality.code} {municipality.name}"]
    audit_record(
        actor=actor,
        verb="institution.create",
        target=institution,
        institution=institution,
        changes=changes,
    )
    return institution


REGISTRY_KINDS = (
    InstitutionKind.STATE_IMEF,
    InstitutionKind.MUNICIPAL_IMM,
    InstitutionKind.GENDER_UNIT,
    InstitutionKind.STATE_AGENCY,
)


RESERVED_SLUGS = frozenset({"nueva"})  # /instituciones/nueva/ is the registration form


def _unique_slug(name: str, state: State | None) -> str:
    """A readable public key: the name and the state, numbered when taken."""
    base = slugify(f"{name} {state.short_name if state else ''}")[:54].strip("-") or "institucion"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Institution.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def institution_register(
    *,
    actor: Actor,
    kind: str,
    state: State,
    name: str,
    acronym: str = "",
    municipality: Municipality | None = None,
    name_valid_from: dt.date | None = None,
    slug: str = "",
    **profile,
) -> Institution:
    """A new entry in the registry of institutions, with the registry's rules: a municipal
    instance names an active municipality of its state, a gender unit its agency."""
    if kind not in REGISTRY_KINDS:
        raise ValidationError({"kind": _("Elija un tipo de institución del registro.")})
    if kind == InstitutionKind.MUNICIPAL_IMM:
        if municipality is None:
            raise ValidationError(
                {"municipality": _("Una instancia municipal requiere su municipio.")}
            )
        if municipality.state_id != state.pk:
            raise ValidationError(
                {"municipality": _("El municipio debe pertenecer a la entidad elegida.")}
            )
        if not municipality.is_active:
            raise ValidationError(
                {"municipality": _("El municipio está dado de baja en el catálogo del INEGI.")}
            )
    else:
        municipality = None
    if not name.strip():
        raise ValidationError({"name": _("Escriba el nombre de la institución.")})
    return institution_create(
        actor=actor,
        slug=slug or _unique_slug(acronym or name, state),
        kind=kind,
        state=state,
        municipality=municipality,
        name=name,
        acronym=acronym,
        name_valid_from=name_valid_from,
        **profile,
    )


@transaction.atomic
def institution_update_profile(
    *, actor: Actor, institution: Institution, objectives: Sequence[str] | None = None, **profile
) -> dict:
    """Change profile fields and, if given, the list of institutional objectives."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    institution = Institution.objects.select_for_update(of=("self",)).get(pk=institution.pk)
    before = snapshot(institution, PROFILE_FIELDS)
    for key, value in profile.items():
        setattr(institution, key, value)
    institution.full_clean()
    changes = diff(before, snapshot(institution, PROFILE_FIELDS))
    if objectives is not None:
        old = list(institution.objectives.order_by("number").values_list("text", flat=True))
        new = [text.strip() for text in objectives if text.strip()]
        if old != new:
            institution.objectives.all().delete()  # the audit event keeps the old list
            InstitutionObjective.objects.bulk_create(
                InstitutionObjective(institution=institution, number=i, text=text)
                for i, text in enumerate(new, start=1)
            )
            changes["objectives"] = [old, new]
    if not changes:
        return {}
    institution.save()
    audit_record(
        actor=actor,
        verb="institution.update",
        target=institution,
        institution=institution,
        changes=changes,
    )
    return changes


@transaction.atomic
def institution_name_add(
    *,
    actor: Actor,
    institution: Institution,
    name: str,
    acronym: str = "",
    change: str = NameChange.RENAME,
    legal_form: str = "",
    legal_form_other: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    instrument: str = "",
    instrument_number: str = "",
    instrument_date: dt.date | None = None,
    instrument_gazette: str = "",
    source: str = "",
) -> InstitutionName:
    """Record a rename or a transformation with its instrument. The previous name's end is set
    the day before, when both dates are known; an unknown date stays unknown."""
    institution = Institution.objects.select_for_update(of=("self",)).get(pk=institution.pk)
    previous = institution.names.order_by("-sequence").first()
    if (
        previous is not None
        and previous.valid_from is not None
        and valid_from is not None
        and valid_from <= previous.valid_from
    ):
        raise ValidationError(
            {
                "valid_from": _(
                    "El nuevo nombre debe entrar en vigor después del %(day)s, cuando empezó "
                    "el nombre anterior."
                )
                % {"day": previous.valid_from.strftime("%d/%m/%Y")}
            }
        )
    record = InstitutionName(
        institution=institution,
        sequence=(previous.sequence + 1) if previous else 1,
        name=name.strip(),
        acronym=acronym.strip(),
        change=change or NameChange.RENAME,
        legal_form=legal_form.strip(),
        legal_form_other=legal_form_other.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        instrument=instrument.strip(),
        instrument_number=instrument_number.strip(),
        instrument_date=instrument_date,
        instrument_gazette=instrument_gazette.strip(),
        source=source.strip(),
    )
    record.full_clean()
    if previous and previous.valid_to is None and valid_from is not None:
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.full_clean()
        previous.save(update_fields=["valid_to"])
    record.save()
    changes = {
        "name": [str(previous) if previous else None, str(record)],
        "change": [None, record.change],
        "valid_from": [None, valid_from],
    }
    for key in ("instrument", "instrument_number", "instrument_date", "instrument_gazette"):
        if getattr(record, key):
            changes[key] = [None, getattr(record, key)]
    if record.legal_form and (record.legal_form, record.legal_form_other) != (
        institution.legal_form,
        institution.legal_form_other,
    ):
        changes["legal_form"] = [institution.legal_form_text, record.legal_form_text]
        institution.legal_form = record.legal_form
        institution.legal_form_other = record.legal_form_other
        institution.save(update_fields=["legal_form", "legal_form_other", "updated_at"])
    audit_record(
        actor=actor,
        verb="institution.rename",
        target=institution,
        institution=institution,
        changes=changes,
    )
    return record


@transaction.atomic
def institution_name_add_past(
    *,
    actor: Actor,
    institution: Institution,
    name: str,
    valid_from: dt.date,
    change: str = NameChange.RENAME,
    legal_form: str = "",
    legal_form_other: str = "",
    source: str = "",
) -> InstitutionName:
    """Record a dated former name (a step of the institution's history read from a document)
    in its place among the recorded names: before the first former name that starts later or
    has no date, or else just before the current name, which stays current. Its end is the day
    before the next name starts, when that is known; the name before it ends the day before."""
    institution = Institution.objects.select_for_update(of=("self",)).get(pk=institution.pk)
    names = list(institution.names.order_by("sequence"))
    if not names:
        raise ValidationError(_("La institución no tiene un nombre vigente registrado."))
    # An undated name is placed after the document's dated steps: its date is unknown.
    later = [n for n in names[:-1] if n.valid_from is None or n.valid_from > valid_from]
    following = later[0] if later else names[-1]
    before = [n for n in names if n.sequence < following.sequence]
    if before and before[-1].valid_to is None and before[-1].valid_from is not None:
        if before[-1].valid_from < valid_from:
            before[-1].valid_to = valid_from - dt.timedelta(days=1)
            before[-1].save(update_fields=["valid_to"])
    for moved in reversed([n for n in names if n.sequence >= following.sequence]):
        moved.sequence += 1
        moved.save(update_fields=["sequence"])
    valid_to = None
    if following.valid_from is not None:
        valid_to = following.valid_from - dt.timedelta(days=1)
    record = InstitutionName(
        institution=institution,
        sequence=following.sequence - 1,
        name=name.strip(),
        change=change or NameChange.RENAME,
        legal_form=legal_form.strip(),
        legal_form_other=legal_form_other.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        source=source.strip(),
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        verb="institution.rename",
        target=institution,
        institution=institution,
        changes={
            "former_name": [None, str(record)],
            "change": [None, record.change],
            "valid_from": [None, valid_from],
            **({"legal_form": [None, record.legal_form_text]} if record.legal_form else {}),
        },
    )
    return record


@dataclass
class StateInstitutesReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already registered: left as people left it
    other_institute: list[str] = field(default_factory=list)  # the state has another IMEF
    missing_state: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


@transaction.atomic
def state_institutes_load(
    *, actor: Actor = None, institutes: Sequence[StateInstitute] | None = None
) -> StateInstitutesReport:
    """Create the state institutes of the reference module that are missing; never touch one
    that exists (people may have edited it), nor a state that registers another institute.
    Repeating it changes nothing."""
    report = StateInstitutesReport()
    states = {state.code: state for state in State.objects.all()}
    existing = set(
        Institution.objects.filter(slug__in=[i.slug for i in institutes or INSTITUTES]).values_list(
            "slug", flat=True
        )
    )
    with_imef = set(
        Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).values_list(
            "state__code", flat=True
        )
    )
    for institute in institutes or INSTITUTES:
        label = f"{institute.state_code} {institute.current.name}"
        state = states.get(institute.state_code)
        if state is None:
            report.missing_state.append(label)
        elif institute.slug in existing:
            report.kept.append(label)
        elif institute.state_code in with_imef:
            report.other_institute.append(label)
        else:
            _create_state_institute(actor, institute, state)
            report.created.append(label)
    return report


def _create_state_institute(actor: Actor, institute: StateInstitute, state: State) -> None:
    first, *later = institute.names
    institution = institution_create(
        actor=actor,
        slug=institute.slug,
        kind=InstitutionKind.STATE_IMEF,
        state=state,
        name=first.name,
        acronym=first.acronym,
        name_valid_from=first.valid_from,
        legal_form=first.legal_form,
        creation_instrument=institute.creation_instrument or first.instrument,
        creation_number=institute.creation_number or first.instrument_number,
        creation_date=institute.creation_date or first.instrument_date,
        creation_gazette=institute.creation_gazette or first.instrument_gazette,
        source=institute.source or first.source,
    )
    # The creation name keeps its own instrument and source as recorded.
    InstitutionName.objects.filter(institution=institution, sequence=1).update(
        instrument=first.instrument,
        instrument_number=first.instrument_number,
        instrument_date=first.instrument_date,
        instrument_gazette=first.instrument_gazette,
        source=first.source,
    )
    for fact in later:
        institution_name_add(
            actor=actor,
            institution=institution,
            name=fact.name,
            acronym=fact.acronym,
            change=fact.change,
            legal_form=fact.legal_form,
            valid_from=fact.valid_from,
            instrument=fact.instrument,
            instrument_number=fact.instrument_number,
            instrument_date=fact.instrument_date,
            instrument_gazette=fact.instrument_gazette,
            source=fact.source,
        )
    if institute.legal_form and institution.legal_form != institute.legal_form:
        Institution.objects.filter(pk=institution.pk).update(legal_form=institute.legal_form)

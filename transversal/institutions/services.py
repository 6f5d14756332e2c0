"""Writes to institutions. Each service runs in one transaction and leaves one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from transversal.audit.services import audit_record, diff, snapshot
from transversal.core.typing import Actor
from transversal.institutions.models import (
    Institution,
    InstitutionName,
    InstitutionObjective,
)

PROFILE_FIELDS = (
    "legal_form",
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
    name: str,
    acronym: str = "",
    name_valid_from: dt.date | None = None,
    **profile,
) -> Institution:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    institution = Institution(slug=slug, kind=kind, state=state, **profile)
    institution.full_clean()
    institution.save()
    first = InstitutionName(
        institution=institution,
        sequence=1,
        name=name,
        acronym=acronym,
        legal_form=profile.get("legal_form", ""),
        valid_from=name_valid_from,
    )
    first.full_clean()
    first.save()
    audit_record(
        actor=actor,
        verb="institution.create",
        target=institution,
        institution=institution,
        changes={"name": [None, name], **{k: [None, v] for k, v in profile.items()}},
    )
    return institution


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
    legal_form: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    source: str = "",
) -> InstitutionName:
    """Record a new name. The previous name's end is set the day before, when both dates are
    known."""
    institution = Institution.objects.select_for_update(of=("self",)).get(pk=institution.pk)
    previous = institution.names.order_by("-sequence").first()
    record = InstitutionName(
        institution=institution,
        sequence=(previous.sequence + 1) if previous else 1,
        name=name.strip(),
        acronym=acronym.strip(),
        legal_form=legal_form.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        source=source.strip(),
    )
    record.full_clean()
    if previous and previous.valid_to is None and valid_from is not None:
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.full_clean()
        previous.save(update_fields=["valid_to"])
    record.save()
    if legal_form and legal_form != institution.legal_form:
        institution.legal_form = legal_form
        institution.save(update_fields=["legal_form", "updated_at"])
    audit_record(
        actor=actor,
        verb="institution.rename",
        target=institution,
        institution=institution,
        changes={
            "name": [str(previous) if previous else None, str(record)],
            "valid_from": [None, valid_from],
        },
    )
    return record

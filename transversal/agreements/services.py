"""Writes to agreements. Each service runs in one transaction and leaves one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from transversal.agreements.models import (
    TRANSITIONS,
    Agreement,
    AgreementAmendment,
    AgreementSignatory,
    AgreementStatus,
    AgreementStatusChange,
    Commitment,
    Goal,
    TechnicalAssistance,
)
from transversal.audit.services import audit_record, diff, snapshot
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import EVIDENCE_KINDS, MB, UploadRejected, inspect_upload
from transversal.institutions.models import Institution

AGREEMENT_FIELDS = (
    "round",
    "title",
    "signed_on",
    "valid_from",
    "valid_to",
    "purpose",
    "emphasis_areas",
    "is_synthetic",
)
COMMITMENT_FIELDS = ("text", "area")
GOAL_FIELDS = ("number", "description", "due_date", "area", "evidence_required")
PDF_ONLY = frozenset({"pdf"})


def _checked_upload(upload, *, field: str, allowed: frozenset[str]) -> str:
    """Inspect an uploaded file; return the cleaned display name or raise a field error."""
    try:
        info = inspect_upload(
            upload, upload.name, allowed=allowed, max_bytes=settings.EVIDENCE_MAX_MB * MB
        )
    except UploadRejected as exc:
        raise ValidationError({field: exc.message}) from None
    return info.filename


def _attach(instance, field: str, name_field: str, upload, allowed: frozenset[str]) -> str:
    """Validate and attach a file to ``instance`` (saved with the instance)."""
    filename = _checked_upload(upload, field=field, allowed=allowed)
    getattr(instance, field).save(filename, upload, save=False)
    setattr(instance, name_field, filename)
    return filename


def _areas(values: Sequence[str] | None) -> list[str]:
    return list(dict.fromkeys(values or []))


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    national_institution: Institution,
    state_institution: Institution,
    title: str,
    round: str = "",  # noqa: A002 - the domain's word
    signed_on: dt.date | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    purpose: str = "",
    emphasis_areas: Sequence[str] | None = None,
    signed_document=None,
    is_synthetic: bool = False,
) -> Agreement:
    agreement = Agreement(
        national_institution=national_institution,
        state_id=state_institution.state_id,
        state_institution=state_institution,
        round=round.strip(),
        title=title.strip(),
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        purpose=purpose.strip(),
        emphasis_areas=_areas(emphasis_areas),
        is_synthetic=is_synthetic,
    )
    agreement.full_clean(exclude=["signed_document"])
    changes = {
        k: [None, v]
        for k, v in snapshot(agreement, AGREEMENT_FIELDS).items()
        if v not in (None, "", [])
    }
    if signed_document is not None:
        changes["signed_document"] = [
            None,
            _attach(
                agreement, "signed_document", "signed_document_name", signed_document, PDF_ONLY
            ),
        ]
    agreement.save()
    audit_record(
        actor=actor,
        verb="agreement.create",
        target=agreement,
        institution=state_institution,
        changes={"state_institution": [None, str(state_institution)], **changes},
    )
    return agreement


@transaction.atomic
def agreement_update(*, actor: Actor, agreement: Agreement, signed_document=None, **fields) -> dict:
    """Change the agreement's data and, if given, replace its signed document."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    agreement = (
        Agreement.objects.with_parties().select_for_update(of=("self",)).get(pk=agreement.pk)
    )
    before = snapshot(agreement, AGREEMENT_FIELDS)
    for key, value in fields.items():
        if key == "emphasis_areas":
            value = _areas(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(agreement, key, value)
    agreement.full_clean(exclude=["signed_document"])
    changes = diff(before, snapshot(agreement, AGREEMENT_FIELDS))
    if signed_document is not None:
        old = agreement.signed_document_name or None
        changes["signed_document"] = [
            old,
            _attach(
                agreement, "signed_document", "signed_document_name", signed_document, PDF_ONLY
            ),
        ]
    if not changes:
        return {}
    agreement.save()
    audit_record(
        actor=actor,
        verb="agreement.update",
        target=agreement,
        institution=agreement.state_institution,
        changes=changes,
    )
    return changes


@transaction.atomic
def agreement_transition(
    *, actor: Actor, agreement: Agreement, to_status: str, on: dt.date, note: str = ""
) -> AgreementStatusChange:
    """Move the agreement along draft → signed → in force → concluded, or terminate it with a
    reason."""
    agreement = (
        Agreement.objects.with_parties().select_for_update(of=("self",)).get(pk=agreement.pk)
    )
    labels = dict(AgreementStatus.choices)
    note = note.strip()
    if to_status not in TRANSITIONS.get(agreement.status, frozenset()):
        raise ValidationError(
            {
                "to_status": _("Un convenio en estado «%(from)s» no puede pasar a «%(to)s».")
                % {
                    "from": labels.get(agreement.status, agreement.status),
                    "to": labels.get(to_status, to_status),
                }
            }
        )
    if to_status == AgreementStatus.TERMINATED and not note:
        raise ValidationError({"note": _("Explique el motivo de la terminación anticipada.")})
    if on is None:
        raise ValidationError({"on": _("Indique la fecha del cambio de estado.")})
    change = AgreementStatusChange(
        agreement=agreement,
        from_status=agreement.status,
        to_status=to_status,
        on=on,
        note=note,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    change.full_clean()
    changes = {"status": [agreement.status, to_status], "on": [None, on]}
    agreement.status = to_status
    update_fields = ["status", "updated_at"]
    if to_status == AgreementStatus.SIGNED and agreement.signed_on is None:
        agreement.signed_on = on
        update_fields.append("signed_on")
        changes["signed_on"] = [None, on]
    agreement.save(update_fields=update_fields)
    change.save()
    audit_record(
        actor=actor,
        verb="agreement.transition",
        target=agreement,
        institution=agreement.state_institution,
        changes=changes,
        note=note,
    )
    return change


@transaction.atomic
def amendment_add(
    *, actor: Actor, agreement: Agreement, signed_on: dt.date, summary: str, document=None
) -> AgreementAmendment:
    agreement = (
        Agreement.objects.with_parties().select_for_update(of=("self",)).get(pk=agreement.pk)
    )
    if agreement.status == AgreementStatus.DRAFT:
        raise ValidationError(
            _(
                "Un convenio en borrador se corrige directamente; aún no admite convenios "
                "modificatorios."
            )
        )
    last = agreement.amendments.order_by("-number").values_list("number", flat=True).first() or 0
    amendment = AgreementAmendment(
        agreement=agreement, number=last + 1, signed_on=signed_on, summary=summary.strip()
    )
    amendment.full_clean(exclude=["document"])
    changes = {
        "number": [None, amendment.number],
        "signed_on": [None, signed_on],
        "summary": [None, amendment.summary],
    }
    if document is not None:
        changes["document"] = [
            None,
            _attach(amendment, "document", "document_name", document, PDF_ONLY),
        ]
    amendment.save()
    audit_record(
        actor=actor,
        verb="agreement.amendment_add",
        target=amendment,
        institution=agreement.state_institution,
        changes=changes,
    )
    return amendment


@transaction.atomic
def signatory_add(
    *, actor: Actor, agreement: Agreement, side: str, charge: str, name: str = ""
) -> AgreementSignatory:
    """Record who signs the convenio, by charge (the name is optional)."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    last = agreement.signatories.order_by("-order").values_list("order", flat=True).first()
    signatory = AgreementSignatory(
        agreement=agreement,
        side=side,
        charge=clean_text(charge, field="charge", required=_("Indique el cargo de quien firma.")),
        name=clean_text(name, field="name"),
        order=(last or 0) + 1,
    )
    signatory.full_clean()
    signatory.save()
    audit_record(
        actor=actor,
        verb="agreement.signatory_add",
        target=signatory,
        institution=agreement.state_institution,
        changes={
            "side": [None, side],
            "charge": [None, signatory.charge],
            "name": [None, signatory.name],
        },
    )
    return signatory


@transaction.atomic
def commitment_add(
    *,
    actor: Actor,
    agreement: Agreement,
    party: str,
    text: str,
    area: str = "",
    number: int | None = None,
) -> Commitment:
    agreement = (
        Agreement.objects.with_parties().select_for_update(of=("self",)).get(pk=agreement.pk)
    )
    if number is None:
        last = (
            agreement.commitments.filter(party=party)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        number = (last or 0) + 1
    commitment = Commitment(
        agreement=agreement, party=party, number=number, text=text.strip(), area=area
    )
    commitment.full_clean()
    commitment.save()
    audit_record(
        actor=actor,
        verb="agreement.commitment_add",
        target=commitment,
        institution=agreement.state_institution,
        changes={
            "party": [None, party],
            "number": [None, number],
            "text": [None, commitment.text],
            "area": [None, area],
        },
    )
    return commitment


@transaction.atomic
def commitment_update(*, actor: Actor, commitment: Commitment, **fields) -> dict:
    unknown = set(fields) - set(COMMITMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown commitment fields: {sorted(unknown)}")
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agreement__state_institution")
        .get(pk=commitment.pk)
    )
    before = snapshot(commitment, COMMITMENT_FIELDS)
    for key, value in fields.items():
        setattr(commitment, key, value.strip() if isinstance(value, str) else value)
    commitment.full_clean()
    changes = diff(before, snapshot(commitment, COMMITMENT_FIELDS))
    if not changes:
        return {}
    commitment.save()
    audit_record(
        actor=actor,
        verb="agreement.commitment_update",
        target=commitment,
        institution=commitment.agreement.state_institution,
        changes=changes,
    )
    return changes


@transaction.atomic
def goal_add(
    *,
    actor: Actor,
    agreement: Agreement,
    number: int,
    description: str,
    due_date: dt.date | None = None,
    area: str = "",
    evidence_required: bool = False,
    is_synthetic: bool = False,
) -> Goal:
    agreement = (
        Agreement.objects.with_parties().select_for_update(of=("self",)).get(pk=agreement.pk)
    )
    goal = Goal(
        agreement=agreement,
        number=number,
        description=description.strip(),
        due_date=due_date,
        area=area,
        evidence_required=evidence_required,
        is_synthetic=is_synthetic,
    )
    goal.full_clean()
    goal.save()
    audit_record(
        actor=actor,
        verb="agreement.goal_add",
        target=goal,
        institution=agreement.state_institution,
        changes={k: [None, v] for k, v in snapshot(goal, (*GOAL_FIELDS, "is_synthetic")).items()},
    )
    return goal


@transaction.atomic
def goal_update(*, actor: Actor, goal: Goal, **fields) -> dict:
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    goal = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("agreement__state_institution")
        .get(pk=goal.pk)
    )
    before = snapshot(goal, GOAL_FIELDS)
    for key, value in fields.items():
        setattr(goal, key, value.strip() if isinstance(value, str) else value)
    goal.full_clean()
    changes = diff(before, snapshot(goal, GOAL_FIELDS))
    if not changes:
        return {}
    goal.save()
    audit_record(
        actor=actor,
        verb="agreement.goal_update",
        target=goal,
        institution=goal.agreement.state_institution,
        changes=changes,
    )
    return changes


ASSISTANCE_FIELDS = (
    "agreement",
    "recipient",
    "provider_institution",
    "provider_name",
    "topic",
    "area",
    "modality",
    "date",
    "hours",
    "participants_women",
    "participants_men",
    "participants_other",
    "outcome",
    "is_synthetic",
)


@transaction.atomic
def assistance_record(
    *,
    actor: Actor,
    recipient: Institution,
    topic: str,
    modality: str,
    date: dt.date,
    hours: Decimal,
    agreement: Agreement | None = None,
    provider_institution: Institution | None = None,
    provider_name: str = "",
    area: str = "",
    participants_women: int = 0,
    participants_men: int = 0,
    participants_other: int = 0,
    outcome: str = "",
    evidence=None,
    is_synthetic: bool = False,
) -> TechnicalAssistance:
    """Record technical assistance received. Participants are aggregated counts, never names."""
    record = TechnicalAssistance(
        agreement=agreement,
        recipient=recipient,
        provider_institution=provider_institution,
        provider_name=provider_name.strip(),
        topic=topic.strip(),
        area=area,
        modality=modality,
        date=date,
        hours=hours,
        participants_women=participants_women,
        participants_men=participants_men,
        participants_other=participants_other,
        outcome=outcome.strip(),
        is_synthetic=is_synthetic,
    )
    record.full_clean(exclude=["evidence"])
    changes = {
        k: [None, v] for k, v in snapshot(record, ASSISTANCE_FIELDS).items() if v not in (None, "")
    }
    if evidence is not None:
        changes["evidence"] = [
            None,
            _attach(record, "evidence", "evidence_name", evidence, EVIDENCE_KINDS),
        ]
    record.save()
    audit_record(
        actor=actor,
        verb="agreement.assistance_record",
        target=record,
        institution=recipient,
        changes=changes,
    )
    return record

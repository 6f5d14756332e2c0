"""Writes on follow-up items: progress notes, evidence, done, verified, cancelled, reopened.

Each call locks the item, checks its status, writes and leaves one audit event. Access (who
is on the owner's side and who on the verifier's) is checked by the views through
``followup.access``; the four-eyes rule (nobody verifies what they reported) is checked here,
whatever the role.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record
from transversal.core.typing import Actor
from transversal.core.uploads import checked_evidence, evidence_fields, save_with_file
from transversal.followup.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    FollowUp,
    FollowUpEvidence,
    FollowUpNote,
    FollowUpStatus,
)
from transversal.institutions.models import display_name


def _lock(item: FollowUp) -> FollowUp:
    return (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("owner__state")
        .get(pk=item.pk)
    )


def _person(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _record(actor, verb: str, item: FollowUp, changes: dict, note: str = "") -> None:
    audit_record(
        actor=actor, verb=verb, target=item, institution=item.owner, changes=changes, note=note
    )


def _verifier(item: FollowUp) -> dict:
    """The verifier institution as named when its side decided: the verification's record keeps
    it (``selectors.latest_verification``), so a later change of the item's verifier or of the
    institution's name rewrites no history."""
    return {"verifier_institution": [None, display_name(item.verifier)]}


def _started(item: FollowUp) -> dict:
    """A first note or file moves an open item to "en proceso"."""
    if item.status != FollowUpStatus.OPEN:
        return {}
    item.status = FollowUpStatus.IN_PROGRESS
    item.save(update_fields=["status"])
    return {"status": [FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]}


def followup_create(
    *,
    kind: str,
    title: str,
    owner,
    verifier,
    text: str = "",
    co_owners=(),
    responsible_person: str = "",
    due_date: dt.date | None = None,
) -> FollowUp:
    """A new open item; called inside the subject's own create service, which audits it."""
    item = FollowUp(
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        owner=owner,
        verifier=verifier,
        responsible_person=responsible_person.strip(),
        due_date=due_date,
    )
    item.full_clean()
    item.save()
    item.co_owners.set([inst for inst in co_owners if inst.pk != owner.pk])
    return item


def followup_note_add(
    *, actor: Actor, item: FollowUp, text: str, on: dt.date | None = None
) -> FollowUpNote:
    """A dated progress note by the owner's side, while the item is open."""
    with transaction.atomic():
        item = _lock(item)
        if item.status not in OPEN_STATUSES:
            raise ValidationError(
                _("Solo se registran avances de un seguimiento abierto o en proceso.")
            )
        today = timezone.localdate()
        on = on or today
        if on > today:
            raise ValidationError({"on": _("La fecha del avance no puede ser futura.")})
        note = FollowUpNote(followup=item, on=on, text=text.strip(), author=_person(actor))
        note.full_clean()
        note.save()
        changes = {"note": [None, note.text[:200]], **_started(item)}
        _record(actor, "followup.note_add", item, changes)
    return note


def followup_evidence_add(
    *, actor: Actor, item: FollowUp, upload, filename: str, description: str = ""
) -> FollowUpEvidence:
    """A file checked by its content (core.uploads); the same file twice is refused."""
    info = checked_evidence(upload, filename)
    with transaction.atomic():
        item = _lock(item)
        if item.status not in OPEN_STATUSES:
            raise ValidationError(
                _("Solo se agregan evidencias a un seguimiento abierto o en proceso.")
            )
        twin = item.evidence.filter(sha256=info.sha256).first()
        if twin is not None:
            raise ValidationError(
                {
                    "file": _("Este archivo ya está adjunto como «%(name)s».")
                    % {"name": twin.original_name}
                }
            )
        evidence = FollowUpEvidence(
            followup=item,
            **evidence_fields(info),
            description=description.strip(),
            uploaded_by=_person(actor),
        )
        save_with_file(evidence, upload, exclude=["followup", "uploaded_by"])
        try:
            changes = {
                "evidence": [None, f"{info.filename} ({info.sha256[:12]})"],
                **_started(item),
            }
            _record(actor, "followup.evidence_add", item, changes)
        except Exception:
            evidence.file.delete(save=False)  # never leave an orphan file behind a failed write
            raise
    return evidence


def followup_mark_done(*, actor: Actor, item: FollowUp) -> FollowUp:
    """The owner says it is done; it waits for the verifier's side."""
    with transaction.atomic():
        item = _lock(item)
        if item.status not in OPEN_STATUSES:
            raise ValidationError(
                _("Solo se marca como atendido un seguimiento abierto o en proceso.")
            )
        if not item.notes.exists() and not item.evidence.exists():
            raise ValidationError(
                _("Registre al menos un avance o una evidencia antes de marcarlo como atendido.")
            )
        old = item.status
        item.status = FollowUpStatus.DONE
        item.done_by = _person(actor)
        item.done_on = timezone.localdate()
        item.save(update_fields=["status", "done_by", "done_on"])
        _record(
            actor,
            "followup.mark_done",
            item,
            {"status": [old, item.status], "done_on": [None, item.done_on]},
        )
    return item


def verify_refusal(item: FollowUp, user) -> str:
    """Why this person may not verify the item ("" when they may): nobody verifies what they
    reported or marked done, whatever their role (four eyes)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _("La verificación debe registrarla una persona identificada.")
    reported = (
        item.done_by_id == user.pk
        or item.notes.filter(author=user).exists()
        or item.evidence.filter(uploaded_by=user).exists()
    )
    if reported:
        return _(
            "No puede verificar este seguimiento porque usted registró sus avances o lo marcó "
            "como atendido: debe verificarlo otra persona (principio de cuatro ojos)."
        )
    return ""


def followup_verify(*, actor: Actor, item: FollowUp, note: str = "") -> FollowUp:
    """The verifier's side closes it as fulfilled, on recorded progress."""
    with transaction.atomic():
        item = _lock(item)
        if item.status in CLOSED_STATUSES:
            raise ValidationError(_("Este seguimiento ya está cerrado."))
        if not item.notes.exists() and not item.evidence.exists():
            raise ValidationError(
                _("No se puede verificar un seguimiento sin avances ni evidencias.")
            )
        refusal = verify_refusal(item, actor)
        if refusal:
            raise ValidationError(refusal)
        old = item.status
        item.status = FollowUpStatus.VERIFIED
        item.closed_by = _person(actor)
        item.closed_on = timezone.localdate()
        item.save(update_fields=["status", "closed_by", "closed_on"])
        _record(
            actor,
            "followup.verify",
            item,
            {
                "status": [old, item.status],
                "closed_on": [None, item.closed_on],
                **_verifier(item),
            },
            note=note.strip(),
        )
    return item


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Escriba el motivo.")})
    return reason


def followup_cancel(*, actor: Actor, item: FollowUp, reason: str) -> FollowUp:
    """The verifier's side cancels it, saying why."""
    reason = _reason(reason)
    with transaction.atomic():
        item = _lock(item)
        if item.status in CLOSED_STATUSES:
            raise ValidationError(_("Este seguimiento ya está cerrado."))
        old = item.status
        item.status = FollowUpStatus.CANCELLED
        item.cancel_reason = reason
        item.closed_by = _person(actor)
        item.closed_on = timezone.localdate()
        item.save(update_fields=["status", "cancel_reason", "closed_by", "closed_on"])
        _record(
            actor,
            "followup.cancel",
            item,
            {"status": [old, item.status], "reason": [None, reason], **_verifier(item)},
        )
    return item


def followup_reopen(*, actor: Actor, item: FollowUp, reason: str) -> FollowUp:
    """The verifier's side sends a done, verified or cancelled item back to "en proceso"."""
    reason = _reason(reason)
    with transaction.atomic():
        item = _lock(item)
        if item.status in OPEN_STATUSES:
            raise ValidationError(_("Este seguimiento ya está abierto."))
        old = item.status
        item.status = FollowUpStatus.IN_PROGRESS
        item.cancel_reason = ""
        item.done_by = item.closed_by = None
        item.done_on = item.closed_on = None
        item.save(
            update_fields=[
                "status",
                "cancel_reason",
                "done_by",
                "done_on",
                "closed_by",
                "closed_on",
            ]
        )
        _record(
            actor,
            "followup.reopen",
            item,
            {"status": [old, item.status], "reason": [None, reason], **_verifier(item)},
        )
    return item

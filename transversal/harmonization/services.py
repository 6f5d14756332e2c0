"""Writes of the harmonization matrix: the catalogue of provisions, the cells (edited by the
national coordination) and the states' proposals for their own cells (accepted, which applies
them to the cell, or returned with a reason). Each write is atomic and leaves one audit event
on the cell or the provision, so a cell's history page shows every step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.accounts.access import scope_for
from transversal.audit.services import audit_record
from transversal.core.access import forbidden
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.harmonization import access
from transversal.harmonization.models import (
    CITATION_FIELDS,
    Cell,
    CellProposal,
    ProposalStatus,
    Provision,
    Status,
    Topic,
    is_cited,
)
from transversal.territory.models import State

PROVISION_FIELDS = (
    "title",
    "topic",
    "federal_source",
    "federal_article",
    "dof_date",
    "url",
    "description",
    "order",
    "is_active",
)
SHORT = 300


def _require_manager(actor: Actor) -> None:
    # The system (the demo, commands) acts with actor=None.
    if actor is not None and not access.can_manage(scope_for(actor)):
        raise forbidden()


def _text(value, field: str, *, required: str | None = None, limit: int = SHORT) -> str:
    return clean_text(value, field=field, required=required, max_length=limit)


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date):
        raise ValidationError({field: _("Escriba la fecha como dd/mm/aaaa.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("La fecha de publicación no puede ser futura.")})
    if value.year < 1900:
        raise ValidationError({field: _("La fecha de publicación es anterior a 1900.")})
    return value


def _citation(values: dict[str, Any]) -> dict[str, Any]:
    """The citation fields, checked: a known status, trimmed texts, a past date."""
    status = values.get("status") or ""
    if status not in Status.values:
        raise ValidationError(
            {"status": _("Elija un estado: armonizada, parcial, pendiente o no aplica.")}
        )
    return {
        "status": status,
        "instrument": _text(values.get("instrument"), "instrument"),
        "article": _text(values.get("article"), "article", limit=120),
        "gazette": _text(values.get("gazette"), "gazette", limit=200),
        "published_on": _date(values.get("published_on"), "published_on"),
        "url": _text(values.get("url"), "url", limit=500),
        "notes": _text(values.get("notes"), "notes"),
    }


def _require_citation(citation: dict[str, Any]) -> None:
    if not is_cited(
        citation["instrument"], citation["article"], citation["gazette"], citation["published_on"]
    ):
        raise ValidationError(
            _(
                "Cite la fuente: el instrumento estatal y su artículo, o el periódico oficial "
                "y su fecha de publicación."
            )
        )


def _changes(obj, values: dict[str, Any]) -> dict[str, list]:
    return {
        name: [getattr(obj, name), value]
        for name, value in values.items()
        if getattr(obj, name) != value
    }


# Catalogue -----------------------------------------------------------------------------


def _provision_values(values: dict[str, Any]) -> dict[str, Any]:
    topic = values.get("topic") or ""
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Elija un tema del catálogo.")})
    order = values.get("order") or 0
    if not isinstance(order, int) or not 0 <= order <= 32767:
        raise ValidationError({"order": _("El orden es un número entero de 0 a 32,767.")})
    return {
        "title": _text(
            values.get("title"), "title", required=_("Escriba la disposición."), limit=200
        ),
        "topic": topic,
        "federal_source": _text(
            values.get("federal_source"),
            "federal_source",
            required=_("Escriba la ley o el instrumento federal de referencia."),
        ),
        "federal_article": _text(values.get("federal_article"), "federal_article", limit=120),
        "dof_date": _date(values.get("dof_date"), "dof_date"),
        "url": _text(values.get("url"), "url", limit=500),
        "description": _text(values.get("description"), "description", limit=5000),
        "order": order,
        "is_active": bool(values.get("is_active", True)),
    }


def provision_add(*, actor: Actor, slug: str, **values: Any) -> Provision:
    """A new provision of the catalogue, with one cell per state (pending, not yet verified)."""
    _require_manager(actor)
    slug = _text(slug, "slug", required=_("Escriba la clave de la disposición."), limit=60)
    cleaned = _provision_values(values)
    provision = Provision(slug=slug.lower(), **cleaned)
    provision.full_clean()
    with transaction.atomic():
        provision.save()
        Cell.objects.bulk_create(
            Cell(provision=provision, state=state, status=Status.PENDING)
            for state in State.objects.order_by("code")
        )
        audit_record(
            actor=actor,
            verb="provision.add",
            target=provision,
            changes={"slug": [None, provision.slug]}
            | {name: [None, value] for name, value in cleaned.items()},
        )
    return provision


def provision_update(*, actor: Actor, provision: Provision, **values: Any) -> Provision:
    _require_manager(actor)
    cleaned = _provision_values(values)
    changes = _changes(provision, cleaned)
    if not changes:
        return provision
    for name, value in cleaned.items():
        setattr(provision, name, value)
    provision.full_clean()
    with transaction.atomic():
        provision.save()
        audit_record(actor=actor, verb="provision.update", target=provision, changes=changes)
    return provision


# Cells ---------------------------------------------------------------------------------


def _apply(cell: Cell, citation: dict[str, Any]) -> dict[str, list]:
    changes = _changes(cell, citation)
    for name, value in citation.items():
        setattr(cell, name, value)
    return changes


def cell_set(*, actor: Actor, cell: Cell, is_synthetic: bool | None = None, **values: Any) -> Cell:
    """The national coordination edits a cell directly."""
    _require_manager(actor)
    citation = _citation(values)
    changes = _apply(cell, citation)
    synthetic = cell.is_synthetic if is_synthetic is None else is_synthetic
    if synthetic != cell.is_synthetic:
        changes["is_synthetic"] = [cell.is_synthetic, synthetic]
        cell.is_synthetic = synthetic
    if not changes:
        return cell
    cell.full_clean()
    with transaction.atomic():
        cell.save()
        audit_record(actor=actor, verb="cell.set", target=cell, state=cell.state, changes=changes)
    return cell


def cell_propose(*, actor: Actor, cell: Cell, **values: Any) -> CellProposal:
    """A state's institute proposes a change to one of its own cells, with its source."""
    access.check_proposer(scope_for(actor), cell.state)
    citation = _citation(values)
    _require_citation(citation)
    if CellProposal.objects.filter(cell=cell, decision=ProposalStatus.PROPOSED).exists():
        raise ValidationError(
            _("Esta celda ya tiene una propuesta en espera de decisión nacional.")
        )
    proposal = CellProposal(cell=cell, proposed_by=actor, **citation)
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        audit_record(
            actor=actor,
            verb="cell.propose",
            target=cell,
            state=cell.state,
            changes=_changes(cell, citation),
        )
    return proposal


def _pending(proposal: CellProposal) -> None:
    if proposal.decision != ProposalStatus.PROPOSED:
        raise ValidationError(_("Esta propuesta ya fue decidida."))


def proposal_accept(*, actor: Actor, proposal: CellProposal) -> Cell:
    """The national coordination accepts a proposal: it becomes the cell's content, a cited
    fact (no longer synthetic)."""
    _require_manager(actor)
    _pending(proposal)
    cell = proposal.cell
    citation = {name: getattr(proposal, name) for name in CITATION_FIELDS}
    with transaction.atomic():
        locked = CellProposal.objects.select_for_update().get(pk=proposal.pk)
        _pending(locked)
        changes = _apply(cell, citation)
        if cell.is_synthetic:
            changes["is_synthetic"] = [True, False]
            cell.is_synthetic = False
        cell.full_clean()
        cell.save()
        proposal.decision = ProposalStatus.ACCEPTED
        proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["decision", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            verb="proposal.accept",
            target=cell,
            state=cell.state,
            changes=changes,
        )
    return cell


def proposal_return(*, actor: Actor, proposal: CellProposal, reason: str) -> CellProposal:
    _require_manager(actor)
    reason = _text(reason, "reason", required=_("Escriba el motivo de la devolución."), limit=5000)
    _pending(proposal)
    with transaction.atomic():
        locked = CellProposal.objects.select_for_update().get(pk=proposal.pk)
        _pending(locked)
        proposal.decision = ProposalStatus.RETURNED
        proposal.reason = reason
        proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            verb="proposal.return",
            target=proposal.cell,
            state=proposal.cell.state,
            changes={"reason": [None, reason]},
        )
    return proposal

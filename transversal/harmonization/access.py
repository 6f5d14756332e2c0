"""Who may change the harmonization matrix.

Everything here is public to read. The national coordination (admins and editors of the
national institution) keeps the catalogue, edits any cell and decides proposals. A state's
institute (its admins and editors) proposes changes to its own state's cells and reads its
proposals. Anyone else asking for a state's proposal pages gets 404 (members of another state
included); a member of the state without the editing role gets 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from transversal.accounts.access import Granted, Scope, scope_for
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.harmonization.models import Cell, CellProposal
from transversal.institutions.models import Institution, InstitutionKind
from transversal.territory.models import State

MANAGING_ROLES = frozenset({"admin", "editor"})


def can_manage(scope: Scope) -> bool:
    """The national coordination: keeps the catalogue and decides the states' proposals."""
    return bool(scope.national_roles & MANAGING_ROLES)


def _state_institutes(scope: Scope) -> QuerySet[Institution]:
    return Institution.objects.filter(pk__in=list(scope.roles), kind=InstitutionKind.STATE_IMEF)


def member_states(scope: Scope) -> set[int]:
    """The states whose institute this person belongs to (any role)."""
    if not scope.roles:
        return set()
    return set(_state_institutes(scope).values_list("state_id", flat=True))


def proposing_states(scope: Scope) -> set[int]:
    """The states whose cells this person may propose changes to: admins and editors of the
    state's institute."""
    ids = [pk for pk, role in scope.roles.items() if role in MANAGING_ROLES]
    if not ids:
        return set()
    return set(
        Institution.objects.filter(pk__in=ids, kind=InstitutionKind.STATE_IMEF).values_list(
            "state_id", flat=True
        )
    )


def require_manager(user) -> Scope:
    """National coordination pages: 404 for anyone outside the national institution, 403 for
    its members without the editing role."""
    scope = scope_for(user)
    if not scope.is_national:
        raise not_found()
    if not can_manage(scope):
        raise forbidden()
    return scope


def check_proposer(scope: Scope, state: State) -> None:
    if state.pk in proposing_states(scope):
        return
    if scope.is_national or state.pk in member_states(scope):
        raise forbidden()
    raise not_found()


def get_cell(code) -> Cell:
    """A cell is public: anyone reads it by its code."""
    cell = (
        Cell.objects.select_related("provision", "state").filter(code=code).first()
        if is_uuid(str(code))
        else None
    )
    if cell is None:
        raise not_found()
    return cell


def get_cell_for_proposer(user, code) -> Granted[Cell]:
    scope = scope_for(user)
    cell = get_cell(code)
    check_proposer(scope, cell.state)
    return Granted(cell, scope)


def get_proposal_for_user(user, code) -> Granted[CellProposal]:
    """A proposal is read by the national coordination and by the members of its state."""
    scope = scope_for(user)
    proposal = (
        CellProposal.objects.select_related(
            "cell__provision", "cell__state", "proposed_by", "decided_by"
        )
        .filter(code=code)
        .first()
        if is_uuid(str(code))
        else None
    )
    if proposal is None:
        raise not_found()
    if not (scope.is_national or proposal.cell.state_id in member_states(scope)):
        raise not_found()
    return Granted(proposal, scope)


def can_read_history(scope: Scope, cell: Cell) -> bool:
    return scope.is_national or cell.state_id in member_states(scope)

"""Who may read or change agreements and technical assistance.

An agreement's tenant is its state institution. Published agreements (signed,
in force, concluded) are public; drafts are seen only by the national
institution and the state's own members. Only national editors and admins
write agreements; state editors and admins record the technical assistance
their institution receives. Outsiders get 404, read-only members 403.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from transversal.accounts.access import (
    EDIT,
    READ,
    Scope,
    can_do,
    can_read,
    get_readable_state,
    scope_for,
)
from transversal.agreements.models import Agreement, TechnicalAssistance
from transversal.core.access import forbidden, not_found
from transversal.institutions.models import Institution, InstitutionKind
from transversal.territory.models import State

MANAGE = EDIT  # create and change agreements, amendments, commitments, goals, statuses
ASSIST = "assist"  # record technical assistance received under the agreement


# Predicates: one question each.


def can_read_agreement(scope: Scope, agreement: Agreement) -> bool:
    """Everything about it: drafts, documents, technical assistance, history."""
    return can_read(scope, agreement.state_institution)


def can_view_agreement(scope: Scope, agreement: Agreement) -> bool:
    """At least its public summary."""
    return agreement.is_public or can_read_agreement(scope, agreement)


def can_manage_agreements(scope: Scope, national: Institution) -> bool:
    return can_do(scope, national, EDIT)


def can_manage_agreement(scope: Scope, agreement: Agreement) -> bool:
    return can_manage_agreements(scope, agreement.national_institution)


def can_record_assistance(scope: Scope, recipient: Institution) -> bool:
    """The recipient's editors and admins, and national editors and admins."""
    if can_do(scope, recipient, EDIT):
        return True
    return bool(scope.national_roles & {"admin", "editor"})


def _parse_code(code) -> uuid.UUID:
    try:
        return uuid.UUID(str(code))
    except (TypeError, ValueError):
        raise not_found() from None


def get_agreement_for_user(
    user, code, action: str = READ, queryset: QuerySet[Agreement] | None = None
) -> tuple[Agreement, Scope]:
    """The agreement after the access check for ``action`` (READ, MANAGE or ASSIST)."""
    queryset = queryset if queryset is not None else Agreement.objects.with_parties()
    try:
        agreement = queryset.get(code=_parse_code(code))
    except Agreement.DoesNotExist:
        raise not_found() from None
    scope = scope_for(user)
    if action == READ:
        if not can_view_agreement(scope, agreement):
            raise not_found()
        return agreement, scope
    if not can_read_agreement(scope, agreement):
        raise not_found()
    if action == MANAGE:
        allowed = can_manage_agreement(scope, agreement)
    elif action == ASSIST:
        allowed = can_record_assistance(scope, agreement.state_institution)
    else:
        raise ValueError(f"unknown action {action!r}")
    if not allowed:
        raise forbidden()
    return agreement, scope


def get_national_for_user(user) -> tuple[Institution, Scope]:
    """The national institution, for creating agreements: national editors and admins only."""
    scope = scope_for(user)
    national = Institution.objects.with_names().filter(kind=InstitutionKind.NATIONAL).first()
    if national is None or not scope.is_authenticated:
        raise not_found()
    if not scope.roles:
        raise not_found()
    if not can_manage_agreements(scope, national):
        raise forbidden()
    return national, scope


def get_state_for_user(user, code: str, action: str = READ) -> tuple[State, Scope]:
    """A state's technical-assistance pages: national members and the state's own members."""
    state, scope = get_readable_state(user, code)
    if action == ASSIST and not assistance_recipients(scope, state):
        raise forbidden()
    return state, scope


def assistance_recipients(scope: Scope, state: State) -> list[Institution]:
    """The state's institutions for which this person may record assistance."""
    institutions = Institution.objects.with_names().filter(state=state)
    return [
        institution for institution in institutions if can_record_assistance(scope, institution)
    ]


def get_assistance_for_user(user, code) -> tuple[TechnicalAssistance, Scope]:
    """A technical-assistance record (for its evidence file): readers of the recipient."""
    record = (
        TechnicalAssistance.objects.select_related("recipient")
        .filter(code=_parse_code(code))
        .first()
    )
    scope = scope_for(user)
    if record is None or not can_read(scope, record.recipient):
        raise not_found()
    return record, scope

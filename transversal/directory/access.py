"""Who keeps the registry of institutions.

The national coordination (national members with the admin or editor role) registers and
renames any state or municipal institution; a state's administrators (admins of its women's
institute) register and rename the municipal instances of their own state. An institution's
own administrators keep recording its renames, as before.
"""

from __future__ import annotations

from transversal.accounts.access import ADMIN, Scope, can_read
from transversal.accounts.models import Role
from transversal.core.access import forbidden, not_found
from transversal.institutions.models import Institution, InstitutionKind
from transversal.institutions.services import REGISTRY_KINDS

COORDINATION_ROLES = frozenset({Role.ADMIN, Role.EDITOR})


def is_coordinator(scope: Scope) -> bool:
    return bool(scope.national_roles & COORDINATION_ROLES)


def admin_state_ids(scope: Scope) -> frozenset[int]:
    """The states whose women's institute the person administers (one query, once a request)."""
    cached = getattr(scope, "_admin_states", None)
    if cached is not None:
        return cached
    ids = [pk for pk, role in scope.roles.items() if role == ADMIN]
    states = frozenset(
        Institution.objects.filter(pk__in=ids, kind=InstitutionKind.STATE_IMEF).values_list(
            "state_id", flat=True
        )
        if ids
        else ()
    )
    object.__setattr__(scope, "_admin_states", states)
    return states


def registrable_kinds(scope: Scope) -> tuple[str, ...]:
    if is_coordinator(scope):
        return tuple(REGISTRY_KINDS)
    return (InstitutionKind.MUNICIPAL_IMM,) if admin_state_ids(scope) else ()


def can_register(scope: Scope, kind: str, state_id: int | None) -> bool:
    if is_coordinator(scope):
        return kind in REGISTRY_KINDS
    return kind == InstitutionKind.MUNICIPAL_IMM and state_id in admin_state_ids(scope)


def can_keep(scope: Scope, institution: Institution) -> bool:
    """May record this institution's renames and transformations."""
    if institution.kind == InstitutionKind.NATIONAL:
        return scope.role_in(institution) == ADMIN
    if is_coordinator(scope) or scope.role_in(institution) == ADMIN:
        return True
    return (
        institution.kind == InstitutionKind.MUNICIPAL_IMM
        and institution.state_id in admin_state_ids(scope)
    )


def authorize_keeping(scope: Scope, institution: Institution) -> None:
    """404 for outsiders, 403 for those who see it but may not keep it."""
    if can_keep(scope, institution):
        return
    if not can_read(scope, institution):
        raise not_found()
    raise forbidden()

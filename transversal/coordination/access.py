"""Who may read or keep coordination systems, their sessions and acuerdos.

A system's tenant is its technical secretariat. The national coordination reads every system
and keeps the national one (its secretariat is the national institution); a state's members
read the systems of their state, and its secretariat's editors and admins keep them; only its
admins reopen a session fixed by its signed acta. An acuerdo is also read by the members of
the institutions responsible for it (they record its progress through ``followup``).
Outsiders get 404, read-only members 403.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from transversal.accounts.access import (
    ADMIN,
    EDIT,
    Granted,
    Scope,
    can_do,
    can_read,
    scope_for,
)
from transversal.coordination.models import Resolution, Session, System, SystemMember
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.followup.access import can_read_followup
from transversal.institutions.models import Institution

READ = "read"
MANAGE = "manage"
REOPEN = "reopen"


def can_read_system(scope: Scope, system: System) -> bool:
    """The national coordination, the state's members, and the members of the institutions
    that sit on it (a state institute on the national system)."""
    if scope.is_national or can_read(scope, system.secretariat):
        return True
    if system.state_id is not None and system.state_id in scope.state_ids:
        return True
    return system.members.filter(
        institution_id__in=scope.institution_ids(), left_on__isnull=True
    ).exists()


def can_manage_system(scope: Scope, system: System) -> bool:
    return can_do(scope, system.secretariat, EDIT)


def can_reopen_session(scope: Scope, system: System) -> bool:
    """Who may reopen a session fixed by its signed acta: the technical secretariat's admins,
    a step above those who record it, as the national reviewers reopen a closed period."""
    return can_do(scope, system.secretariat, ADMIN)


def readable_systems(scope: Scope) -> QuerySet[System]:
    systems = System.objects.all()
    if scope.is_national:
        return systems
    ids = scope.institution_ids()
    sitting = SystemMember.objects.filter(institution_id__in=ids, left_on__isnull=True)
    return systems.filter(
        Q(state_id__in=scope.state_ids)
        | Q(secretariat_id__in=ids)
        | Q(pk__in=sitting.values("system_id"))
    )


def secretariat_choices(scope: Scope) -> QuerySet[Institution]:
    """Institutions this person may open a system for: those where they edit."""
    ids = [pk for pk, role in scope.roles.items() if role in ("admin", "editor")]
    return Institution.objects.with_names().select_related("state").filter(pk__in=ids)


def _check(scope: Scope, system: System, action: str, *, also_reads: bool = False) -> None:
    if not (can_read_system(scope, system) or also_reads):
        raise not_found()
    if action == MANAGE and not can_manage_system(scope, system):
        raise forbidden()
    if action == REOPEN and not can_reopen_session(scope, system):
        raise forbidden()


def get_system_for_user(user, code, action: str = READ) -> Granted[System]:
    system = (
        System.objects.select_related("state", "municipality", "secretariat__state")
        .filter(code=code)
        .first()
        if is_uuid(code)
        else None
    )
    scope = scope_for(user)
    if system is None:
        raise not_found()
    _check(scope, system, action)
    return Granted(system, scope)


def get_session_for_user(user, code, action: str = READ) -> Granted[Session]:
    session = (
        Session.objects.select_related("system__secretariat__state", "system__state")
        .filter(code=code)
        .first()
        if is_uuid(code)
        else None
    )
    scope = scope_for(user)
    if session is None:
        raise not_found()
    _check(scope, session.system, action)
    return Granted(session, scope)


def get_resolution_for_user(user, code, action: str = READ) -> Granted[Resolution]:
    """Readers of the system, and the members of the acuerdo's responsible institutions."""
    resolution = (
        Resolution.objects.select_related(
            "session__system__secretariat__state",
            "session__system__state",
            "followup__owner__state",
            "followup__verifier__state",
        )
        .prefetch_related(
            "followup__owner__names",
            Prefetch(
                "followup__co_owners",
                queryset=Institution.objects.select_related("state").prefetch_related("names"),
            ),
        )
        .filter(code=code)
        .first()
        if is_uuid(code)
        else None
    )
    scope = scope_for(user)
    if resolution is None:
        raise not_found()
    responsible = can_read_followup(scope, resolution.followup)
    _check(scope, resolution.session.system, action, also_reads=responsible)
    return Granted(resolution, scope)

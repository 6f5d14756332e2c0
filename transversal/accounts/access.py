"""Tenancy: who may read or change what.

Each person's active memberships make a ``Scope``. Small predicates answer
one question each; ``authorize`` turns their answers into the two outcomes a
view may give: 404 when the person may not even know the object exists, 403
when they may see it but not do this to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from django.db.models import QuerySet

from transversal.accounts.models import Membership, Role
from transversal.core.access import forbidden, not_found
from transversal.institutions.models import Institution, InstitutionKind
from transversal.territory.models import State

READ = "read"
EDIT = "edit"
REVIEW = "review"
ADMIN = "admin"

_ACTION_ROLES: dict[str, frozenset[str]] = {
    READ: frozenset(Role.values),
    EDIT: frozenset({Role.ADMIN, Role.EDITOR}),
    REVIEW: frozenset({Role.ADMIN, Role.REVIEWER}),
    ADMIN: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    roles: dict[int, str] = field(default_factory=dict)  # institution id -> role
    state_ids: frozenset[int] = frozenset()
    national_roles: frozenset[str] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_national(self) -> bool:
        """A member of the national institution: a national coordinator, who reads every state."""
        return bool(self.national_roles)

    def role_in(self, institution: Institution) -> str | None:
        return self.roles.get(institution.pk)

    def institution_ids(self) -> frozenset[int]:
        return frozenset(self.roles)


REVIEW_ROLES = _ACTION_ROLES[REVIEW]

T = TypeVar("T")


class Granted(NamedTuple, Generic[T]):
    """What every ``get_*_for_user`` helper returns: the object, after the access check,
    and the person's scope (ask the app's predicates what else they may do with it)."""

    obj: T
    scope: Scope


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_transversal_scope", None)
    if cached is not None:
        return cached
    rows = Membership.objects.filter(user=user, is_active=True).values_list(
        "institution_id", "role", "institution__kind", "institution__state_id"
    )
    roles: dict[int, str] = {}
    states: set[int] = set()
    national: set[str] = set()
    for institution_id, role, kind, state_id in rows:
        roles[institution_id] = role
        if kind == InstitutionKind.NATIONAL:
            national.add(role)
        elif state_id:
            states.add(state_id)
    scope = Scope(user.pk, roles, frozenset(states), frozenset(national))
    user._transversal_scope = scope
    return scope


def forget_scope(user) -> None:
    if hasattr(user, "_transversal_scope"):
        del user._transversal_scope


# Predicates: one question each.


def can_read(scope: Scope, institution: Institution) -> bool:
    return scope.is_national or institution.pk in scope.roles


def can_read_state(scope: Scope, state: State) -> bool:
    """National members read every state; others the states of their institutions."""
    return scope.is_national or state.pk in scope.state_ids


def readable_states(scope: Scope) -> QuerySet[State]:
    states = State.objects.order_by("code")
    return states if scope.is_national else states.filter(pk__in=scope.state_ids)


def can_do(scope: Scope, institution: Institution, action: str) -> bool:
    role = scope.role_in(institution)
    if action == READ:
        return can_read(scope, institution)
    if role in _ACTION_ROLES[action]:
        return True
    # National reviewers and admins review the goal indicators of every state.
    return action == REVIEW and bool(scope.national_roles & _ACTION_ROLES[REVIEW])


def authorize(user, institution: Institution, action: str = READ) -> Scope:
    """Raise 404 for outsiders and 403 for members lacking the role; return the scope."""
    scope = scope_for(user)
    if not can_read(scope, institution):
        raise not_found()
    if not can_do(scope, institution, action):
        raise forbidden()
    return scope


def get_institution_for_user(user, slug: str, action: str = READ) -> Granted[Institution]:
    """The institution (with its names) for a tenant page, after the access check."""
    try:
        institution = Institution.objects.with_names().get(slug=slug)
    except Institution.DoesNotExist:
        raise not_found() from None
    return Granted(institution, authorize(user, institution, action))


def get_readable_state(user, code: str, queryset: QuerySet[State] | None = None) -> Granted[State]:
    """A state's tenant pages (dashboard, reports, assistance): 404 unless the person reads it."""
    scope = scope_for(user)
    state = (State.objects.all() if queryset is None else queryset).filter(code=code).first()
    if state is None or not can_read_state(scope, state):
        raise not_found()
    return Granted(state, scope)

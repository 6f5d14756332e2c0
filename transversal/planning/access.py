"""Who may read or change a plan.

Published (and archived) plans are public. Drafts are seen by the members of
the institution that keeps the plan and by national members. Changes are made
by the keeping institution's editors and admins; a plan kept by no institution
is national and managed by the national institution's editors and admins.
"""

from __future__ import annotations

from transversal.accounts.access import (
    EDIT,
    READ,
    Granted,
    Scope,
    can_do,
    get_institution_for_user,
    scope_for,
)
from transversal.accounts.models import Role
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.institutions.models import Institution
from transversal.institutions.selectors import national_institution
from transversal.planning.models import ImportStatus, Plan, PlanImport


def owner_of(plan: Plan) -> Institution | None:
    return plan.institution if plan.institution_id else national_institution()


def can_read_plan(scope: Scope, plan: Plan) -> bool:
    if plan.is_public or scope.is_national:
        return True
    owner = owner_of(plan)
    return owner is not None and owner.pk in scope.roles


def can_edit_plan(scope: Scope, plan: Plan) -> bool:
    owner = owner_of(plan)
    return owner is not None and can_do(scope, owner, EDIT)


def check_plan(user, plan: Plan, action: str = READ) -> Scope:
    """404 when the person may not know the plan exists, 403 when it is read-only to them."""
    scope = scope_for(user)
    if not can_read_plan(scope, plan):
        raise not_found()
    if action != READ and not can_edit_plan(scope, plan):
        owner = owner_of(plan)
        is_insider = scope.is_national or (owner is not None and owner.pk in scope.roles)
        if not is_insider:
            # Outsiders to a published plan learn nothing beyond its public page.
            raise not_found()
        raise forbidden()
    return scope


def get_plan_for_user(user, code: str, action: str = READ) -> Granted[Plan]:
    """The plan behind a URL after the access check (``can_edit_plan`` says if they may change
    it)."""
    plan = Plan.objects.with_owner().filter(code=code).first()
    if plan is None:
        raise not_found()
    return Granted(plan, check_plan(user, plan, action))


def get_pending_import_for_user(user, code: str) -> Granted[PlanImport]:
    """A plan import still waiting for review, for the editors of the institution that uploaded
    it."""
    pending = (
        PlanImport.objects.select_related("institution__state").filter(code=code).first()
        if is_uuid(code)
        else None
    )
    if pending is None or pending.status != ImportStatus.PENDING:
        raise not_found()
    _institution, scope = get_institution_for_user(user, pending.institution.slug, EDIT)
    return Granted(pending, scope)


def editable_institutions(user) -> list[Institution]:
    """Institutions under which the person may create plans."""
    scope = scope_for(user)
    ids = [pk for pk, role in scope.roles.items() if role in (Role.ADMIN, Role.EDITOR)]
    return list(Institution.objects.with_names().filter(pk__in=ids))

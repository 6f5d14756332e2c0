"""Who may read or change a plan.

Published (and archived) plans are public. Drafts are seen by the members of
the institution that keeps the plan and by national members. Changes are made
by the keeping institution's editors and admins; a plan kept by no institution
is national and managed by the national institution's editors and admins.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from transversal.accounts.access import EDIT, READ, Scope, can_do, scope_for
from transversal.accounts.models import Role
from transversal.institutions.models import Institution
from transversal.institutions.selectors import national_institution
from transversal.planning.models import Plan


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
        raise Http404(_("No se encontró lo que busca o no tiene acceso."))
    if action != READ and not can_edit_plan(scope, plan):
        owner = owner_of(plan)
        is_insider = scope.is_national or (owner is not None and owner.pk in scope.roles)
        if not is_insider:
            # Outsiders to a published plan learn nothing beyond its public page.
            raise Http404(_("No se encontró lo que busca o no tiene acceso."))
        raise PermissionDenied(_("Su rol no le permite realizar esta acción."))
    return scope


def get_plan_for_user(user, code: str, action: str = READ) -> tuple[Plan, bool]:
    """The plan behind a URL after the access check, and whether the person may change it."""
    plan = Plan.objects.with_owner().filter(code=code).first()
    if plan is None:
        raise Http404(_("No se encontró lo que busca o no tiene acceso."))
    scope = check_plan(user, plan, action)
    return plan, can_edit_plan(scope, plan)


def editable_institutions(user) -> list[Institution]:
    """Institutions under which the person may create plans."""
    scope = scope_for(user)
    ids = [pk for pk, role in scope.roles.items() if role in (Role.ADMIN, Role.EDITOR)]
    return list(Institution.objects.with_names().filter(pk__in=ids))

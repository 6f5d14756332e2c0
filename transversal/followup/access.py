"""Who may read or act on a follow-up item.

Its readers are the national coordination and the members of its owner, co-owners and
verifier. The owner's and co-owners' editors and admins record notes and evidence and mark it
done; the verifier's editors, reviewers and admins verify, cancel and reopen it (nobody
verifies what they reported: ``services.verify_refusal``). Outsiders get 404,
read-only members 403.
"""

from __future__ import annotations

from django.db.models import Prefetch

from transversal.accounts.access import EDIT, Granted, Scope, can_do, can_read, scope_for
from transversal.accounts.models import Role
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.followup.models import FollowUp
from transversal.institutions.models import Institution

READ = "read"
REPORT = "report"  # notes, evidence, mark done: the owner's side
VERIFY = "verify"  # verify and close, cancel, reopen: the verifier's side


def _owners(item: FollowUp):
    return [item.owner, *item.co_owners.all()]


def can_read_followup(scope: Scope, item: FollowUp) -> bool:
    return any(can_read(scope, inst) for inst in (*_owners(item), item.verifier))


def can_report(scope: Scope, item: FollowUp) -> bool:
    return any(can_do(scope, inst, EDIT) for inst in _owners(item))


VERIFIER_ROLES = frozenset({Role.ADMIN, Role.EDITOR, Role.REVIEWER})


def can_verify(scope: Scope, item: FollowUp) -> bool:
    """The verifier institution's own editors, reviewers and admins."""
    return scope.role_in(item.verifier) in VERIFIER_ROLES


def followups_with_parties():
    co_owners = Institution.objects.select_related("state").prefetch_related("names")
    return FollowUp.objects.select_related("owner__state", "verifier__state").prefetch_related(
        Prefetch("co_owners", queryset=co_owners), "owner__names", "verifier__names"
    )


def get_followup_for_user(user, code, action: str = READ) -> Granted[FollowUp]:
    item = followups_with_parties().filter(code=code).first() if is_uuid(str(code)) else None
    scope = scope_for(user)
    if item is None or not can_read_followup(scope, item):
        raise not_found()
    if action == READ:
        return Granted(item, scope)
    checks = {REPORT: can_report, VERIFY: can_verify}
    if action not in checks:
        raise ValueError(f"unknown action {action!r}")
    if not checks[action](scope, item):
        raise forbidden()
    return Granted(item, scope)

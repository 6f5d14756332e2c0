"""Who may read or record evaluations, findings and ASM.

The tenant is the evaluated institution: its members and the national coordination read; its
editors, reviewers and admins record evaluations and findings, decide on proposed findings and
open ASM (national reviewers too, as they review every state). An ASM is also read by the
members of the institutions responsible for it, who record its progress through ``followup``.
Outsiders get 404, read-only members 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from transversal.accounts.access import (
    EDIT,
    REVIEW,
    REVIEW_ROLES,
    Granted,
    Scope,
    can_do,
    can_read,
    scope_for,
)
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.followup.access import can_read_followup
from transversal.improvement.models import Evaluation, Finding, ImprovementAction
from transversal.institutions.models import Institution

READ = "read"
RECORD = "record"


def can_record(scope: Scope, institution: Institution) -> bool:
    return can_do(scope, institution, EDIT) or can_do(scope, institution, REVIEW)


DECIDING_ROLES = frozenset({"admin", "editor", "reviewer"})


def deciding_institution_ids(scope: Scope) -> list[int] | None:
    """The institutions whose proposed findings this person may accept or dismiss, as
    ``can_record`` answers for each: None for national reviewers and admins (every
    institution), else where they edit, review or administer (read-only members: none)."""
    if scope.national_roles & REVIEW_ROLES:
        return None
    return sorted(pk for pk, role in scope.roles.items() if role in DECIDING_ROLES)


def recording_institutions(scope: Scope) -> QuerySet[Institution]:
    """Institutions this person records evaluations for: where they edit, review or administer
    (every institution for national reviewers and admins)."""
    institutions = Institution.objects.with_names().select_related("state")
    if scope.national_roles & {"admin", "reviewer"}:
        return institutions.exclude(kind="municipal_imm")
    ids = [pk for pk, role in scope.roles.items() if role in ("admin", "editor", "reviewer")]
    return institutions.filter(pk__in=ids)


def readable_institution_ids(scope: Scope) -> list[int] | None:
    """None for the national coordination (everything)."""
    return None if scope.is_national else sorted(scope.institution_ids())


def _check(scope: Scope, institution: Institution, action: str, *, also_reads=False) -> None:
    if not (can_read(scope, institution) or also_reads):
        raise not_found()
    if action == RECORD and not can_record(scope, institution):
        raise forbidden()
    if action not in (READ, RECORD):
        raise ValueError(f"unknown action {action!r}")


def get_evaluation_for_user(user, code, action: str = READ) -> Granted[Evaluation]:
    evaluation = (
        Evaluation.objects.select_related("institution__state").filter(code=code).first()
        if is_uuid(str(code))
        else None
    )
    scope = scope_for(user)
    if evaluation is None:
        raise not_found()
    _check(scope, evaluation.institution, action)
    return Granted(evaluation, scope)


def get_finding_for_user(user, code, action: str = READ) -> Granted[Finding]:
    finding = (
        Finding.objects.select_related(
            "institution__state", "evaluation", "indicator", "period", "resolution"
        )
        .filter(code=code)
        .first()
        if is_uuid(str(code))
        else None
    )
    scope = scope_for(user)
    if finding is None:
        raise not_found()
    _check(scope, finding.institution, action)
    return Granted(finding, scope)


def get_action_for_user(user, code, action: str = READ) -> Granted[ImprovementAction]:
    """Readers of the finding's institution, and the members of the ASM's responsibles."""
    item = (
        ImprovementAction.objects.select_related(
            "finding__institution__state",
            "finding__evaluation",
            "followup__owner__state",
            "followup__verifier__state",
        )
        .prefetch_related("followup__co_owners__state")
        .filter(code=code)
        .first()
        if is_uuid(str(code))
        else None
    )
    scope = scope_for(user)
    if item is None:
        raise not_found()
    responsible = can_read_followup(scope, item.followup)
    _check(scope, item.finding.institution, action, also_reads=responsible)
    return Granted(item, scope)

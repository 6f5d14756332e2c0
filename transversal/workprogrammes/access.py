"""Who may read or act on a work programme, its reports and assistance requests.

The tenant is the convenio's state institution: its members and the national institution
read; its editors and admins write the programme, its quarterly reports and assistance
requests. The national institution's reviewers and admins (the validators) observe, validate,
receive and close. Outsiders get 404, read-only members 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from transversal.accounts.access import EDIT, READ, Granted, Scope, can_do, can_read, scope_for
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.workprogrammes.models import AssistanceRequest, QuarterlyReport, WorkProgramme

WRITE = "write"  # the state's editors and admins
VALIDATE = "validate"  # the national institution's reviewers and admins
VALIDATOR_ROLES = frozenset({"admin", "reviewer"})


def is_validator(scope: Scope) -> bool:
    return bool(scope.national_roles & VALIDATOR_ROLES)


def can_write(scope: Scope, programme_or_agreement) -> bool:
    institution = getattr(programme_or_agreement, "institution", None)
    return institution is not None and can_do(scope, institution, EDIT)


def check(scope: Scope, institution, action: str) -> None:
    """404 for who may not read the institution's data, 403 for who may not do ``action``."""
    if not can_read(scope, institution):
        raise not_found()
    if action == READ:
        return
    if action == WRITE:
        allowed = can_do(scope, institution, EDIT)
    elif action == VALIDATE:
        allowed = is_validator(scope)
    else:
        raise ValueError(f"unknown action {action!r}")
    if not allowed:
        raise forbidden()


def readable_programmes(scope: Scope) -> QuerySet[WorkProgramme]:
    programmes = WorkProgramme.objects.select_related(
        "agreement__state", "agreement__state_institution"
    )
    if scope.is_national:
        return programmes
    return programmes.filter(agreement__state_institution_id__in=list(scope.institution_ids()))


def get_programme_for_user(user, code, action: str = READ) -> Granted[WorkProgramme]:
    programme = (
        WorkProgramme.objects.select_related(
            "agreement__state",
            "agreement__state_institution__state",
            "agreement__national_institution",
        )
        .filter(code=code)
        .first()
        if is_uuid(str(code))
        else None
    )
    if programme is None:
        raise not_found()
    scope = scope_for(user)
    check(scope, programme.institution, action)
    return Granted(programme, scope)


def get_report_for_user(user, code, action: str = READ) -> Granted[QuarterlyReport]:
    report = (
        QuarterlyReport.objects.select_related(
            "programme__agreement__state",
            "programme__agreement__state_institution__state",
            "programme__agreement__national_institution",
            "sent_by",
            "reviewed_by",
        )
        .filter(code=code)
        .first()
        if is_uuid(str(code))
        else None
    )
    if report is None:
        raise not_found()
    scope = scope_for(user)
    check(scope, report.programme.institution, action)
    return Granted(report, scope)


def get_request_for_user(user, code, action: str = READ) -> Granted[AssistanceRequest]:
    request = (
        AssistanceRequest.objects.select_related(
            "agreement__state",
            "agreement__state_institution__state",
            "followup__owner",
            "followup__verifier",
            "assistance",
        )
        .filter(code=code)
        .first()
        if is_uuid(str(code))
        else None
    )
    if request is None:
        raise not_found()
    scope = scope_for(user)
    check(scope, request.agreement.state_institution, action)
    return Granted(request, scope)

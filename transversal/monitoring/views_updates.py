"""Reporting a period: the draft form, evidence, submission, review and correction."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, READ, REVIEW, can_do, scope_for
from transversal.core.access import forbidden, not_found, protected
from transversal.core.codes import is_uuid
from transversal.core.forms import error_messages, perform, submit
from transversal.core.uploads import attachment_response
from transversal.monitoring import rules, sources
from transversal.monitoring.access import get_period_for_user, get_update_for_user
from transversal.monitoring.forms import CommentForm, EvidenceForm, ReasonForm, UpdateForm
from transversal.monitoring.models import Evidence, UpdateStatus
from transversal.monitoring.queue import approval_refusal, validates_nationally
from transversal.monitoring.selectors import (
    changes_since_return,
    light_of,
    period_reports,
    requires_national_validation,
)
from transversal.monitoring.services import (
    StaleEdit,
    comment_add,
    evidence_add,
    too_early,
    update_approve,
    update_correct,
    update_return,
    update_save,
    update_save_and_submit,
    update_submit,
    update_validate,
)


def _period_url(period) -> str:
    return reverse("monitoring:period", args=[period.indicator.code, period.label])


def _save_draft(request: HttpRequest, period, form: UpdateForm, *, send: bool = False):
    """Save the figures as the form shows them; with ``send``, also send them to review in the
    same transaction (the period page's "Guardar y enviar a revisión")."""
    data = form.cleaned_data
    service = update_save_and_submit if send else update_save
    return service(
        actor=request.user,
        period=period,
        expected_version=data["version"],
        value=data["value"],
        numerator=data["numerator"],
        denominator=data["denominator"],
        narrative=data["narrative"],
        breakdown=form.breakdown(),
        disaggregation_note=data["disaggregation_note"],
    )


@require_http_methods(["GET", "POST"])
@protected
def period_report(request: HttpRequest, code: str, label: str) -> HttpResponse:
    action = EDIT if request.method == "POST" else READ
    period, _scope = get_period_for_user(request.user, code, label, action)
    indicator = period.indicator
    scope = scope_for(request.user)
    reports = period_reports(period)
    current = next((r for r in reports if r.is_current), None)
    can_edit = can_do(scope, indicator.owner, EDIT)
    conflict = None
    if request.method == "POST":
        form = UpdateForm(request.POST, indicator=indicator)
        send = request.POST.get("intent") == "submit"
        try:
            if submit(
                request,
                form,
                lambda: _save_draft(request, period, form, send=send),
                success=_("Se guardó el avance y se envió a revisión.")
                if send
                else _("Se guardó el borrador."),
            ).ok:
                return redirect(_period_url(period))
        except StaleEdit as exc:
            # Keep what the person typed on screen; show what is saved now beside it.
            conflict = exc.current
            form.add_error(None, str(exc))
        status = 409 if conflict else 200
    else:
        form = UpdateForm(initial=UpdateForm.initial_for(current), indicator=indicator)
        status = 200
    light = None
    if current is not None and current.value is not None:
        light = light_of(current)
    # A closed period shows what it holds and offers no action that would change it.
    can_review = can_do(scope, indicator.owner, REVIEW) and not period.locked
    # Four eyes: no Approve button for whoever captured, edited or submitted the current update.
    approve_refusal = (
        approval_refusal(current, request.user)
        if can_review and current is not None and current.status == UpdateStatus.SUBMITTED
        else ""
    )
    # A national reviewer's approval of a two-level figure is also its national validation.
    approval_is_final = bool(
        can_review
        and current is not None
        and current.status == UpdateStatus.SUBMITTED
        and validates_nationally(request.user)
        and requires_national_validation(indicator)
    )
    can_validate = (
        can_review
        and current is not None
        and current.status == UpdateStatus.VALIDATING
        and validates_nationally(request.user)
    )
    # ... nor a Validate button for whoever also approved it at state level.
    validate_refusal = (
        approval_refusal(current, request.user, validation=True) if can_validate else ""
    )
    editable = can_edit and (current is None or current.is_editable) and not period.locked
    # What value sources (a register) say: beside the form, and beside each report.
    panels = sources.report_panels(request, reports)
    for report in reports:
        report.source_html = panels.get(report.pk, "")
    return_error, focus_status = _flashed(request)
    returned_event, since_return = (
        changes_since_return(current)
        if current is not None
        and current.status
        in (UpdateStatus.SUBMITTED, UpdateStatus.VALIDATING, UpdateStatus.RETURNED)
        else (None, [])
    )
    return render(
        request,
        "monitoring/period_report.html",
        {
            "too_early": too_early(period, timezone.localdate()),
            "return_error": return_error,
            "focus_status": focus_status,
            "returned_event": returned_event,
            "since_return": since_return,
            "indicator": indicator,
            "period": period,
            "reports": reports,
            "current": current,
            "form": form,
            "conflict": conflict,
            "can_edit": editable,
            "source_panel": sources.period_panels(request, period, current, editable),
            "can_review": can_review,
            "light": light,
            "approve_refusal": approve_refusal,
            "approval_is_final": approval_is_final,
            "can_validate": can_validate,
            "validate_refusal": validate_refusal,
            "can_correct": can_edit and not period.locked,
            "can_comment": can_edit or can_review,
            "legend": rules.legend(indicator.thresholds),
            "basis_rule": rules.basis_rule(indicator.progress_basis),
            "evidence_form": EvidenceForm(),
            "comment_form": CommentForm(),
            "reason_form": ReasonForm(),
        },
        status=status,
    )


@require_GET
@protected
def update_detail(request: HttpRequest, code: str) -> HttpResponse:
    update, _scope = get_update_for_user(request.user, code)
    return redirect(_period_url(update.period) + f"#revision-{update.revision}")


# Tags of the messages a review decision leaves, so the period page knows where focus goes: to
# the observation box that was refused (marked invalid, described by the error), or to the
# report's new status after the decision.
RETURN_FIELD = "return-comment"
STATUS_FOCUS = "status-focus"


def _post_action(request: HttpRequest, code: str, action: str, run, success: str) -> HttpResponse:
    """A button on the period page: run it on the update, say how it went, back to the page."""
    update, _scope = get_update_for_user(request.user, code, action)
    try:
        perform(request, lambda: run(update), success=success)
    except StaleEdit as exc:
        messages.error(request, str(exc))
    return redirect(_period_url(update.period))


def _review_action(request: HttpRequest, code: str, run, success: str, field: str = ""):
    """Approve, return or validate: back to the page with focus on the new status, or on
    ``field`` (the observation box) when the decision was refused (the page's ``autofocus``,
    from the message's tag: no script, and the address stays the page's)."""
    update, _scope = get_update_for_user(request.user, code, REVIEW)
    url = _period_url(update.period)
    try:
        run(update)
    except (ValidationError, StaleEdit) as exc:
        refusal = exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
        for sentence in error_messages(refusal):
            messages.error(request, sentence, extra_tags=field)
        return redirect(url)
    messages.success(request, success, extra_tags=STATUS_FOCUS)
    return redirect(url)


def _flashed(request: HttpRequest) -> tuple[str, bool]:
    """The refusal of a return, for its observation box, and whether a review decision just
    succeeded (the page still shows every message at its top)."""
    tagged = [(str(m), m.extra_tags.split()) for m in messages.get_messages(request)]
    refusal = " ".join(text for text, tags in tagged if RETURN_FIELD in tags)
    return refusal, not refusal and any(STATUS_FOCUS in tags for _text, tags in tagged)


@require_POST
@protected
def update_submit_view(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        try:
            version = int(request.POST.get("version") or 0)
        except ValueError:
            raise ValidationError(
                _("El formulario está incompleto; recargue la página e inténtelo de nuevo.")
            ) from None
        update_submit(actor=request.user, update=update, expected_version=version)

    return _post_action(request, code, EDIT, run, _("Se envió el avance a revisión."))


@require_POST
@protected
def update_return_view(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        update_return(actor=request.user, update=update, comment=request.POST.get("comment", ""))

    return _review_action(
        request, code, run, _("Se devolvió el avance con su observación."), field=RETURN_FIELD
    )


@require_POST
@protected
def update_approve_view(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        update_approve(actor=request.user, update=update, comment=request.POST.get("comment", ""))

    return _review_action(request, code, run, _("Se aprobó el avance; el semáforo se actualizó."))


@require_POST
@protected
def update_validate_view(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        update_validate(actor=request.user, update=update, comment=request.POST.get("comment", ""))

    return _review_action(request, code, run, _("Se validó el avance; el semáforo se actualizó."))


@require_POST
@protected
def update_correct_view(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        update_correct(actor=request.user, update=update, reason=request.POST.get("reason", ""))

    return _post_action(
        request, code, EDIT, run, _("Se abrió una nueva revisión para corregir el avance aprobado.")
    )


@require_POST
@protected
def update_comment_view(request: HttpRequest, code: str) -> HttpResponse:
    # Editors and reviewers comment; read-only members read (a comment is a write: 403).
    update, scope = get_update_for_user(request.user, code, READ)
    owner = update.period.indicator.owner
    if not (can_do(scope, owner, EDIT) or can_do(scope, owner, REVIEW)):
        raise forbidden()

    def run(update):
        comment_add(actor=request.user, update=update, text=request.POST.get("text", ""))

    return _post_action(request, code, READ, run, _("Se agregó la observación."))


@require_POST
@protected
def evidence_upload_view(request: HttpRequest, code: str) -> HttpResponse:
    update, _scope = get_update_for_user(request.user, code, EDIT)
    form = EvidenceForm(request.POST, request.FILES)

    def attach():
        data = form.cleaned_data
        return evidence_add(
            actor=request.user,
            update=update,
            upload=data["file"],
            filename=data["file"].name,
            description=data["description"],
            is_public=data["is_public"],
        )

    submit(
        request,
        form,
        attach,
        success=lambda evidence: _("Se adjuntó «%(name)s».") % {"name": evidence.original_name},
        flash=True,
    )
    return redirect(_period_url(update.period))


@require_GET
@protected
def evidence_download(request: HttpRequest, code: str) -> FileResponse:
    evidence = (
        Evidence.objects.select_related("update__period__indicator__owner")
        .filter(code=code)
        .first()
        if is_uuid(code)
        else None
    )
    if evidence is None:
        raise not_found()
    get_update_for_user(request.user, str(evidence.update.code), READ)
    return attachment_response(evidence.file.open("rb"), evidence.original_name, evidence.mime_type)

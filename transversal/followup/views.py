"""A follow-up item's page and the actions of its panel. Each action posts here and returns to
the subject's page (an acuerdo's), where the panel is shown with ``panel_context``."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from transversal.accounts.access import Scope
from transversal.core.access import not_found, protected
from transversal.core.forms import perform, submit
from transversal.core.uploads import attachment_response
from transversal.followup import registry, selectors, services
from transversal.followup.access import (
    REPORT,
    VERIFY,
    can_report,
    can_verify,
    get_followup_for_user,
)
from transversal.followup.forms import EvidenceForm, NoteForm, ReasonForm, VerifyForm
from transversal.followup.models import FollowUp, FollowUpEvidence


def panel_context(item: FollowUp, scope: Scope, user) -> dict:
    """What ``followup/_panel.html`` shows: notes, evidence, the latest verification and the
    forms this person may use (three queries: notes with authors, evidence, the verification
    event with its person)."""
    reporter, verifier = can_report(scope, item), can_verify(scope, item)
    return {
        "item": item,
        "notes": list(item.notes.select_related("author")),
        "evidence": list(item.evidence.all()),
        "verification": selectors.latest_verification(item),
        "overdue": item.is_overdue(timezone.localdate()),
        "can_report": reporter and item.is_open,
        "can_verify": verifier and item.status not in ("verified", "cancelled"),
        "verify_refusal": services.verify_refusal(item, user) if verifier else "",
        "can_reopen": verifier and not item.is_open,
        "note_form": NoteForm(auto_id="note_%s"),
        "evidence_form": EvidenceForm(auto_id="evidence_%s"),
        "reason_form": ReasonForm(auto_id="cancel_%s"),
        "reopen_form": ReasonForm(auto_id="reopen_%s"),
        "verify_form": VerifyForm(auto_id="verify_%s"),
    }


def _back(item: FollowUp):
    return redirect(registry.subject_url(item) or reverse("followup:detail", args=[item.code]))


@require_GET
@protected
def followup_detail(request: HttpRequest, code) -> HttpResponse:
    item, scope = get_followup_for_user(request.user, code)
    url = registry.subject_url(item)
    return render(
        request,
        "followup/detail.html",
        {"fu": panel_context(item, scope, request.user), "subject_url": url},
    )


@require_POST
@protected
def note_add(request: HttpRequest, code) -> HttpResponse:
    item, _scope = get_followup_for_user(request.user, code, REPORT)
    form = NoteForm(request.POST)
    submit(
        request,
        form,
        lambda: services.followup_note_add(
            actor=request.user,
            item=item,
            text=form.cleaned_data["text"],
            on=form.cleaned_data["on"],
        ),
        success=_("Se registró el avance."),
        flash=True,
    )
    return _back(item)


@require_POST
@protected
def evidence_add(request: HttpRequest, code) -> HttpResponse:
    item, _scope = get_followup_for_user(request.user, code, REPORT)
    form = EvidenceForm(request.POST, request.FILES)
    submit(
        request,
        form,
        lambda: services.followup_evidence_add(
            actor=request.user,
            item=item,
            upload=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
            description=form.cleaned_data["description"],
        ),
        success=_("Se agregó la evidencia."),
        flash=True,
    )
    return _back(item)


@require_POST
@protected
def mark_done(request: HttpRequest, code) -> HttpResponse:
    item, _scope = get_followup_for_user(request.user, code, REPORT)
    perform(
        request,
        lambda: services.followup_mark_done(actor=request.user, item=item),
        success=_("Se marcó como atendido; falta la verificación."),
    )
    return _back(item)


@require_POST
@protected
def verify(request: HttpRequest, code) -> HttpResponse:
    item, _scope = get_followup_for_user(request.user, code, VERIFY)
    form = VerifyForm(request.POST)
    submit(
        request,
        form,
        lambda: services.followup_verify(
            actor=request.user, item=item, note=form.cleaned_data["note"]
        ),
        success=_("Se verificó y cerró como cumplido."),
        flash=True,
    )
    return _back(item)


@require_POST
@protected
def cancel(request: HttpRequest, code) -> HttpResponse:
    item, _scope = get_followup_for_user(request.user, code, VERIFY)
    form = ReasonForm(request.POST)
    submit(
        request,
        form,
        lambda: services.followup_cancel(
            actor=request.user, item=item, reason=form.cleaned_data["reason"]
        ),
        success=_("Se canceló."),
        flash=True,
    )
    return _back(item)


@require_POST
@protected
def reopen(request: HttpRequest, code) -> HttpResponse:
    item, _scope = get_followup_for_user(request.user, code, VERIFY)
    form = ReasonForm(request.POST)
    submit(
        request,
        form,
        lambda: services.followup_reopen(
            actor=request.user, item=item, reason=form.cleaned_data["reason"]
        ),
        success=_("Se reabrió."),
        flash=True,
    )
    return _back(item)


@require_GET
@protected
def evidence_download(request: HttpRequest, code) -> FileResponse:
    evidence = FollowUpEvidence.objects.select_related("followup").filter(code=code).first()
    if evidence is None:
        raise not_found()
    get_followup_for_user(request.user, evidence.followup.code)  # 404 unless readable
    return attachment_response(evidence.file.open("rb"), evidence.original_name, evidence.mime_type)

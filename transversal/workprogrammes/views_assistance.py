"""Technical assistance requests: the state asks for assistance for goals and commitments of
its convenio, the national institution attends it (follow-up panel) and links the assistance
it gave."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import readable_states
from transversal.agreements.models import Agreement, TechnicalAssistance
from transversal.core.access import forbidden, not_found, protected
from transversal.core.codes import is_uuid
from transversal.core.forms import submit
from transversal.core.pagination import page_query, paginate
from transversal.followup.views import panel_context
from transversal.workprogrammes import services
from transversal.workprogrammes.access import (
    VALIDATE,
    get_request_for_user,
    is_validator,
)
from transversal.workprogrammes.forms import AssistanceRequestForm, LinkForm
from transversal.workprogrammes.models import AssistanceRequest
from transversal.workprogrammes.views import _member_scope, writable_agreements


def _agreement_from(request: HttpRequest, agreements):
    code = request.GET.get("convenio", "")
    return agreements.filter(code=code).first() if is_uuid(code) else None


@require_GET
@protected
def request_list(request: HttpRequest) -> HttpResponse:
    scope = _member_scope(request)
    rows = AssistanceRequest.objects.select_related(
        "agreement__state", "followup", "assistance"
    ).order_by("agreement__state__code", "-requested_on", "-number")
    if not scope.is_national:
        rows = rows.filter(agreement__state_institution_id__in=list(scope.institution_ids()))
    agreement = _agreement_from(request, Agreement.objects.select_related("state"))
    if request.GET.get("convenio"):
        rows = rows.filter(agreement=agreement)
    state = request.GET.get("entidad", "")[:2]
    if state:
        rows = rows.filter(agreement__state__code=state)
    page = paginate(request, rows)
    return render(
        request,
        "workprogrammes/request_list.html",
        {
            "page": page,
            "page_query": page_query(request),
            "agreement": agreement,
            "state": state,
            "states": list(readable_states(scope)),
            "today": timezone.localdate(),
            "can_request": writable_agreements(scope).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@protected
def request_new(request: HttpRequest) -> HttpResponse:
    """Choose the convenio (when the person edits for more than one), then the goals and
    commitments the assistance serves, its topic and the date wished."""
    scope = _member_scope(request)
    agreements = writable_agreements(scope)
    if not agreements.exists():
        raise forbidden()
    agreement = _agreement_from(request, agreements)
    if agreement is None and request.GET.get("convenio"):
        raise not_found()  # another state's convenio looks like a missing one
    if agreement is None and agreements.count() == 1:
        agreement = agreements.first()
    if agreement is None:
        if request.method == "POST":
            raise not_found()
        return render(
            request,
            "workprogrammes/request_new.html",
            {"agreements": list(agreements), "form": None, "agreement": None},
        )
    form = AssistanceRequestForm(request.POST or None, agreement=agreement, auto_id="req_%s")
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.assistance_request_add(
                actor=request.user, agreement=agreement, **form.cleaned_data
            ),
            success=lambda r: _("Se registró la solicitud de asistencia %(n)s.") % {"n": r.number},
        )
        if outcome.ok:
            return redirect("workprogrammes:request", outcome.result.code)
    return render(
        request,
        "workprogrammes/request_new.html",
        {"agreements": list(agreements), "form": form, "agreement": agreement},
    )


def _state_assistance(assistance_request: AssistanceRequest):
    return TechnicalAssistance.objects.filter(
        recipient_id=assistance_request.agreement.state_institution_id
    ).order_by("-date", "pk")


@require_GET
@protected
def request_detail(request: HttpRequest, code) -> HttpResponse:
    assistance_request, scope = get_request_for_user(request.user, code)
    link_form = None
    if is_validator(scope):
        link_form = LinkForm(
            records=_state_assistance(assistance_request),
            initial={"assistance": assistance_request.assistance_id},
            auto_id="link_%s",
        )
    return render(
        request,
        "workprogrammes/request_detail.html",
        {
            "item": assistance_request,
            "agreement": assistance_request.agreement,
            "goals": list(assistance_request.goals.order_by("number")),
            "commitments": list(assistance_request.commitments.order_by("party", "number")),
            "fu": panel_context(assistance_request.followup, scope, request.user),
            "link_form": link_form,
        },
    )


@require_POST
@protected
def request_link(request: HttpRequest, code) -> HttpResponse:
    assistance_request, _scope = get_request_for_user(request.user, code, VALIDATE)
    form = LinkForm(request.POST, records=_state_assistance(assistance_request))
    submit(
        request,
        form,
        lambda: services.assistance_request_link(
            actor=request.user,
            request=assistance_request,
            assistance=form.cleaned_data["assistance"],
        ),
        success=_("Se vinculó la asistencia técnica brindada a la solicitud."),
        flash=True,
    )
    return redirect("workprogrammes:request", assistance_request.code)

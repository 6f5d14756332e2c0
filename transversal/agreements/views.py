from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import READ, scope_for
from transversal.agreements import selectors
from transversal.agreements.access import (
    ASSIST,
    MANAGE,
    Scope,
    assistance_recipients,
    can_manage_agreement,
    can_manage_agreements,
    can_read_agreement,
    can_record_assistance,
    get_agreement_for_user,
    get_assistance_for_user,
    get_national_for_user,
    get_state_for_user,
)
from transversal.agreements.forms import (
    AgreementForm,
    AmendmentForm,
    AssistanceForm,
    CommitmentEditForm,
    CommitmentForm,
    GoalForm,
    SignatoryForm,
    TransitionForm,
)
from transversal.agreements.models import (
    PUBLIC_STATUSES,
    Agreement,
    AgreementStatus,
    Commitment,
    EmphasisArea,
    Goal,
    Party,
)
from transversal.agreements.services import (
    agreement_create,
    agreement_transition,
    agreement_update,
    amendment_add,
    assistance_record,
    commitment_add,
    commitment_update,
    goal_add,
    goal_update,
    signatory_add,
)
from transversal.core.access import not_found, protected, public
from transversal.core.forms import NO_CHANGES, submit
from transversal.core.lights import ROLLUP_LEGEND
from transversal.institutions.selectors import national_institution
from transversal.territory.models import State

# Lists ----------------------------------------------------------------------


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 1990 <= int(value) <= 2100 else None


@require_GET
@public
def agreement_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    filters = {
        "state": request.GET.get("entidad", ""),
        "round": request.GET.get("ronda", "").strip(),
        "status": request.GET.get("estado", ""),
        "area": request.GET.get("area", ""),
        "year": _year(request.GET.get("anio", "")),
    }
    if filters["status"] not in AgreementStatus.values:
        filters["status"] = ""
    if filters["area"] not in EmphasisArea.values:
        filters["area"] = ""
    agreements = list(selectors.agreement_list(scope, **filters))
    national = national_institution() if scope.national_roles else None
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "agreements": agreements,
            "filters": filters,
            "states": State.objects.all(),
            "rounds": selectors.agreement_rounds(scope),
            # Without a membership only public statuses can be listed: offer no other.
            "statuses": AgreementStatus.choices
            if scope.roles
            else [
                (value, label)
                for value, label in AgreementStatus.choices
                if value in PUBLIC_STATUSES
            ],
            "areas": EmphasisArea.choices,
            "can_create": national is not None and can_manage_agreements(scope, national),
        },
    )


# Agreement page ---------------------------------------------------------------


# The agreement page holds several forms with fields of the same name (a commitment's and a goal's
# number and area): each form's ids get their own start, so every id on the page is unique and
# every label names its own control. The field names (the POST contract) do not change.
_AUTO_IDS = {
    "transition_form": "estado_%s",
    "amendment_form": "modificatorio_%s",
    "commitment_form": "compromiso_%s",
    "signatory_form": "firmante_%s",
    "goal_form": "meta_%s",
}


def _detail_context(agreement: Agreement, scope: Scope, **forms) -> dict:
    can_manage = can_manage_agreement(scope, agreement)
    can_read_all = can_read_agreement(scope, agreement)
    commitments = list(agreement.commitments.all())
    context = {
        "agreement": agreement,
        "can_manage": can_manage,
        "can_read_all": can_read_all,
        "can_assist": can_read_all and can_record_assistance(scope, agreement.state_institution),
        "status_changes": list(agreement.status_changes.all()),
        "signatories": list(agreement.signatories.all()),
        "amendments": list(agreement.amendments.all()),
        "national_commitments": [c for c in commitments if c.party == Party.NATIONAL],
        "state_commitments": [c for c in commitments if c.party == Party.STATE],
        "goals": list(agreement.goals.all()),
        "assistance": list(agreement.assistance.all()) if can_read_all else [],
        "light_legend": ROLLUP_LEGEND,
    }
    if can_manage:
        transitions = agreement.allowed_transitions()
        context.update(
            {
                "transition_form": forms.get("transition_form")
                or (
                    TransitionForm(choices=transitions, auto_id=_AUTO_IDS["transition_form"])
                    if transitions
                    else None
                ),
                "amendment_form": forms.get("amendment_form")
                or (
                    AmendmentForm(auto_id=_AUTO_IDS["amendment_form"])
                    if agreement.status != AgreementStatus.DRAFT
                    else None
                ),
                "commitment_form": forms.get("commitment_form")
                or CommitmentForm(auto_id=_AUTO_IDS["commitment_form"]),
                "signatory_form": forms.get("signatory_form")
                or SignatoryForm(auto_id=_AUTO_IDS["signatory_form"]),
                "goal_form": forms.get("goal_form")
                or GoalForm(
                    initial={"number": max((g.number for g in context["goals"]), default=0) + 1},
                    auto_id=_AUTO_IDS["goal_form"],
                ),
            }
        )
    return context


def _detail_page(
    request: HttpRequest, agreement: Agreement, scope: Scope, status: int = 200, **forms
) -> HttpResponse:
    return render(
        request,
        "agreements/agreement_detail.html",
        _detail_context(agreement, scope, **forms),
        status=status,
    )


@require_GET
@public
def agreement_detail(request: HttpRequest, code) -> HttpResponse:
    agreement, scope = get_agreement_for_user(
        request.user, code, READ, queryset=selectors.agreement_page()
    )
    return _detail_page(request, agreement, scope)


def _agreement_values(form: AgreementForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("state_institution", None)
    data["signed_document"] = data.get("signed_document") or None
    return data


@require_http_methods(["GET", "POST"])
@protected
def agreement_new(request: HttpRequest) -> HttpResponse:
    national, _scope = get_national_for_user(request.user)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: agreement_create(
                actor=request.user,
                national_institution=national,
                state_institution=form.cleaned_data["state_institution"],
                **_agreement_values(form),
            ),
            success=_("Se registró el convenio en borrador."),
        )
        if outcome.ok:
            return redirect("agreements:detail", code=outcome.result.code)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "agreement": None},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@protected
def agreement_edit(request: HttpRequest, code) -> HttpResponse:
    agreement, _scope = get_agreement_for_user(request.user, code, MANAGE)
    initial = {
        field: getattr(agreement, field)
        for field in (
            "round",
            "title",
            "signed_on",
            "valid_from",
            "valid_to",
            "purpose",
            "emphasis_areas",
        )
    }
    form = AgreementForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: agreement_update(
                actor=request.user, agreement=agreement, **_agreement_values(form)
            ),
            success=_("Se guardaron los cambios del convenio."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("agreements:detail", code=agreement.code)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "agreement": agreement},
        status=400 if form.is_bound else 200,
    )


# Writes from the agreement page ---------------------------------------------


def _post_form(request, code, form_class, form_key: str, service, success: str, **form_kwargs):
    """Shared shape of the POST-only forms of the agreement page: on error, the page again with the
    errors."""
    agreement, scope = get_agreement_for_user(request.user, code, MANAGE)
    form = form_class(
        request.POST, request.FILES or None, auto_id=_AUTO_IDS[form_key], **form_kwargs
    )
    if submit(request, form, lambda: service(agreement, form.cleaned_data), success=success).ok:
        return redirect("agreements:detail", code=agreement.code)
    agreement, scope = get_agreement_for_user(
        request.user, code, READ, queryset=selectors.agreement_page()
    )
    return _detail_page(request, agreement, scope, status=400, **{form_key: form})


@require_POST
@protected
def agreement_status(request: HttpRequest, code) -> HttpResponse:
    def run(agreement, data):
        agreement_transition(actor=request.user, agreement=agreement, **data)

    return _post_form(
        request, code, TransitionForm, "transition_form", run, _("Se registró el cambio de estado.")
    )


@require_POST
@protected
def amendment_create(request: HttpRequest, code) -> HttpResponse:
    def run(agreement, data):
        amendment_add(
            actor=request.user,
            agreement=agreement,
            signed_on=data["signed_on"],
            summary=data["summary"],
            document=data.get("document") or None,
        )

    return _post_form(
        request,
        code,
        AmendmentForm,
        "amendment_form",
        run,
        _("Se registró el convenio modificatorio."),
    )


@require_POST
@protected
def commitment_create(request: HttpRequest, code) -> HttpResponse:
    def run(agreement, data):
        commitment_add(actor=request.user, agreement=agreement, **data)

    return _post_form(
        request, code, CommitmentForm, "commitment_form", run, _("Se registró el compromiso.")
    )


@require_POST
@protected
def signatory_create(request: HttpRequest, code) -> HttpResponse:
    def run(agreement, data):
        signatory_add(actor=request.user, agreement=agreement, **data)

    return _post_form(
        request, code, SignatoryForm, "signatory_form", run, _("Se registró quién firma.")
    )


@require_POST
@protected
def goal_create(request: HttpRequest, code) -> HttpResponse:
    def run(agreement, data):
        goal_add(actor=request.user, agreement=agreement, **data)

    return _post_form(request, code, GoalForm, "goal_form", run, _("Se registró la meta."))


@require_http_methods(["GET", "POST"])
@protected
def commitment_edit(request: HttpRequest, code, party: str, number: int) -> HttpResponse:
    agreement, _scope = get_agreement_for_user(request.user, code, MANAGE)
    commitment = Commitment.objects.filter(agreement=agreement, party=party, number=number).first()
    if commitment is None:
        raise not_found()
    form = CommitmentEditForm(
        request.POST or None, initial={"text": commitment.text, "area": commitment.area}
    )
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: commitment_update(
                actor=request.user, commitment=commitment, **form.cleaned_data
            ),
            success=_("Se guardó el compromiso."),
        ).ok
    ):
        return redirect("agreements:detail", code=agreement.code)
    title = _("Editar compromiso %(number)s") % {"number": commitment.number}
    return render(
        request,
        "agreements/form_page.html",
        {"form": form, "agreement": agreement, "title": title},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@protected
def goal_edit(request: HttpRequest, code, goal_code) -> HttpResponse:
    agreement, _scope = get_agreement_for_user(request.user, code, MANAGE)
    goal = Goal.objects.filter(agreement=agreement, code=goal_code).first()
    if goal is None:
        raise not_found()
    initial = {
        "number": goal.number,
        "description": goal.description,
        "due_date": goal.due_date,
        "area": goal.area,
        "evidence_required": goal.evidence_required,
    }
    form = GoalForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: goal_update(actor=request.user, goal=goal, **form.cleaned_data),
            success=_("Se guardó la meta."),
        ).ok
    ):
        return redirect("agreements:detail", code=agreement.code)
    title = _("Editar meta %(number)s") % {"number": goal.number}
    return render(
        request,
        "agreements/form_page.html",
        {"form": form, "agreement": agreement, "title": title},
        status=400 if form.is_bound else 200,
    )


# Documents: never served by URL, always through an access check -------------


def _download(field_file, filename: str) -> FileResponse:
    if not field_file:
        raise not_found()
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise not_found() from None
    response = FileResponse(handle, as_attachment=True, filename=filename or "documento.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _readable_agreement(request: HttpRequest, code) -> Agreement:
    agreement, scope = get_agreement_for_user(request.user, code, READ)
    if not can_read_agreement(scope, agreement):
        raise not_found()
    return agreement


@require_GET
@protected
def agreement_document(request: HttpRequest, code) -> FileResponse:
    agreement = _readable_agreement(request, code)
    return _download(agreement.signed_document, agreement.signed_document_name)


@require_GET
@protected
def amendment_document(request: HttpRequest, code, number: int) -> FileResponse:
    agreement = _readable_agreement(request, code)
    amendment = agreement.amendments.filter(number=number).first()
    if amendment is None:
        raise not_found()
    return _download(amendment.document, amendment.document_name)


@require_GET
@protected
def assistance_evidence(request: HttpRequest, code) -> FileResponse:
    record, _scope = get_assistance_for_user(request.user, code)
    return _download(record.evidence, record.evidence_name)


# Technical assistance ----------------------------------------------------------


@require_GET
@protected
def agreement_assistance(request: HttpRequest, code) -> HttpResponse:
    agreement = _readable_agreement(request, code)
    scope = scope_for(request.user)
    records = list(selectors.assistance_queryset().filter(agreement=agreement))
    return render(
        request,
        "agreements/assistance_list.html",
        {
            "agreement": agreement,
            "state": agreement.state,
            "records": records,
            "can_record": can_record_assistance(scope, agreement.state_institution),
        },
    )


@require_GET
@protected
def state_assistance(request: HttpRequest, state_code: str) -> HttpResponse:
    state, scope = get_state_for_user(request.user, state_code)
    records = list(selectors.state_assistance(state))
    return render(
        request,
        "agreements/assistance_list.html",
        {
            "agreement": None,
            "state": state,
            "records": records,
            "can_record": bool(assistance_recipients(scope, state)),
        },
    )


def _assistance_values(form: AssistanceForm) -> dict:
    data = dict(form.cleaned_data)
    data["evidence"] = data.get("evidence") or None
    if not data["provider_name"].strip():
        data["provider_institution"] = national_institution()
    return data


@require_http_methods(["GET", "POST"])
@protected
def assistance_new(request: HttpRequest, state_code: str) -> HttpResponse:
    state, scope = get_state_for_user(request.user, state_code, ASSIST)
    recipients = assistance_recipients(scope, state)
    agreements = selectors.visible_agreements(scope).filter(
        state=state, state_institution__in=recipients
    )
    initial = {"recipient": recipients[0].pk if len(recipients) == 1 else None}
    preselected = (
        agreements.filter(code=request.GET.get("convenio")).first()
        if request.GET.get("convenio")
        else None
    )
    if preselected:
        initial.update(agreement=preselected.pk, recipient=preselected.state_institution_id)
    form = AssistanceForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        recipients=recipients,
        agreements=agreements,
    )
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: assistance_record(actor=request.user, **_assistance_values(form)),
            success=_("Se registró la asistencia técnica."),
        )
        if outcome.ok and outcome.result.agreement_id:
            return redirect("agreements:detail", code=outcome.result.agreement.code)
        if outcome.ok:
            return redirect("agreements:state_assistance", state_code=state.code)
    return render(
        request,
        "agreements/form_page.html",
        {
            "form": form,
            "agreement": preselected,
            "state": state,
            "title": _("Registrar asistencia técnica"),
            "multipart": True,
        },
        status=400 if form.is_bound else 200,
    )

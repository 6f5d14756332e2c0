"""Pages of the improvement step (evaluations, findings, ASM) and of the model's cycle."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import can_read, scope_for
from transversal.core.access import forbidden, not_found, protected
from transversal.core.forms import NO_CHANGES, perform, submit
from transversal.core.uploads import attachment_response
from transversal.followup.views import panel_context
from transversal.improvement import selectors, services
from transversal.improvement.access import (
    RECORD,
    can_record,
    get_action_for_user,
    get_evaluation_for_user,
    get_finding_for_user,
    recording_institutions,
)
from transversal.improvement.forms import (
    ActionForm,
    ComponentsForm,
    DecisionForm,
    EvaluationForm,
    FindingForm,
    ReportForm,
    ScopeForm,
    SourcedFindingForm,
)
from transversal.improvement.models import EvaluationReport, FindingSource, FindingStatus
from transversal.institutions.models import Institution

SHOW_LABELS = {
    "abiertos": gettext_lazy("Abiertos"),
    "vencidos": gettext_lazy("Vencidos"),
    "por-verificar": gettext_lazy("Atendidos, por verificar"),
    "verificados": gettext_lazy("Verificados"),
    "cancelados": gettext_lazy("Cancelados"),
}


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("anio", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


@require_GET
@protected
def home(request: HttpRequest) -> HttpResponse:
    """Evaluations, proposals waiting for a decision and the ASM, for the person's scope."""
    scope = scope_for(request.user)
    if not scope.roles and not scope.is_national:
        raise not_found()
    today = timezone.localdate()
    year = _year(request)
    show = request.GET.get("ver", "")
    institution = request.GET.get("institucion", "")[:80]
    recording = recording_institutions(scope)
    return render(
        request,
        "improvement/home.html",
        {
            "year": year,
            "show": show if show in SHOW_LABELS else "",
            "show_labels": SHOW_LABELS,
            "evaluations": selectors.evaluation_rows(scope, year),
            "proposed": selectors.proposed_findings(scope),
            "actions": list(
                selectors.action_rows(scope, today, year=year, show=show, institution=institution)[
                    :200
                ]
            ),
            "institution": institution,
            "today": today,
            "can_record": recording.exists(),
            "own_institutions": _own_institutions(scope),
        },
    )


def _own_institutions(scope) -> list[Institution]:
    return list(
        Institution.objects.with_names()
        .select_related("state")
        .filter(pk__in=scope.institution_ids())
        .order_by("state__code", "slug")
    )


def _new_page(request, form_class, create, *, success, target: str, title, initial=None):
    """A page that records something new for one of the institutions this person records for
    (their own preselected): 404 for outsiders, 403 for read-only members."""
    scope = scope_for(request.user)
    if not scope.roles and not scope.is_national:
        raise not_found()
    institutions = recording_institutions(scope)
    if not institutions.exists():
        raise forbidden()
    own = institutions.filter(pk__in=scope.institution_ids()).first()
    initial = {**(initial or {}), "institution": own.pk if own else None}
    form = form_class(request.POST or None, institutions=institutions, initial=initial)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: create(actor=request.user, **form.cleaned_data),
            success=success,
        )
        if outcome.ok:
            return redirect(target, outcome.result.code)
    return render(request, "improvement/form_page.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@protected
def evaluation_new(request: HttpRequest) -> HttpResponse:
    return _new_page(
        request,
        EvaluationForm,
        services.evaluation_create,
        success=_("Se registró la evaluación."),
        target="improvement:evaluation",
        title=_("Registrar evaluación"),
        initial={"year": timezone.localdate().year},
    )


@require_GET
@protected
def evaluation_detail(request: HttpRequest, code) -> HttpResponse:
    evaluation, scope = get_evaluation_for_user(request.user, code)
    record = can_record(scope, evaluation.institution)
    return render(
        request,
        "improvement/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "institution": evaluation.institution,
            "reports": list(evaluation.reports.all()),
            "findings": selectors.evaluation_findings(evaluation),
            "plans": list(evaluation.plans.all()),
            "indicators": list(evaluation.indicators.all()),
            "goals": list(evaluation.goals.select_related("agreement")),
            "can_record": record,
            "finding_form": FindingForm(auto_id="finding_%s") if record else None,
            "report_form": ReportForm(auto_id="report_%s") if record else None,
        },
    )


@require_POST
@protected
def evaluation_scope(request: HttpRequest, code) -> HttpResponse:
    evaluation, _scope = get_evaluation_for_user(request.user, code, RECORD)
    form = ScopeForm(request.POST, institution=evaluation.institution)
    submit(
        request,
        form,
        lambda: services.evaluation_scope_set(
            actor=request.user, evaluation=evaluation, **form.cleaned_data
        ),
        success=_("Se guardó el alcance de la evaluación."),
        unchanged=NO_CHANGES,
        flash=True,
    )
    return redirect("improvement:evaluation", evaluation.code)


@require_POST
@protected
def report_add(request: HttpRequest, code) -> HttpResponse:
    evaluation, _scope = get_evaluation_for_user(request.user, code, RECORD)
    form = ReportForm(request.POST, request.FILES)
    submit(
        request,
        form,
        lambda: services.evaluation_report_add(
            actor=request.user,
            evaluation=evaluation,
            upload=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
            description=form.cleaned_data["description"],
        ),
        success=_("Se subió el informe."),
        flash=True,
    )
    return redirect("improvement:evaluation", evaluation.code)


@require_GET
@protected
def report_download(request: HttpRequest, code) -> FileResponse:
    report = (
        EvaluationReport.objects.select_related("evaluation").filter(code=code).first()
        if code
        else None
    )
    if report is None:
        raise not_found()
    get_evaluation_for_user(request.user, report.evaluation.code)
    return attachment_response(report.file.open("rb"), report.original_name, report.mime_type)


@require_POST
@protected
def finding_add(request: HttpRequest, code) -> HttpResponse:
    evaluation, _scope = get_evaluation_for_user(request.user, code, RECORD)
    form = FindingForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda: services.finding_add(
            actor=request.user,
            institution=evaluation.institution,
            evaluation=evaluation,
            source=FindingSource.EVALUATION,
            text=form.cleaned_data["text"],
        ),
        success=lambda finding: _("Se registró el hallazgo %(label)s.") % {"label": finding.label},
        flash=True,
    )
    if outcome.ok:
        return redirect("improvement:finding", outcome.result.code)
    return redirect("improvement:evaluation", evaluation.code)


@require_http_methods(["GET", "POST"])
@protected
def finding_new(request: HttpRequest) -> HttpResponse:
    """A finding from a returned report, an acuerdo or a light, outside any evaluation."""
    return _new_page(
        request,
        SourcedFindingForm,
        services.finding_add,
        success=lambda f: _("Se registró el hallazgo %(label)s.") % {"label": f.label},
        target="improvement:finding",
        title=_("Registrar hallazgo"),
    )


@require_GET
@protected
def finding_detail(request: HttpRequest, code) -> HttpResponse:
    finding, scope = get_finding_for_user(request.user, code)
    record = can_record(scope, finding.institution)
    accepted = finding.status == FindingStatus.ACCEPTED
    return render(
        request,
        "improvement/finding_detail.html",
        {
            "finding": finding,
            "actions": selectors.finding_actions(finding),
            "today": timezone.localdate(),
            "can_decide": record and finding.status == FindingStatus.PROPOSED,
            "decision_form": DecisionForm(auto_id="decision_%s"),
            "action_form": ActionForm(finding=finding, auto_id="asm_%s")
            if record and accepted
            else None,
        },
    )


@require_POST
@protected
def finding_decide(request: HttpRequest, code, decision: str) -> HttpResponse:
    finding, _scope = get_finding_for_user(request.user, code, RECORD)
    reason = DecisionForm(request.POST).data.get("reason", "")
    if decision == "aceptar":
        perform(
            request,
            lambda: services.finding_accept(actor=request.user, finding=finding, note=reason),
            success=_("Se aceptó el hallazgo."),
            flash=True,
        )
    else:
        perform(
            request,
            lambda: services.finding_dismiss(actor=request.user, finding=finding, reason=reason),
            success=_("Se descartó el hallazgo; el motivo queda en su historial."),
            flash=True,
        )
    return redirect("improvement:finding", finding.code)


@require_POST
@protected
def action_add(request: HttpRequest, code) -> HttpResponse:
    finding, _scope = get_finding_for_user(request.user, code, RECORD)
    form = ActionForm(request.POST, finding=finding)
    outcome = submit(
        request,
        form,
        lambda: services.action_add(actor=request.user, finding=finding, **form.cleaned_data),
        success=lambda a: _("Se registró el %(label)s.") % {"label": a.label},
        flash=True,
    )
    if outcome.ok:
        return redirect("improvement:action", outcome.result.code)
    return redirect("improvement:finding", finding.code)


@require_GET
@protected
def action_detail(request: HttpRequest, code) -> HttpResponse:
    action, scope = get_action_for_user(request.user, code)
    today = timezone.localdate()
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            "finding": action.finding,
            "overdue": action.followup.is_overdue(today),
            "fu": panel_context(action.followup, scope, request.user),
        },
    )


def _cycle_institution(request: HttpRequest, slug: str):
    institution = Institution.objects.with_names().select_related("state").filter(slug=slug).first()
    scope = scope_for(request.user)
    if institution is None or not can_read(scope, institution):
        raise not_found()
    return institution, scope


@require_GET
@protected
def cycle_home(request: HttpRequest) -> HttpResponse:
    """The person's own institution's cycle (the first, if several); the national coordination
    starts at its own institution too."""
    scope = scope_for(request.user)
    own = _own_institutions(scope)
    if not own:
        raise not_found()
    return redirect("improvement:cycle", own[0].slug)


@require_GET
@protected
def cycle_page(request: HttpRequest, slug: str) -> HttpResponse:
    institution, scope = _cycle_institution(request, slug)
    today = timezone.localdate()
    year = _year(request) or today.year
    summary = selectors.cycle(institution, year, today)
    record = can_record(scope, institution)
    components = None
    if record and summary.plans:
        components = ComponentsForm(
            plans=selectors.plans_in_force(institution, year),
            initial={"plans": [p.pk for p in summary.plans if p.in_model]},
            auto_id="model_%s",
        )
    return render(
        request,
        "improvement/cycle.html",
        {
            "cycle": summary,
            "institution": institution,
            "year": year,
            "years": [year - 1, year + 1],
            "components_form": components,
            "others": _own_institutions(scope),
        },
    )


@require_POST
@protected
def cycle_components(request: HttpRequest, slug: str) -> HttpResponse:
    institution, scope = _cycle_institution(request, slug)
    if not can_record(scope, institution):
        raise forbidden()
    year = _year(request) or timezone.localdate().year
    form = ComponentsForm(request.POST, plans=selectors.plans_in_force(institution, year))
    submit(
        request,
        form,
        lambda: services.model_components_set(
            actor=request.user, institution=institution, year=year, **form.cleaned_data
        ),
        success=_("Se guardaron los planes que integran el modelo."),
        unchanged=NO_CHANGES,
        flash=True,
    )
    return redirect(f"{request.path.rsplit('modelo/', 1)[0]}?anio={year}")

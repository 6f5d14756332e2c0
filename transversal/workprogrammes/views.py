"""Pages of the convenio's yearly work programme: the list, the programme with its goals,
observations, quarterly reports, resources and closure, and every action on it.

Each POST view asks the access helper first (404 outsiders, 403 read-only members), runs the
service through ``core.forms`` and goes back to the programme's page with a message.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import readable_states, scope_for
from transversal.agreements.models import Agreement, AgreementStatus
from transversal.core.access import forbidden, not_found, protected
from transversal.core.codes import is_uuid
from transversal.core.forms import perform, submit
from transversal.core.pagination import page_query, paginate
from transversal.core.uploads import attachment_response
from transversal.monitoring.services import period_reopen
from transversal.workprogrammes import selectors, services
from transversal.workprogrammes.access import (
    READ,
    VALIDATE,
    WRITE,
    can_write,
    get_programme_for_user,
    is_validator,
    readable_programmes,
)
from transversal.workprogrammes.forms import (
    AnswerForm,
    LineForm,
    MinutesForm,
    NoteForm,
    ObserveForm,
    ProgrammeFilterForm,
    ProgrammeNewForm,
    RefundForm,
    ReopenForm,
)
from transversal.workprogrammes.models import (
    AWAITING_NATIONAL,
    EDITABLE_STAGES,
    EXECUTION_STAGES,
    QUARTERS,
    SOURCES,
    ClosingDocument,
    ProgrammeLine,
    ReportStatus,
    Source,
    Stage,
    WorkProgramme,
)

# The strip of stages a programme goes through; observed and corrected share one step.
STAGE_STEPS = (
    ((Stage.DRAFT,), Stage.DRAFT.label),
    ((Stage.PROPOSED,), Stage.PROPOSED.label),
    ((Stage.OBSERVED, Stage.CORRECTED), None),
    ((Stage.VALIDATED,), Stage.VALIDATED.label),
    ((Stage.IN_EXECUTION,), Stage.IN_EXECUTION.label),
    ((Stage.CLOSED,), Stage.CLOSED.label),
)


def _member_scope(request: HttpRequest):
    scope = scope_for(request.user)
    if not scope.roles and not scope.is_national:
        raise not_found()
    return scope


def writable_agreements(scope):
    """Signed convenios of the institutions where the person edits: those that take a
    programme (the service checks the year against their validity)."""
    ids = [pk for pk in scope.institution_ids() if scope.roles[pk] in ("admin", "editor")]
    return (
        Agreement.objects.filter(state_institution_id__in=ids)
        .exclude(status__in=[AgreementStatus.DRAFT, AgreementStatus.TERMINATED])
        .select_related("state")
        .order_by("state__code", "-valid_from", "title")
    )


# The list


@require_GET
@protected
def programme_list(request: HttpRequest) -> HttpResponse:
    """The programmes the person reads, filtered by year, state and stage, a page at a time."""
    scope = _member_scope(request)
    filters = ProgrammeFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    programmes = readable_programmes(scope).annotate(
        line_count=Count("lines", distinct=True),
        pending_count=Count(
            "observations", filter=Q(observations__answered_at__isnull=True), distinct=True
        ),
    )
    if chosen.get("anio"):
        programmes = programmes.filter(year=chosen["anio"])
    if chosen.get("entidad"):
        programmes = programmes.filter(agreement__state__code=chosen["entidad"])
    if chosen.get("etapa"):
        programmes = programmes.filter(stage=chosen["etapa"])
    agreement_code = request.GET.get("convenio", "")
    agreement = None
    if agreement_code:
        agreement = (
            Agreement.objects.filter(code=agreement_code).first()
            if is_uuid(agreement_code)
            else None
        )
        programmes = programmes.filter(agreement=agreement)
    page = paginate(request, programmes.order_by("agreement__state__code", "-year", "pk"))
    agreements = writable_agreements(scope)
    today = timezone.localdate()
    new_form = (
        ProgrammeNewForm(
            agreements=agreements,
            initial={"year": today.year, "agreement": agreement.pk if agreement else None},
            auto_id="new_%s",
        )
        if agreements.exists()
        else None
    )
    return render(
        request,
        "workprogrammes/programme_list.html",
        {
            "page": page,
            "page_query": page_query(request),
            "filters": filters,
            "chosen": chosen,
            "states": list(readable_states(scope)),
            "stages": Stage.choices,
            "agreement": agreement,
            "new_form": new_form,
        },
    )


@require_POST
@protected
def programme_new(request: HttpRequest) -> HttpResponse:
    scope = _member_scope(request)
    agreements = writable_agreements(scope)
    if not agreements.exists():
        raise forbidden()
    form = ProgrammeNewForm(request.POST, agreements=agreements)
    outcome = submit(
        request,
        form,
        lambda: services.programme_create(
            actor=request.user,
            agreement=form.cleaned_data["agreement"],
            year=form.cleaned_data["year"],
        ),
        success=lambda p: (
            _("Se abrió el programa de trabajo %(year)s; agregue sus metas.") % {"year": p.year}
        ),
        flash=True,
    )
    if outcome.ok:
        return redirect("workprogrammes:programme", outcome.result.code)
    return redirect("workprogrammes:list")


# The programme's page


def _stage_strip(stage: str) -> list[dict]:
    position = next(i for i, (stages, _label) in enumerate(STAGE_STEPS) if stage in stages)
    steps = []
    for index, (stages, label) in enumerate(STAGE_STEPS):
        if label is None:
            label = (
                Stage(stage).label
                if stage in stages
                else f"{Stage.OBSERVED.label} / {Stage.CORRECTED.label.lower()}"
            )
        steps.append(
            {
                "label": label,
                "done": index < position,
                "current": index == position,
            }
        )
    return steps


def _line_totals(lines: list[ProgrammeLine]) -> list[dict]:
    """Per source, the approved and the in-force (modified where recorded) sums of the goals."""
    return [
        {
            "approved": sum((line.approved(s) for line in lines), Decimal(0)),
            "in_force": sum((line.in_force(s) for line in lines), Decimal(0)),
        }
        for s in SOURCES
    ]


def _line_rows(lines: list[ProgrammeLine]) -> list[dict]:
    return [
        {
            "line": line,
            "planned": [line.planned(q) for q in QUARTERS],
            "resources": [
                {"approved": line.approved(s), "modified": getattr(line, f"{s}_modified")}
                for s in SOURCES
            ],
        }
        for line in lines
    ]


def _quarters(programme: WorkProgramme, reports: list, today) -> list[dict]:
    by_quarter = {report.quarter: report for report in reports}
    rows = []
    for quarter in QUARTERS:
        report = by_quarter.get(quarter)
        sent = report is not None and report.status != ReportStatus.DRAFT
        rows.append(
            {
                "quarter": quarter,
                "report": report,
                "due": programme.report_due_date(quarter),
                "overdue": programme.report_overdue(quarter, sent=sent, today=today),
            }
        )
    return rows


def _observations(programme: WorkProgramme) -> list:
    """Pending first (oldest first), then the answered ones (latest answer first)."""
    rows = list(
        programme.observations.select_related("author", "answered_by", "report").order_by(
            "created_at", "pk"
        )
    )
    pending = [o for o in rows if o.answered_at is None]
    answered = sorted(
        (o for o in rows if o.answered_at is not None), key=lambda o: o.answered_at, reverse=True
    )
    return pending + answered


def _with_lines(programme: WorkProgramme) -> WorkProgramme:
    prefetch_related_objects(
        [programme],
        Prefetch("lines", queryset=ProgrammeLine.objects.select_related("goal")),
    )
    return programme


@require_GET
@protected
def programme_detail(request: HttpRequest, code) -> HttpResponse:
    programme, scope = get_programme_for_user(request.user, code)
    _with_lines(programme)
    lines = list(programme.lines.all())
    today = timezone.localdate()
    writer = can_write(scope, programme)
    validator = is_validator(scope)
    editable = programme.stage in EDITABLE_STAGES
    closing = programme.stage in (Stage.IN_EXECUTION, Stage.CLOSED)
    reports = list(programme.reports.all())
    periods = None
    reopen_form = None
    if programme.is_closed:
        periods = list(
            selectors.programme_periods(programme)
            .select_related("indicator")
            .order_by("indicator__name", "indicator_id", "start")
        )
        if validator:
            locked = [p.pk for p in periods if p.locked]
            reopen_form = ReopenForm(
                periods=selectors.programme_periods(programme)
                .filter(pk__in=locked)
                .select_related("indicator")
                .order_by("indicator__name", "indicator_id", "start"),
                auto_id="reopen_%s",
            )
    checklist = selectors.closure_checklist(programme) if closing else None
    # The button shows once the whole list holds (programme_close still refuses otherwise).
    closable = bool(checklist) and all(item.ok for item in checklist)
    free_goals = (
        programme.agreement.goals.exclude(programme_lines__programme=programme).order_by("number")
        if writer and editable
        else None
    )
    return render(
        request,
        "workprogrammes/programme_detail.html",
        {
            "programme": programme,
            "agreement": programme.agreement,
            "steps": _stage_strip(programme.stage),
            "rows": _line_rows(lines),
            "line_totals": _line_totals(lines),
            "sources": [Source(s).label for s in SOURCES],
            "observations": _observations(programme),
            "quarters": _quarters(programme, reports, today),
            "reports_open": programme.stage in (*EXECUTION_STAGES, Stage.CLOSED),
            "totals": selectors.resource_totals(programme),
            "checklist": checklist,
            "documents": list(programme.closing_documents.all()) if closing else [],
            "periods": periods,
            "reopened": [p for p in periods if not p.locked] if periods else [],
            "can_write": writer,
            "is_validator": validator,
            "editable": editable and writer,
            "line_form": LineForm(goals=free_goals, auto_id="line_%s")
            if free_goals is not None and free_goals.exists()
            else None,
            "can_propose": writer and programme.stage == Stage.DRAFT,
            "answer_form": AnswerForm(auto_id="answer_%s")
            if writer and programme.stage == Stage.OBSERVED
            else None,
            "observe_form": ObserveForm(lines=programme.lines.select_related("goal"))
            if validator and programme.stage in (*AWAITING_NATIONAL, Stage.OBSERVED)
            else None,
            "validate_form": NoteForm(auto_id="validate_%s")
            if validator and programme.stage in AWAITING_NATIONAL
            else None,
            "refund_form": RefundForm(
                initial={
                    "amount": programme.refund_amount,
                    "reference": programme.refund_reference,
                    "on": programme.refund_date,
                },
                auto_id="refund_%s",
            )
            if writer and programme.stage == Stage.IN_EXECUTION
            else None,
            "minutes_form": MinutesForm(auto_id="minutes_%s")
            if writer and programme.stage == Stage.IN_EXECUTION
            else None,
            "close_form": NoteForm(auto_id="close_%s")
            if validator and programme.stage == Stage.IN_EXECUTION and closable
            else None,
            "closure_waits": programme.stage == Stage.IN_EXECUTION and not closable,
            "reopen_form": reopen_form,
        },
    )


def _back(programme: WorkProgramme, anchor: str = ""):
    response = redirect("workprogrammes:programme", programme.code)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# Goals of the programme


@require_http_methods(["GET", "POST"])
@protected
def line_edit(request: HttpRequest, code, number: int | None = None) -> HttpResponse:
    """Add a goal (``number`` None: the goal is chosen) or change one already in the programme;
    the form stays on screen with its errors when the service refuses."""
    programme, _scope = get_programme_for_user(request.user, code, WRITE)
    line = None
    if number is None:
        goals = programme.agreement.goals.exclude(programme_lines__programme=programme)
    else:
        line = programme.lines.select_related("goal").filter(goal__number=number).first()
        if line is None:
            raise not_found()
        goals = programme.agreement.goals.filter(pk=line.goal_id)
    goals = goals.order_by("number")
    initial = LineForm.initial_for(line) if line else {}
    form = LineForm(request.POST or None, goals=goals, initial=initial, auto_id="line_%s")
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.line_save(
                actor=request.user, programme=programme, **form.service_arguments()
            ),
            success=lambda saved: (
                _("Se guardó la meta %(n)s del programa.") % {"n": saved.goal.number}
            ),
        )
        if outcome.ok:
            return _back(programme, "metas")
    return render(
        request,
        "workprogrammes/line_form.html",
        {"programme": programme, "form": form, "line": line},
    )


@require_POST
@protected
def line_remove(request: HttpRequest, code, number: int) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, WRITE)
    line = programme.lines.select_related("goal").filter(goal__number=number).first()
    if line is None:
        raise not_found()
    perform(
        request,
        lambda: services.line_remove(actor=request.user, line=line),
        success=_("Se quitó la meta %(n)s del programa.") % {"n": number},
        flash=True,
    )
    return _back(programme, "metas")


# Stages


@require_POST
@protected
def propose(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, WRITE)
    perform(
        request,
        lambda: services.programme_propose(actor=request.user, programme=programme),
        success=_("Se propuso el programa a la institución nacional."),
        flash=True,
    )
    return _back(programme)


@require_POST
@protected
def observe(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, VALIDATE)
    form = ObserveForm(request.POST, lines=programme.lines.select_related("goal"))
    submit(
        request,
        form,
        lambda: services.programme_observe(
            actor=request.user,
            programme=programme,
            text=form.cleaned_data["text"],
            line=form.cleaned_data["line"],
        ),
        success=_("Se registró la observación; el programa vuelve a la entidad."),
        flash=True,
    )
    return _back(programme, "observaciones")


@require_POST
@protected
def correct(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, WRITE)
    form = AnswerForm(request.POST)
    submit(
        request,
        form,
        lambda: services.programme_correct(
            actor=request.user, programme=programme, answer=form.cleaned_data["answer"]
        ),
        success=_("Se envió el programa corregido a la institución nacional."),
        flash=True,
    )
    return _back(programme)


@require_POST
@protected
def validate(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, VALIDATE)
    form = NoteForm(request.POST)
    submit(
        request,
        form,
        lambda: services.programme_validate(
            actor=request.user, programme=programme, note=form.cleaned_data["note"]
        ),
        success=_("Se validó el programa: la entidad ya puede informar cada trimestre."),
        flash=True,
    )
    return _back(programme)


# Closure


@require_POST
@protected
def refund(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, WRITE)
    form = RefundForm(request.POST)
    submit(
        request,
        form,
        lambda: services.refund_record(
            actor=request.user,
            programme=programme,
            amount=form.cleaned_data["amount"],
            reference=form.cleaned_data["reference"],
            on=form.cleaned_data["on"],
        ),
        success=_("Se registró el reintegro."),
        flash=True,
    )
    return _back(programme, "cierre")


@require_POST
@protected
def minutes_add(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, WRITE)
    form = MinutesForm(request.POST, request.FILES)
    submit(
        request,
        form,
        lambda: services.closing_document_add(
            actor=request.user,
            programme=programme,
            upload=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
            description=form.cleaned_data["description"],
        ),
        success=_("Se subió el acta de cierre."),
        flash=True,
    )
    return _back(programme, "cierre")


@require_GET
@protected
def minutes_download(request: HttpRequest, code) -> HttpResponse:
    document = (
        ClosingDocument.objects.select_related("programme").filter(code=code).first()
        if is_uuid(str(code))
        else None
    )
    if document is None:
        raise not_found()
    get_programme_for_user(request.user, document.programme.code, READ)
    return attachment_response(document.file.open("rb"), document.original_name, document.mime_type)


@require_POST
@protected
def close(request: HttpRequest, code) -> HttpResponse:
    programme, _scope = get_programme_for_user(request.user, code, VALIDATE)
    form = NoteForm(request.POST)
    submit(
        request,
        form,
        lambda: services.programme_close(
            actor=request.user, programme=programme, note=form.cleaned_data["note"]
        ),
        success=_("Se cerró el programa: los periodos del año quedaron cerrados."),
        flash=True,
    )
    return _back(programme, "cierre")


@require_POST
@protected
def period_reopen_view(request: HttpRequest, code) -> HttpResponse:
    """The audited correction of a closed year: one period opens again, with its reason."""
    programme, _scope = get_programme_for_user(request.user, code, VALIDATE)
    if not programme.is_closed:
        raise not_found()
    form = ReopenForm(
        request.POST,
        periods=selectors.programme_periods(programme).select_related("indicator"),
    )
    submit(
        request,
        form,
        lambda: period_reopen(
            actor=request.user,
            period=form.cleaned_data["period"],
            reason=form.cleaned_data["reason"],
        ),
        success=lambda p: (
            _("Se reabrió el periodo %(p)s para su corrección; se cerrará de nuevo al aprobarse.")
            % {"p": p.display}
        ),
        flash=True,
    )
    return _back(programme, "cierre")

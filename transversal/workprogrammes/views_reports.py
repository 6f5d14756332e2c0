"""The quarterly report's page: the state writes and sends it, the national institution
acknowledges or observes it; it lists the quarter's evidence of the goals' indicators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from transversal.core.access import not_found, protected
from transversal.core.forms import perform, submit
from transversal.workprogrammes import selectors, services
from transversal.workprogrammes.access import (
    READ,
    VALIDATE,
    WRITE,
    can_write,
    get_programme_for_user,
    is_validator,
)
from transversal.workprogrammes.forms import NoteForm, ReportForm, TextForm
from transversal.workprogrammes.models import (
    EXECUTION_STAGES,
    QUARTERS,
    SOURCES,
    QuarterlyReport,
    ReportStatus,
    WorkProgramme,
    quarter_end,
)
from transversal.workprogrammes.views import _with_lines


def _report(programme: WorkProgramme, quarter: int) -> QuarterlyReport | None:
    return (
        programme.reports.filter(quarter=quarter)
        .select_related("sent_by", "reviewed_by")
        .prefetch_related("lines")
        .first()
    )


def _quarter(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise not_found()
    return quarter


def _goal_rows(programme, report, quarter: int, form: ReportForm | None) -> list[dict]:
    """Per goal: scheduled and achieved progress (the snapshot once sent, else as it stands
    now), whether it deviates beyond the threshold, the amounts and the form's fields."""
    progress = selectors.goal_progress(programme, quarter)
    saved = {row.line_id: row for row in report.lines.all()} if report else {}
    fields = dict(form.rows()) if form is not None else {}
    sent = report is not None and not report.is_editable
    rows = []
    for line in programme.lines.all():
        row = saved.get(line.pk)
        planned = row.planned if sent and row else line.planned(quarter)
        achieved = row.achieved if sent and row else progress.get(line.pk)
        rows.append(
            {
                "line": line,
                "planned": planned,
                "achieved": achieved,
                "deviates": selectors.deviates(programme, planned, achieved),
                "saved": row,
                "exercised": [row.exercised(s) for s in SOURCES] if row else None,
                "fields": fields.get(line),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@protected
def report_page(request: HttpRequest, code, quarter: int) -> HttpResponse:
    quarter = _quarter(quarter)
    action = WRITE if request.method == "POST" else READ
    programme, scope = get_programme_for_user(request.user, code, action)
    _with_lines(programme)
    lines = list(programme.lines.all())
    report = _report(programme, quarter)
    writer = can_write(scope, programme)
    editable = (
        writer and programme.stage in EXECUTION_STAGES and (report is None or report.is_editable)
    )
    form = None
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _("Este informe ya no se edita.")
                if programme.stage in EXECUTION_STAGES
                else _("Los informes trimestrales se escriben una vez validado el programa."),
            )
            return redirect("workprogrammes:report", programme.code, quarter)
        form = ReportForm(request.POST, lines=lines, auto_id="r_%s")
        send = request.POST.get("intent") == "send"
        outcome = submit(
            request,
            form,
            lambda: services.report_save(
                actor=request.user,
                programme=programme,
                quarter=quarter,
                narrative=form.cleaned_data["narrative"],
                lines=form.line_values(),
            ),
            success=None if send else _("Se guardó el informe del trimestre."),
        )
        if outcome.ok:
            if send:
                sent = perform(
                    request,
                    lambda: services.report_send(actor=request.user, report=outcome.result),
                    success=_("Se envió el informe a la institución nacional."),
                    flash=True,
                )
                if not sent.ok:
                    messages.warning(request, _("El informe quedó guardado, pero no se envió."))
            else:
                # A draft may keep an amount over what is authorized; sending it will not.
                for sentence in selectors.overspending(outcome.result):
                    messages.warning(request, sentence)
            return redirect("workprogrammes:report", programme.code, quarter)
    elif editable:
        form = ReportForm(initial=ReportForm.initial_for(report), lines=lines, auto_id="r_%s")
    validator = is_validator(scope)
    reviewing = validator and report is not None and report.status == ReportStatus.SENT
    return render(
        request,
        "workprogrammes/report_page.html",
        {
            "programme": programme,
            "agreement": programme.agreement,
            "quarter": quarter,
            "report": report,
            "due": programme.report_due_date(quarter),
            "ended": timezone.localdate() > quarter_end(programme.year, quarter),
            "period_end": quarter_end(programme.year, quarter),
            "form": form,
            "rows": _goal_rows(programme, report, quarter, form),
            "observations": list(
                report.observations.select_related("author").order_by("created_at", "pk")
            )
            if report
            else [],
            "evidence": selectors.quarter_evidence(programme, quarter),
            "periods": selectors.quarter_periods(programme, quarter),
            "threshold": programme.deviation_threshold,
            # A report sent before amounts were checked against the authorized ones.
            "overspent": selectors.overspending(report) if reviewing else [],
            "ack_form": NoteForm(auto_id="ack_%s") if reviewing else None,
            "observe_form": TextForm(auto_id="obs_%s") if reviewing else None,
            "not_open": writer and programme.stage not in EXECUTION_STAGES,
        },
    )


def _sent_report(request: HttpRequest, code, quarter: int):
    quarter = _quarter(quarter)
    programme, _scope = get_programme_for_user(request.user, code, VALIDATE)
    report = programme.reports.filter(quarter=quarter).first()
    if report is None:
        raise not_found()
    return programme, report


@require_POST
@protected
def report_acknowledge(request: HttpRequest, code, quarter: int) -> HttpResponse:
    programme, report = _sent_report(request, code, quarter)
    form = NoteForm(request.POST)
    submit(
        request,
        form,
        lambda: services.report_acknowledge(
            actor=request.user, report=report, note=form.cleaned_data["note"]
        ),
        success=_("Se acusó de recibido el informe."),
        flash=True,
    )
    return redirect("workprogrammes:report", programme.code, report.quarter)


@require_POST
@protected
def report_observe(request: HttpRequest, code, quarter: int) -> HttpResponse:
    programme, report = _sent_report(request, code, quarter)
    form = TextForm(request.POST)
    submit(
        request,
        form,
        lambda: services.report_observe(
            actor=request.user, report=report, text=form.cleaned_data["text"]
        ),
        success=_("Se observó el informe; vuelve a la entidad para su corrección."),
        flash=True,
    )
    return redirect("workprogrammes:report", programme.code, report.quarter)

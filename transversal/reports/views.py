from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from transversal.accounts.access import scope_for
from transversal.agreements import selectors as agreement_selectors
from transversal.agreements.models import AgreementStatus, EmphasisArea
from transversal.core.access import not_found, protected, public
from transversal.core.forms import submit
from transversal.jobs import runner
from transversal.monitoring.selectors import indicators_for
from transversal.reports import exports
from transversal.reports.assembly import report_filename
from transversal.reports.forms import ReportForm
from transversal.reports.models import JobStatus, ReportJob
from transversal.reports.programme import build_programme_report, render_programme_pdf
from transversal.reports.programme_docx import render_programme_docx
from transversal.reports.services import (
    JOB_KIND,
    TooManyReports,
    can_request_report,
    is_stale,
    report_job_create,
    requestable_states,
)
from transversal.reports.xlsx import queryset_to_xlsx
from transversal.territory.models import State
from transversal.workprogrammes.access import get_report_for_user

TEMPLATE = "reports/index.html"
JOB_TEMPLATE = "reports/job.html"
RECENT_JOBS = 10


# Reports ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@protected
def report_index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.is_national and not scope.state_ids:
        raise PermissionDenied(
            _("Los reportes son para integrantes de una institución nacional o estatal.")
        )
    states = requestable_states(scope)
    form = ReportForm(
        request.POST or None,
        states=states,
        national=scope.is_national,
        initial={"scope": states[0].code if len(states) == 1 else ""},
    )
    status = 400 if form.is_bound else 200
    if request.method == "POST":
        try:
            outcome = submit(
                request,
                form,
                lambda: report_job_create(
                    actor=request.user,
                    state=form.state(),
                    period=form.cleaned_data["period"],
                    fmt=form.cleaned_data["format"],
                ),
            )
        except TooManyReports as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            if outcome.ok:
                return redirect("reports:job", code=outcome.result.code)
    jobs = list(ReportJob.objects.filter(requested_by=request.user)[:RECENT_JOBS])
    names = {
        state.code: state.name
        for state in State.objects.filter(code__in={job.scope for job in jobs})
    }
    for job in jobs:
        job.scope_name = names.get(job.scope, _("Nacional"))
    limits = {
        "per_person": settings.REPORTS_MAX_ACTIVE_PER_PERSON,
        "total": settings.REPORTS_MAX_ACTIVE_TOTAL,
        "stale_minutes": max(1, int(runner.lease().total_seconds() // 60)),
    }
    return render(request, TEMPLATE, {"form": form, "jobs": jobs, "limits": limits}, status=status)


def _job_for_user(request: HttpRequest, code) -> ReportJob:
    """The requester's own job, while they may still ask for that report; 404 otherwise."""
    job = ReportJob.objects.filter(code=code, requested_by=request.user).first()
    if job is None:
        raise not_found()
    state = None if job.is_national else State.objects.filter(code=job.scope).first()
    if not can_request_report(scope_for(request.user), state):
        raise not_found()
    job.scope_name = state.name if state else _("Nacional")
    job.download_name = report_filename(state, job.period, job.format)
    return job


@require_GET
@protected
def job_detail(request: HttpRequest, code) -> HttpResponse:
    """The job's page; htmx polls its ``status`` partial every second until the job ends. A job
    whose worker died is queued again or failed here, so the page never waits forever."""
    job = _job_for_user(request, code)
    if is_stale(job):
        runner.recover_kind(runner.kind(JOB_KIND))
        job.refresh_from_db()
    template = f"{JOB_TEMPLATE}#status" if request.htmx else JOB_TEMPLATE
    return render(request, template, {"job": job})


@require_GET
@protected
def job_download(request: HttpRequest, code) -> FileResponse:
    job = _job_for_user(request, code)
    if job.status != JobStatus.DONE or not job.file:
        raise not_found()
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.download_name)


# A work programme's quarterly report --------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _programme_report(request: HttpRequest, code, fmt: str) -> HttpResponse:
    """Built while the person waits (a quarter's report is small). Whoever reads the report
    downloads it, read-only members included; outsiders get 404."""
    report, _scope = get_report_for_user(request.user, code)
    document = build_programme_report(report)
    if fmt == "pdf":
        content, content_type = render_programme_pdf(document), "application/pdf"
    else:
        content, content_type = render_programme_docx(document), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename_stem}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@protected
def programme_report_pdf(request: HttpRequest, code) -> HttpResponse:
    return _programme_report(request, code, "pdf")


@require_GET
@protected
def programme_report_docx(request: HttpRequest, code) -> HttpResponse:
    return _programme_report(request, code, "docx")


# XLSX exports of the lists ----------------------------------------------------


def _xlsx_response(handle, stem: str) -> FileResponse:
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _year(value: str) -> int | None:
    # The same rule as the agreement list's "anio" filter.
    return int(value) if value.isdigit() and 1990 <= int(value) <= 2100 else None


@require_GET
@public
def export_agreements(request: HttpRequest) -> FileResponse:
    """The agreement list (agreements:list) with the same query string:
    ?entidad=&ronda=&estado=&area=&anio=."""
    scope = scope_for(request.user)
    status = request.GET.get("estado", "")
    area = request.GET.get("area", "")
    agreements = agreement_selectors.agreement_list(
        scope,
        state=request.GET.get("entidad", ""),
        round=request.GET.get("ronda", "").strip(),
        status=status if status in AgreementStatus.values else "",
        area=area if area in EmphasisArea.values else "",
        year=_year(request.GET.get("anio", "")),
    )
    handle = queryset_to_xlsx(
        agreements.iterator(chunk_size=500), exports.AGREEMENT_COLUMNS, title=_("Convenios")
    )
    return _xlsx_response(handle, "convenios")


@require_GET
@public
def export_indicators(request: HttpRequest) -> FileResponse:
    """The indicator list (monitoring:list) with the same query string: ?institucion=<slug>."""
    indicators = indicators_for(scope_for(request.user))
    institution_slug = request.GET.get("institucion", "")
    if institution_slug:
        indicators = indicators.filter(owner__slug=institution_slug)
    indicators = indicators.order_by("owner__state__code", "name")
    handle = queryset_to_xlsx(
        indicators.iterator(chunk_size=500), exports.INDICATOR_COLUMNS, title=_("Indicadores")
    )
    return _xlsx_response(handle, "indicadores")

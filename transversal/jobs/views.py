"""A background job's page: the person who asked follows its progress (htmx polls the status
partial) and reaches its result by a link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from transversal.core.access import not_found, protected
from transversal.jobs import runner
from transversal.jobs.models import Job

TEMPLATE = "jobs/job.html"


@require_GET
@protected
def job_detail(request: HttpRequest, code) -> HttpResponse:
    """Only the person who asked sees a job (404 for anyone else). A job whose worker died is
    queued again or failed here, so the page never waits forever."""
    job = Job.objects.filter(code=code, requested_by=request.user).first()
    if job is None:
        raise not_found()
    if runner.stale(job):
        for job_kind in runner.registered_kinds():
            if job_kind.model is Job and job_kind.name == job.kind:
                runner.recover_kind(job_kind)
        job.refresh_from_db()
    template = f"{TEMPLATE}#status" if request.htmx else TEMPLATE
    return render(request, template, {"job": job})

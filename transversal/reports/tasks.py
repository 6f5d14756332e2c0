"""The queue's task for a report job (``transversal.jobs``): the worker runs it by the job's key."""

from __future__ import annotations

from django_tasks import task

from transversal.reports.services import report_job_run


@task()
def report_job_task(job_id: int) -> None:
    report_job_run(job_id)

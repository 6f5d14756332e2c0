"""The worker runs queued report jobs; a job left "running" by a worker that died (its heartbeat
old) is queued again while it has an attempt left, else marked failed with a Spanish message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from transversal.jobs.tests.worker import run_worker
from transversal.reports.models import JobStatus, ReportJob
from transversal.reports.services import report_job_create, report_job_run

pytestmark = pytest.mark.django_db


def _dead(job: ReportJob, *, attempts: int) -> None:
    old = timezone.now() - dt.timedelta(hours=1)
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=attempts,
        heartbeat_at=old,
        started_at=old,
        progress=40,
        message="Preparando gráficas y tablas…",
    )


def test_one_worker_run_takes_the_queued_task_and_finishes_the_job(
    coordinator, dataset, database_queue, monkeypatch
):
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="docx")
    assert job.status == JobStatus.QUEUED

    run_worker(monkeypatch)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.attempts == 1 and job.file.name.endswith(".docx")
    assert job.message == "El reporte está listo."
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_worker_resumes_at_start_a_job_its_dead_predecessor_left_running(
    coordinator, dataset, database_queue, monkeypatch
):
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="docx")
    DBTaskResult.objects.update(status="RUNNING")  # the dead worker had claimed the task
    _dead(job, attempts=1)

    run_worker(monkeypatch)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.file


def test_a_dead_workers_last_attempt_is_marked_failed_with_a_spanish_message(
    client_for, coordinator, dataset, database_queue
):
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="docx")
    _dead(job, attempts=2)

    html = (
        client_for(coordinator)
        .get(reverse("reports:job", args=[job.code]), headers={"HX-Request": "true"})
        .content.decode()
    )

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "se detuvo antes de terminar" in job.message
    assert "No se generó el reporte." in html and "hx-trigger" not in html


def test_polling_a_dead_workers_job_queues_it_again_and_it_completes(
    client_for, coordinator, dataset
):
    """With the immediate queue of the tests, the second attempt runs as soon as it is queued."""
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="pdf")
    _dead(job, attempts=1)

    html = (
        client_for(coordinator)
        .get(reverse("reports:job", args=[job.code]), headers={"HX-Request": "true"})
        .content.decode()
    )

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert "Descargar" in html


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(
    coordinator, dataset, database_queue, monkeypatch
):
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="pdf")
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )

    run_worker(monkeypatch)  # its task is claimed but the job is not
    report_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1


def test_the_status_fragment_shows_a_progress_bar_while_queued(
    client_for, coordinator, dataset, database_queue
):
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="pdf")
    html = (
        client_for(coordinator)
        .get(reverse("reports:job", args=[job.code]), headers={"HX-Request": "true"})
        .content.decode()
    )
    assert 'hx-trigger="every 1s"' in html and "<progress" in html
    assert "por turno" in html

"""job_run: one claim per queued job, progress renews the heartbeat, every ending is recorded."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django_tasks import task

from transversal.jobs import runner
from transversal.jobs.models import Job, JobKind, JobStatus

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
queued: list[int] = []


@task()
def _recording_task(job_id: int) -> None:
    """Only records that the job was queued again (the immediate queue runs it at once)."""
    queued.append(job_id)


@pytest.fixture
def kind(settings):
    settings.TASKS = IMMEDIATE
    queued.clear()
    return runner.JobKind(name="test", model=Job, task=_recording_task, max_attempts=2)


@pytest.fixture
def job():
    return Job.objects.create(kind=JobKind.REMINDERS)


def test_the_work_runs_once_and_its_fields_are_stored(kind, job):
    seen = []

    def work(claimed, progress):
        progress(50, "A la mitad")
        seen.append(Job.objects.get(pk=claimed.pk).heartbeat_at)
        return {"result": {"n": 3}, "message": "Hecho."}

    runner.job_run(kind, job.pk, work, done_message="No se usa")
    runner.job_run(kind, job.pk, work, done_message="No se usa")  # not queued any more

    job.refresh_from_db()
    assert (job.status, job.progress, job.message, job.result) == (
        JobStatus.DONE,
        100,
        "Hecho.",
        {"n": 3},
    )
    assert len(seen) == 1 and seen[0] is not None and job.attempts == 1


def test_a_job_error_fails_the_job_with_its_message(kind, job):
    def work(claimed, progress):
        raise runner.JobError("No hay datos para ese periodo.")

    runner.job_run(kind, job.pk, work, done_message="")

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == "No hay datos para ese periodo."


def test_a_busy_database_puts_the_job_back_once_then_fails_it(kind, job):
    def work(claimed, progress):
        raise OperationalError("database is locked")

    runner.job_run(kind, job.pk, work, done_message="")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and queued == [job.pk]

    runner.job_run(kind, job.pk, work, done_message="")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "error interno" in job.message
    assert queued == [job.pk]


def test_an_unexpected_error_fails_the_job_without_details(kind, job):
    def work(claimed, progress):
        raise KeyError("secret")

    runner.job_run(kind, job.pk, work, done_message="")

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "secret" not in job.message

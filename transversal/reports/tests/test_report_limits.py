"""Report jobs wait in the task queue, capped: at most REPORTS_MAX_ACTIVE_PER_PERSON jobs queued
or running per person and REPORTS_MAX_ACTIVE_TOTAL on the site. A request over a cap creates
nothing: no job row, no audit event, no task. No request starts a thread."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from transversal.audit.models import AuditEvent
from transversal.jobs.runner import LOST
from transversal.reports.models import JobStatus, ReportJob
from transversal.reports.services import TooManyReports, report_job_create
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")


@pytest.fixture
def caps(settings, database_queue):
    settings.REPORTS_MAX_ACTIVE_PER_PERSON = 2
    settings.REPORTS_MAX_ACTIVE_TOTAL = 4


def _ask(client, scope="10"):
    return client.post(INDEX, {"scope": scope, "period": "2025-T4", "format": "pdf"})


TASK = "transversal.reports.tasks.report_job_task"


def _tasks() -> int:
    return DBTaskResult.objects.filter(task_path=TASK).count()


def test_forty_requests_from_one_person_queue_two_jobs_and_start_no_thread(
    client_for, viewer, caps
):
    client = client_for(viewer)
    threads_before = threading.active_count()
    responses = [_ask(client) for _ in range(40)]

    assert [r.status_code for r in responses[:2]] == [302, 302]
    assert {r.status_code for r in responses[2:]} == {429}
    assert "Ya tiene 2 reportes en preparación" in responses[-1].content.decode()
    assert ReportJob.objects.filter(requested_by=viewer).count() == 2
    assert set(ReportJob.objects.values_list("status", flat=True)) == {JobStatus.QUEUED}
    assert _tasks() == 2
    assert threading.active_count() == threads_before
    assert AuditEvent.objects.filter(verb="report_requested").count() == 2


def test_the_overall_cap_holds_across_people(viewer, editor, reviewer, state_admin, caps):
    durango = State.objects.get(code="10")
    for person in (viewer, viewer, editor, editor):
        report_job_create(actor=person, state=durango, period="2025-T4", fmt="pdf")
    with pytest.raises(TooManyReports, match="ya está preparando 4 reportes"):
        report_job_create(actor=reviewer, state=durango, period="2025-T4", fmt="pdf")

    assert ReportJob.objects.count() == 4 and _tasks() == 4
    assert not ReportJob.objects.filter(requested_by=reviewer).exists()


def _dead(job: ReportJob, *, attempts: int) -> None:
    """As a worker killed mid-job leaves it: running, its last heartbeat an hour old."""
    old = timezone.now() - dt.timedelta(hours=1)
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=attempts, heartbeat_at=old, started_at=old
    )


def test_finished_jobs_and_a_dead_workers_last_attempt_no_longer_count(viewer, caps):
    durango = State.objects.get(code="10")
    first = report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
    second = report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
    with pytest.raises(TooManyReports):
        report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
    ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    _dead(second, attempts=2)

    report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
    report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")

    second.refresh_from_db()
    assert second.status == JobStatus.FAILED and second.message == str(LOST)
    assert ReportJob.objects.count() == 4 and _tasks() == 4


def test_a_dead_workers_job_with_an_attempt_left_is_queued_again_and_keeps_its_place(viewer, caps):
    durango = State.objects.get(code="10")
    first = report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
    report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
    _dead(first, attempts=1)

    with pytest.raises(TooManyReports):
        report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")

    first.refresh_from_db()
    assert first.status == JobStatus.QUEUED and first.heartbeat_at is None
    assert "se volvió a poner en la fila" in first.message
    assert _tasks() == 3  # the two requests and the second attempt


def test_the_report_page_states_the_limits(client_for, viewer, caps):
    page = client_for(viewer).get(INDEX).content.decode()
    assert "hasta 2 reportes en espera o en preparación" in page and "hasta 4 en total" in page

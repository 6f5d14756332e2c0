"""Report generation is capped until a real task queue arrives: at most
REPORTS_MAX_ACTIVE_PER_PERSON jobs queued or running per person and REPORTS_MAX_ACTIVE_TOTAL
on the site. A request over a cap creates nothing: no job row, no audit event, no thread."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from transversal.audit.models import AuditEvent
from transversal.reports.models import JobStatus, ReportJob
from transversal.reports.services import TooManyReports, report_job_create
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")


@pytest.fixture
def started(settings, monkeypatch):
    """Jobs go to the background (as on the server), but the thread is only recorded."""
    settings.REPORTS_RUN_INLINE = False
    settings.REPORTS_MAX_ACTIVE_PER_PERSON = 2
    settings.REPORTS_MAX_ACTIVE_TOTAL = 4
    threads: list[int] = []
    monkeypatch.setattr("transversal.reports.services._start_thread", threads.append)
    return threads


def _ask(client, scope="10"):
    return client.post(INDEX, {"scope": scope, "period": "2025-T4", "format": "pdf"})


def test_forty_requests_from_one_person_create_two_jobs_and_start_two_threads(
    client_for, viewer, started, django_capture_on_commit_callbacks
):
    client = client_for(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_ask(client) for _ in range(40)]

    assert [r.status_code for r in responses[:2]] == [302, 302]
    assert {r.status_code for r in responses[2:]} == {429}
    assert "Ya tiene 2 reportes en preparación" in responses[-1].content.decode()
    assert ReportJob.objects.filter(requested_by=viewer).count() == 2
    assert len(started) == 2
    assert AuditEvent.objects.filter(verb="report_requested").count() == 2


def test_the_overall_cap_holds_across_people(
    viewer, editor, reviewer, state_admin, started, django_capture_on_commit_callbacks
):
    durango = State.objects.get(code="10")
    with django_capture_on_commit_callbacks(execute=True):
        for person in (viewer, viewer, editor, editor):
            report_job_create(actor=person, state=durango, period="2025-T4", fmt="pdf")
        with pytest.raises(TooManyReports, match="ya está preparando 4 reportes"):
            report_job_create(actor=reviewer, state=durango, period="2025-T4", fmt="pdf")

    assert ReportJob.objects.count() == 4 and len(started) == 4
    assert not ReportJob.objects.filter(requested_by=reviewer).exists()


def test_finished_and_stale_jobs_no_longer_count(
    viewer, started, django_capture_on_commit_callbacks
):
    durango = State.objects.get(code="10")
    with django_capture_on_commit_callbacks(execute=True):
        first = report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
        second = report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
        with pytest.raises(TooManyReports):
            report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
        ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
        # A job whose process died stays "running"; past the stale limit it frees its place.
        ReportJob.objects.filter(pk=second.pk).update(
            status=JobStatus.RUNNING, created_at=timezone.now() - dt.timedelta(hours=1)
        )
        report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")
        report_job_create(actor=viewer, state=durango, period="2025-T4", fmt="pdf")

    assert ReportJob.objects.count() == 4 and len(started) == 4


def test_the_report_page_states_the_limits(client_for, viewer, started):
    page = client_for(viewer).get(INDEX).content.decode()
    assert "hasta 2 reportes en preparación" in page and "hasta 4 en total" in page

"""Large spreadsheet imports: the preview stays as it is; confirming queues a job that the worker
applies in one transaction with the same conflict checks, and the person follows it to the
imported drafts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from transversal.jobs.models import Job, JobKind, JobStatus
from transversal.jobs.tests.worker import run_worker
from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.services import update_save
from transversal.monitoring.spreadsheets import jobs as sheet_jobs
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, period
from transversal.monitoring.tests.test_spreadsheets import (
    as_bytes,
    confirm_url,
    download,
    fill,
    upload,
)
from transversal.monitoring.views_spreadsheets import SESSION_KEY

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def small_threshold(settings, monkeypatch):
    """Two rows count as a large import here; tasks wait in the database for the worker."""
    monkeypatch.setattr(sheet_jobs, "QUEUE_ABOVE_ROWS", 1)
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def indicator(durango):
    return indicator_with_calendar(durango)


def _preview(client, durango, indicator, values=(95, 40)):
    workbook = download(client, durango)
    fill(workbook, "Avances", indicator, "2025-T1", {"Valor": values[0]})
    fill(workbook, "Avances", indicator, "2025-T2", {"Valor": values[1]})
    response = upload(client, durango, as_bytes(workbook))
    assert response.status_code == 302
    return response


def _poll(client, job):
    return client.get(
        reverse("jobs:detail", args=[job.code]), headers={"HX-Request": "true"}
    ).content.decode()


def test_confirming_a_large_import_queues_a_job_that_the_worker_applies(
    client_for, editor, indicator, durango, monkeypatch
):
    client = client_for(editor)
    response = _preview(client, durango, indicator)
    assert "Vista previa" in client.get(response.url).content.decode(), "the preview is as before"

    queued = client.post(confirm_url(response))

    job = Job.objects.get()
    assert queued.status_code == 302 and queued.url == reverse("jobs:detail", args=[job.code])
    assert job.kind == JobKind.SPREADSHEET_IMPORT and job.status == JobStatus.QUEUED
    assert not ProgressUpdate.objects.exists(), "nothing is written before the worker runs"
    assert SESSION_KEY not in client.session
    waiting = _poll(client, job)
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting

    run_worker(monkeypatch)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    assert set(ProgressUpdate.objects.values_list("period__label", "value", "status")) == {
        ("2025-T1", Decimal(95), "draft"),
        ("2025-T2", Decimal(40), "draft"),
    }
    drafts = f"{reverse('work:list')}?ver=borradores&institucion={durango.slug}"
    assert job.result_url == drafts and job.params["rows"] == 2
    done = _poll(client, job)
    assert "hx-trigger" not in done and "Se guardaron 2 borradores" in done
    assert f'href="{drafts}"'.replace("&", "&amp;") in done
    assert "Ver los borradores importados" in done


def test_a_conflict_found_by_the_worker_writes_nothing_and_says_why(
    client_for, editor, reviewer, indicator, durango, monkeypatch
):
    client = client_for(editor)
    existing = draft(indicator, "2025-T2", value=Decimal(20))
    response = _preview(client, durango, indicator, values=(9, 21))
    client.post(confirm_url(response))
    update_save(
        actor=reviewer,
        period=period(indicator, "2025-T2"),
        expected_version=existing.version,
        value=Decimal(22),
    )

    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "Otra persona guardó este avance después de la vista previa" in job.message
    assert not ProgressUpdate.objects.filter(period__label="2025-T1").exists()
    assert ProgressUpdate.objects.get(period__label="2025-T2").value == 22
    assert "No se completó." in _poll(client, job)


def test_over_the_cap_nothing_is_queued_and_the_preview_stays(
    client_for, editor, indicator, durango, settings
):
    settings.JOBS_MAX_ACTIVE_PER_PERSON = 1
    Job.objects.create(kind=JobKind.SPREADSHEET_IMPORT, requested_by=editor)
    client = client_for(editor)
    response = _preview(client, durango, indicator)

    refused = client.post(confirm_url(response))

    assert refused.status_code == 429
    assert "Ya tiene 1 trabajos en espera o en proceso" in refused.content.decode()
    assert Job.objects.count() == 1 and SESSION_KEY in client.session


def test_only_the_person_who_asked_sees_the_job(client_for, editor, viewer, indicator, durango):
    client = client_for(editor)
    client.post(confirm_url(_preview(client, durango, indicator)))
    job = Job.objects.get()

    assert client_for(viewer).get(reverse("jobs:detail", args=[job.code])).status_code == 404
    assert client_for(None).get(reverse("jobs:detail", args=[job.code])).status_code == 302


def test_an_import_whose_worker_died_is_applied_once_by_the_next_worker(
    client_for, editor, indicator, durango, monkeypatch
):
    client = client_for(editor)
    client.post(confirm_url(_preview(client, durango, indicator)))
    old = timezone.now() - dt.timedelta(hours=1)
    Job.objects.update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=old)

    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert ProgressUpdate.objects.count() == 2


def test_the_job_page_takes_a_fixed_number_of_queries(
    client_for, editor, indicator, durango, django_assert_num_queries
):
    client = client_for(editor)
    client.post(confirm_url(_preview(client, durango, indicator)))
    job = Job.objects.get()

    # session, user, the job, and the person's memberships (the page's header).
    with django_assert_num_queries(4):
        page = client.get(reverse("jobs:detail", args=[job.code]), headers={"HX-Request": "true"})
    assert page.status_code == 200

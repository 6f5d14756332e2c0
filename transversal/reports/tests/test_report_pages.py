from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.reports.models import JobStatus, ReportJob
from transversal.reports.services import report_job_create
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")


def _ask(client, scope="10", period="2025-T4", fmt="pdf"):
    return client.post(INDEX, {"scope": scope, "period": period, "format": fmt})


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_people_without_an_institution_get_403(client_for, db):
    from transversal.accounts.models import User

    user = User.objects.create_user(
        email="sin.institucion@prueba.test", password="x", full_name="Sin"
    )
    assert client_for(user).get(INDEX).status_code == 403


def test_a_state_member_is_offered_only_their_state(client_for, viewer, dataset):
    response = client_for(viewer).get(INDEX)

    assert response.status_code == 200
    choices = [value for value, _label in response.context["form"].fields["scope"].choices]
    assert choices == ["10"]


def test_a_state_member_cannot_ask_for_another_state_or_the_nation(client_for, viewer, dataset):
    client = client_for(viewer)
    assert _ask(client, scope="32").status_code == 400
    assert _ask(client, scope="national").status_code == 400
    assert not ReportJob.objects.exists()


def test_a_state_member_gets_their_report_and_downloads_it(client_for, viewer, dataset):
    client = client_for(viewer)
    response = _ask(client)

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:job", args=[job.code]
    )
    assert (job.status, job.progress, job.scope, job.period) == (
        JobStatus.DONE,
        100,
        "10",
        "2025-T4",
    )
    page = client.get(reverse("reports:job", args=[job.code]))
    assert reverse("reports:download", args=[job.code]) in page.content.decode()
    download = client.get(reverse("reports:download", args=[job.code]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert 'filename="reporte-durango-2025-T4.pdf"' in download["Content-Disposition"]
    assert "reporte-durango-2025-T4.pdf" in page.content.decode()


def test_a_bad_period_is_explained_on_the_form(client_for, viewer, dataset):
    response = _ask(client_for(viewer), period="2025-Q4")
    assert response.status_code == 400
    assert "Periodo no válido" in response.content.decode()


def test_a_period_without_data_ends_the_job_with_a_message(client_for, coordinator, dataset):
    client = client_for(coordinator)
    _ask(client, scope="national", period="2020", fmt="docx")

    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert "No hay datos para 2020" in job.message
    page = client.get(reverse("reports:job", args=[job.code]))
    assert "No hay datos para 2020" in page.content.decode()
    assert client.get(reverse("reports:download", args=[job.code])).status_code == 404


def test_the_status_fragment_polls_while_the_job_runs(client_for, coordinator, dataset):
    job = ReportJob.objects.create(
        requested_by=coordinator,
        scope="national",
        period="2025",
        format="pdf",
        status=JobStatus.RUNNING,
        progress=40,
        message="Preparando gráficas y tablas…",
    )
    response = client_for(coordinator).get(
        reverse("reports:job", args=[job.code]), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="estado-reporte"' in html
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html


def test_the_status_fragment_stops_polling_when_done(client_for, coordinator, dataset):
    job = report_job_create(actor=coordinator, state=None, period="2025-T4", fmt="docx")
    html = (
        client_for(coordinator)
        .get(reverse("reports:job", args=[job.code]), headers={"HX-Request": "true"})
        .content.decode()
    )

    assert job.status == JobStatus.DONE
    assert "hx-trigger" not in html and "Descargar" in html


def test_outsiders_cannot_see_or_download_someone_elses_job(
    client_for, viewer, outsider, coordinator, dataset
):
    job = report_job_create(
        actor=viewer, state=State.objects.get(code="10"), period="2025-T4", fmt="pdf"
    )

    for user in (outsider, coordinator):
        client = client_for(user)
        assert client.get(reverse("reports:job", args=[job.code])).status_code == 404
        assert client.get(reverse("reports:download", args=[job.code])).status_code == 404
    assert client_for(None).get(reverse("reports:download", args=[job.code])).status_code == 302


def test_a_job_is_queued_as_a_task_in_the_same_transaction(coordinator, dataset, database_queue):
    from django_tasks_db.models import DBTaskResult

    job = report_job_create(actor=coordinator, state=None, period="2025", fmt="pdf")

    task = DBTaskResult.objects.get()
    assert task.task_path == "transversal.reports.tasks.report_job_task"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_the_page_lists_the_recent_jobs_with_the_state_name(client_for, viewer, dataset):
    client = client_for(viewer)
    _ask(client)
    html = client.get(INDEX).content.decode()

    assert "Durango" in html and "2025-T4" in html and "Descargar" in html

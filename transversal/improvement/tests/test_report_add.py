"""`mejora/evaluaciones/<code>/informes/`: an evaluation's report is kept under a name the
server chooses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.improvement import services
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


def test_a_report_is_stored_under_the_reports_code_with_its_extension(
    client_for, reviewer, durango, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evaluation = services.evaluation_create(
        actor=None,
        institution=durango,
        year=2025,
        kind="external",
        title="Evaluación externa",
        evaluator="Colegio evaluador",
        started_on=dt.date(2025, 2, 1),
    )
    upload = SimpleUploadedFile("../../informe final.pdf", blank_pdf("Informe"), "application/pdf")
    response = client_for(reviewer).post(
        reverse("improvement:report_add", args=[evaluation.code]), {"file": upload}
    )
    assert response.status_code == 302
    report = evaluation.reports.get()
    assert report.file.name == f"evaluations/{evaluation.code}/{report.code}.pdf"
    assert (tmp_path / report.file.name).is_file()

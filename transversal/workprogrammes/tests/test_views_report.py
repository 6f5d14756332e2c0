"""The quarterly report's page: the state writes and sends it, the national institution
acknowledges or observes it, and it lists the quarter's evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.agreements.models import Goal
from transversal.monitoring.services import evidence_add, update_submit
from transversal.monitoring.tests.factories import approve_all_levels, draft, validating
from transversal.workprogrammes import services
from transversal.workprogrammes.models import QuarterlyReport, ReportStatus, Stage
from transversal.workprogrammes.tests.factories import PDF_BYTES, validated, world

pytestmark = pytest.mark.django_db

LONG_GOAL = (
    "Capacitar en planeación con perspectiva de género al personal de las instancias "
    "municipales de las mujeres"
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def report_url(programme, quarter=1, name="report"):
    return reverse(f"workprogrammes:{name}", args=[programme.code, quarter])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def form_data(programme, **per_line):
    data = {"narrative": "Se capacitó al personal."}
    for line in programme.lines.all():
        data[f"l{line.pk}_federal_exercised"] = "10,000"
        data[f"l{line.pk}_state_exercised"] = "500.50"
        data[f"l{line.pk}_in_kind_exercised"] = ""
        data[f"l{line.pk}_justification"] = per_line.get("justification", "")
    return data


@pytest.fixture
def executing(national, durango):
    w = world(national, durango)
    validated(w.programme)
    return w


class TestWriteAndSend:
    def test_an_editor_saves_then_sends_and_sees_the_snapshot(
        self, client_for, executing, editor, reviewer
    ):
        w = executing
        validating(w.indicators[0], "2025-T1", Decimal(12), actor=editor, reviewer=reviewer)
        client = client_for(editor)
        page = client.get(report_url(w.programme)).content.decode()
        # goal 1: 25 % scheduled, 30 % achieved (approved by the state); goal 2: nothing yet
        assert "25.0 %" in page and "30.0 %" in page and "Desviación: justifique" in page
        response = client.post(
            report_url(w.programme), {**form_data(w.programme), "intent": "save"}, follow=True
        )
        assert "Se guardó el informe del trimestre." in messages_of(response)
        report = QuarterlyReport.objects.get()
        assert report.status == ReportStatus.DRAFT
        response = client.post(
            report_url(w.programme), {**form_data(w.programme), "intent": "send"}, follow=True
        )
        assert "Justifique la desviación" in messages_of(response)
        assert "El informe quedó guardado, pero no se envió." in messages_of(response)
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT
        response = client.post(
            report_url(w.programme),
            {
                **form_data(w.programme, justification="Retraso en la contratación."),
                "intent": "send",
            },
            follow=True,
        )
        assert "Se envió el informe a la institución nacional." in messages_of(response)
        report.refresh_from_db()
        assert report.status == ReportStatus.SENT
        page = response.content.decode()
        assert "Guardar y enviar" not in page
        assert "$10,000.00" in page and "$500.50" in page and "Retraso en la contratación." in page
        assert reverse("reports:programme_report_pdf", args=[report.code]) in page
        assert reverse("reports:programme_report_docx", args=[report.code]) in page
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.IN_EXECUTION
        response = client.post(
            report_url(w.programme), {**form_data(w.programme), "intent": "save"}, follow=True
        )
        assert "Este informe ya no se edita." in messages_of(response)

    def test_no_report_is_written_before_the_programme_is_validated(
        self, client_for, national, durango, editor
    ):
        w = world(national, durango)
        page = client_for(editor).get(report_url(w.programme)).content.decode()
        assert "Guardar y enviar" not in page
        response = client_for(editor).post(
            report_url(w.programme), {**form_data(w.programme), "intent": "save"}, follow=True
        )
        assert "se escriben una vez validado el programa" in messages_of(response)
        assert not QuarterlyReport.objects.exists()

    def test_a_bad_amount_is_shown_on_the_form_and_saves_nothing(
        self, client_for, executing, editor
    ):
        w = executing
        data = form_data(w.programme)
        line = w.programme.lines.first()
        data[f"l{line.pk}_federal_exercised"] = "1,5"
        response = client_for(editor).post(report_url(w.programme), {**data, "intent": "save"})
        assert response.status_code == 200
        assert "use el punto para los decimales" in response.content.decode()
        assert not QuarterlyReport.objects.exists()

    def test_a_bad_amount_is_named_with_its_goal_in_the_error_summary(
        self, client_for, executing, editor
    ):
        w = executing
        data = form_data(w.programme)
        line = w.programme.lines.get(goal__number=2)
        data[f"l{line.pk}_federal_exercised"] = "abc"
        page = client_for(editor).post(report_url(w.programme), {**data, "intent": "save"})
        summary = page.content.decode().split('class="error-summary"')[1].split("</div>")[0]
        assert f'href="#r_l{line.pk}_federal_exercised">Meta 2 · Federal ejercido en el ' in (
            summary
        )

    def test_the_amounts_are_labelled_as_the_quarters_with_a_linked_help_text(
        self, client_for, executing, editor
    ):
        w = executing
        line = w.programme.lines.get(goal__number=1)
        page = client_for(editor).get(report_url(w.programme)).content.decode()
        name = f"r_l{line.pk}_state_exercised"
        assert f'<label for="{name}">Meta 1 · Estatal ejercido en el trimestre ($)</label>' in page
        assert f'aria-describedby="{name}_helptext"' in page
        help_text = page.split(f'id="{name}_helptext"')[1].split("</small>")[0]
        assert "no el acumulado del año" in help_text

    def test_an_amount_over_the_approved_one_is_kept_as_a_draft_with_a_warning_and_not_sent(
        self, client_for, executing, editor
    ):
        w = executing
        data = form_data(w.programme, justification="Retraso en la contratación.")
        line = w.programme.lines.get(goal__number=1)
        data[f"l{line.pk}_federal_exercised"] = "2,000,000"
        refusal = (
            "Meta 1, recurso federal: lo ejercido en el año con este trimestre "
            "($2,000,000.00) supera el monto aprobado ($100,000.00)."
        )
        client = client_for(editor)
        response = client.post(report_url(w.programme), {**data, "intent": "save"}, follow=True)
        assert "Se guardó el informe del trimestre." in messages_of(response)
        assert refusal in messages_of(response)
        response = client.post(report_url(w.programme), {**data, "intent": "send"}, follow=True)
        assert refusal in messages_of(response)
        assert "El informe quedó guardado, pero no se envió." in messages_of(response)
        report = QuarterlyReport.objects.get()
        assert report.status == ReportStatus.DRAFT and report.sent_at is None

    def test_a_report_sent_after_its_due_date_says_how_late(self, client_for, executing, editor):
        w = executing
        client = client_for(editor)
        client.post(
            report_url(w.programme),
            {**form_data(w.programme, justification="Retraso."), "intent": "send"},
        )
        report = QuarterlyReport.objects.get(status=ReportStatus.SENT)
        # Due on 15/04/2025; sent on 17/04/2025 at 10:00 in Mexico City.
        QuarterlyReport.objects.filter(pk=report.pk).update(
            sent_at=dt.datetime(2025, 4, 17, 16, 0, tzinfo=dt.UTC)
        )
        page = client.get(report_url(w.programme)).content.decode()
        assert "Enviado el 17/04/2025, 2 días después del plazo (15/04/2025)" in page
        QuarterlyReport.objects.filter(pk=report.pk).update(
            sent_at=dt.datetime(2025, 4, 15, 16, 0, tzinfo=dt.UTC)
        )
        page = client.get(report_url(w.programme)).content.decode()
        assert "después del plazo" not in page

    def test_outsiders_get_404_viewers_403_and_quarters_are_one_to_four(
        self, client_for, executing, outsider, viewer, editor
    ):
        w = executing
        data = {**form_data(w.programme), "intent": "save"}
        assert client_for(outsider).get(report_url(w.programme)).status_code == 404
        assert client_for(outsider).post(report_url(w.programme), data).status_code == 404
        page = client_for(viewer).get(report_url(w.programme)).content.decode()
        assert "Guardar y enviar" not in page
        assert client_for(viewer).post(report_url(w.programme), data).status_code == 403
        assert client_for(editor).get(report_url(w.programme, 5)).status_code == 404
        assert not QuarterlyReport.objects.exists()


class TestGoals:
    def test_each_goal_shows_its_number_and_whole_description_on_the_form_and_once_sent(
        self, client_for, executing, editor
    ):
        w = executing
        Goal.objects.filter(pk=w.goals[0].pk).update(description=LONG_GOAL)
        whole = f'<span class="goal-description">{LONG_GOAL}</span>'
        page = client_for(editor).get(report_url(w.programme)).content.decode()
        assert f"<legend><strong>Meta 1</strong>: {LONG_GOAL}</legend>" in page
        assert '<strong class="nowrap">25.0 %</strong>' in page  # scheduled, never split
        client_for(editor).post(
            report_url(w.programme), {**form_data(w.programme, justification="Sin avance.")}
        )
        services.report_send(actor=editor, report=w.programme.reports.get(quarter=1))
        page = client_for(editor).get(report_url(w.programme)).content.decode()
        assert "<legend>" not in page and whole in page
        assert '<td class="num nowrap">25.0 %</td>' in page


class TestReview:
    def _sent(self, w, editor):
        report = services.report_save(
            actor=editor,
            programme=w.programme,
            quarter=1,
            narrative="Avance.",
            lines={line.pk: {"justification": "Sin avance."} for line in w.programme.lines.all()},
        )
        return services.report_send(actor=editor, report=report)

    def test_a_validator_acknowledges_or_observes_a_sent_report(
        self, client_for, executing, editor, coordinator
    ):
        w = executing
        report = self._sent(w, editor)
        client = client_for(coordinator)
        page = client.get(report_url(w.programme)).content.decode()
        assert "Acusar de recibido" in page
        response = client.post(
            report_url(w.programme, name="report_observe"), {"text": ""}, follow=True
        )
        assert "Observación: Este campo es obligatorio." in messages_of(response)
        report.refresh_from_db()
        assert report.status == ReportStatus.SENT
        client.post(report_url(w.programme, name="report_observe"), {"text": "Falta la lista."})
        report.refresh_from_db()
        assert report.status == ReportStatus.OBSERVED
        page = client_for(editor).get(report_url(w.programme)).content.decode()
        assert "Falta la lista." in page and "Guardar y enviar" in page
        self._sent(w, editor)
        response = client_for(coordinator).post(
            report_url(w.programme, name="report_acknowledge"), {"note": ""}, follow=True
        )
        assert "Se acusó de recibido el informe." in messages_of(response)
        assert "Validado (nacional)" in response.content.decode()
        report.refresh_from_db()
        assert report.status == ReportStatus.ACKNOWLEDGED

    def test_a_validator_is_warned_of_a_report_sent_over_the_authorized_amounts(
        self, client_for, executing, editor, coordinator
    ):
        w = executing
        client_for(editor).post(
            report_url(w.programme),
            {**form_data(w.programme, justification="Retraso."), "intent": "send"},
        )
        report = QuarterlyReport.objects.get(status=ReportStatus.SENT)
        page = client_for(coordinator).get(report_url(w.programme)).content.decode()
        assert 'id="overspent"' not in page
        # As a report sent before the amounts were checked would be.
        report.lines.filter(line__goal__number=1).update(federal_exercised=Decimal("2000000"))
        page = client_for(coordinator).get(report_url(w.programme)).content.decode()
        warning = page.split('id="overspent"')[1].split("</div>")[0]
        assert "Meta 1, recurso federal" in warning and "($2,000,000.00)" in warning

    def test_only_national_validators_review(
        self, client_for, executing, editor, reviewer, outsider, viewer
    ):
        w = executing
        report = self._sent(w, editor)
        for name in ("report_acknowledge", "report_observe"):
            target = report_url(w.programme, name=name)
            assert client_for(outsider).post(target, {"text": "x"}).status_code == 404
            assert client_for(viewer).post(target, {"text": "x"}).status_code == 403
            assert client_for(reviewer).post(target, {"text": "x"}).status_code == 403
            assert client_for(editor).post(target, {"text": "x"}).status_code == 403
        report.refresh_from_db()
        assert report.status == ReportStatus.SENT


class TestEvidence:
    def test_it_lists_the_quarters_evidence_of_the_goals_indicators(
        self, client_for, executing, editor, reviewer, durango
    ):
        w = executing
        update = draft(w.indicators[0], "2025-T1", Decimal(4), actor=editor)
        evidence = evidence_add(
            actor=editor,
            update=update,
            upload=SimpleUploadedFile("lista.pdf", PDF_BYTES, content_type="application/pdf"),
            filename="lista-de-asistencia.pdf",
        )
        later = draft(w.indicators[1], "2025-T2", Decimal(4), actor=editor)
        evidence_add(
            actor=editor,
            update=later,
            upload=SimpleUploadedFile("otra.pdf", PDF_BYTES + b" ", content_type="application/pdf"),
            filename="segundo-trimestre.pdf",
        )
        page = client_for(editor).get(report_url(w.programme)).content.decode()
        assert "lista-de-asistencia.pdf" in page and evidence.sha256[:12] in page
        assert reverse("monitoring:update", args=[update.code]) in page
        for indicator in w.indicators:  # where each goal's progress of the quarter is reported
            assert reverse("monitoring:period", args=[indicator.code, "2025-T1"]) in page
        assert reverse("monitoring:period", args=[w.indicators[0].code, "2025-T2"]) not in page
        assert "segundo-trimestre.pdf" not in page
        assert (
            "segundo-trimestre.pdf"
            in client_for(editor).get(report_url(w.programme, 2)).content.decode()
        )

    def test_the_page_takes_a_constant_number_of_queries(
        self, client_for, national, durango, editor, reviewer
    ):
        def reported(w, index):
            label = f"{w.programme.year}-T1"
            update = draft(w.indicators[index], label, Decimal(3), actor=editor)
            evidence_add(
                actor=editor,
                update=update,
                upload=SimpleUploadedFile(
                    "e.pdf", PDF_BYTES + b" " * index, content_type="application/pdf"
                ),
                filename=f"evidencia-{index}.pdf",
            )
            update.refresh_from_db()
            update = update_submit(actor=editor, update=update, expected_version=update.version)
            approve_all_levels(actor=reviewer, update=update)

        one = world(national, durango, goals=1)
        validated(one.programme)
        reported(one, 0)
        client = client_for(editor)
        with CaptureQueriesContext(connection) as few:
            client.get(report_url(one.programme))
        w = world(national, durango, goals=4, year=2026)
        validated(w.programme)
        for index in range(4):
            reported(w, index)
        with CaptureQueriesContext(connection) as many:
            response = client.get(report_url(w.programme))
        assert response.content.decode().count("evidencia-") == 4
        # session, user, memberships, programme, goals, report, progress (updates and their
        # goals), evidence with their periods, and the header's: the same for one goal with
        # one file as for four goals with one file each
        assert len(few) == len(many), [q["sql"] for q in many.captured_queries]

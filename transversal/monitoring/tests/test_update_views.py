"""Every mutating endpoint of the reporting workflow, persona by persona."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import Evidence, ProgressUpdate, ReviewComment
from transversal.monitoring.tests.factories import (
    approved,
    draft,
    indicator_with_calendar,
    submitted,
)
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(durango):
    return indicator_with_calendar(durango, disaggregations=["indigenous"])


def period_url(indicator, label="2025-T1"):
    return reverse("monitoring:period", args=[indicator.code, label])


class TestSaveDraft:
    data = {
        "value": "95",
        "narrative": "Talleres en 12 municipios",
        "d__sex__women": "70",
        "d__sex__men": "25",
    }

    def test_an_editor_saves_a_draft_with_breakdown(self, client_for, editor, indicator):
        response = client_for(editor).post(period_url(indicator), self.data)
        assert response.status_code == 302
        update = ProgressUpdate.objects.get()
        assert update.value == 95 and update.created_by == editor
        assert {(r.dimension, r.category, r.value) for r in update.breakdown.all()} == {
            ("sex", "women", 70),
            ("sex", "men", 25),
        }
        assert AuditEvent.objects.filter(verb="update.create", actor=editor).count() == 1

    def test_read_only_gets_403_outsider_404_anonymous_login(
        self, client_for, viewer, outsider, indicator
    ):
        assert client_for(viewer).post(period_url(indicator), self.data).status_code == 403
        assert client_for(outsider).post(period_url(indicator), self.data).status_code == 404
        assert client_for(outsider).get(period_url(indicator)).status_code == 404
        assert client_for(None).get(period_url(indicator)).status_code == 302
        assert not ProgressUpdate.objects.exists()

    def test_a_period_outside_the_calendar_is_404_with_a_message(
        self, client_for, editor, indicator
    ):
        response = client_for(editor).get(period_url(indicator, "2031-T1"))
        assert response.status_code == 404
        assert "no está en el calendario" in response.content.decode()

    def test_a_stale_form_gets_a_conflict_and_keeps_what_was_typed(
        self, client_for, editor, indicator
    ):
        client = client_for(editor)
        client.post(period_url(indicator), {**self.data, "version": ""})
        saved = ProgressUpdate.objects.get()
        client.post(
            period_url(indicator),
            {**self.data, "version": saved.version, "value": "96", "d__sex__women": "71"},
        )
        response = client.post(
            period_url(indicator),
            {**self.data, "version": saved.version, "value": "97", "narrative": "Mi versión"},
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "Otra persona guardó este avance" in page and "Mi versión" in page
        assert ProgressUpdate.objects.get().value == 96

    def test_breakdowns_that_do_not_add_up_get_a_spanish_message(
        self, client_for, editor, indicator
    ):
        response = client_for(editor).post(period_url(indicator), {**self.data, "d__sex__men": "5"})
        assert response.status_code == 200
        assert "Sexo suma 75 y el total es 95" in response.content.decode()
        assert not ProgressUpdate.objects.exists()


class TestSaveAndSend:
    def test_sending_saves_the_figures_on_screen_in_the_same_action(
        self, client_for, editor, indicator
    ):
        # Saved 70 (40/30), changed to 72 (42/30) on screen, then "Guardar y enviar": 72 is sent.
        client = client_for(editor)
        first = {"value": "70", "d__sex__women": "40", "d__sex__men": "30", "narrative": "Primera"}
        client.post(period_url(indicator), first)
        saved = ProgressUpdate.objects.get()
        edited = {**first, "value": "72", "d__sex__women": "42", "version": saved.version}
        response = client.post(period_url(indicator), {**edited, "intent": "submit"}, follow=True)
        assert "Se guardó el avance y se envió a revisión." in response.content.decode()
        sent = ProgressUpdate.objects.get()
        assert sent.status == "submitted" and sent.value == 72 and sent.submitted_by == editor
        assert {r.category: r.value for r in sent.breakdown.all()} == {"women": 42, "men": 30}
        verbs = list(
            AuditEvent.objects.filter(actor=editor).order_by("pk").values_list("verb", flat=True)
        )
        assert verbs == ["update.create", "update.save", "update.submit"]

    def test_a_refused_figure_is_neither_saved_nor_sent(self, client_for, editor, indicator):
        client = client_for(editor)
        client.post(period_url(indicator), {"value": "70", "narrative": "Primera"})
        saved = ProgressUpdate.objects.get()
        bad = {"value": "72", "d__sex__women": "80", "version": saved.version, "intent": "submit"}
        response = client.post(period_url(indicator), bad)
        assert response.status_code == 200 and "Sexo suma 80 y el total es 72" in (
            response.content.decode()
        )
        saved.refresh_from_db()
        assert saved.status == "draft" and saved.value == 70 and saved.version == 1

    def test_the_page_offers_no_button_that_sends_the_last_saved_figures(
        self, client_for, editor, indicator
    ):
        draft(indicator, actor=editor)
        page = client_for(editor).get(period_url(indicator)).content.decode()
        assert "Guardar y enviar a revisión" in page
        send_saved = reverse("monitoring:update_submit", args=[ProgressUpdate.objects.get().code])
        assert send_saved not in page


class TestTransitions:
    def test_submit_return_approve_by_the_right_people(
        self, client_for, editor, reviewer, viewer, outsider, indicator
    ):
        update = draft(indicator, actor=editor)
        submit = reverse("monitoring:update_submit", args=[update.code])
        assert client_for(editor).get(submit).status_code == 405
        assert client_for(viewer).post(submit, {"version": update.version}).status_code == 403
        assert client_for(outsider).post(submit, {"version": update.version}).status_code == 404
        assert client_for(editor).post(submit, {"version": update.version}).status_code == 302
        update.refresh_from_db()
        assert update.status == "submitted"

        ret = reverse("monitoring:update_return", args=[update.code])
        assert (
            client_for(editor).post(ret, {"comment": "x"}).status_code == 403
        )  # editors do not review
        response = client_for(reviewer).post(ret, {"comment": ""}, follow=True)
        assert "Escriba una observación" in response.content.decode()
        client_for(reviewer).post(ret, {"comment": "Adjunte la lista de asistencia."})
        update.refresh_from_db()
        assert update.status == "returned"
        assert ReviewComment.objects.filter(update=update, kind="return").count() == 1

        client_for(editor).post(submit, {"version": update.version})
        approve = reverse("monitoring:update_approve", args=[update.code])
        assert client_for(outsider).post(approve).status_code == 404
        assert client_for(reviewer).post(approve).status_code == 302
        update.refresh_from_db()
        assert update.status == "approved" and update.light == "green"

    def test_the_national_coordinator_can_review_a_state_update(
        self, client_for, coordinator, indicator
    ):
        update = submitted(indicator)
        assert (
            client_for(coordinator)
            .post(reverse("monitoring:update_approve", args=[update.code]))
            .status_code
            == 302
        )
        update.refresh_from_db()
        assert update.status == "approved"

    def test_an_approved_update_is_corrected_through_a_new_revision(
        self, client_for, editor, viewer, indicator
    ):
        update = approved(indicator)
        url = reverse("monitoring:update_correct", args=[update.code])
        assert client_for(viewer).post(url, {"reason": "x"}).status_code == 403
        client_for(editor).post(url, {"reason": "Cifra preliminar sustituida por la definitiva."})
        assert ProgressUpdate.objects.filter(period=update.period).count() == 2
        assert ProgressUpdate.objects.get(period=update.period, is_current=True).revision == 2

    def test_editors_and_reviewers_comment_viewers_get_403_outsiders_404(
        self, client_for, viewer, reviewer, outsider, indicator
    ):
        update = draft(indicator)
        url = reverse("monitoring:update_comment", args=[update.code])
        assert client_for(outsider).post(url, {"text": "hola"}).status_code == 404
        assert client_for(viewer).post(url, {"text": "hola"}).status_code == 403
        assert not ReviewComment.objects.exists()
        assert client_for(reviewer).post(url, {"text": "Revisar la fuente"}).status_code == 302
        assert ReviewComment.objects.get().text == "Revisar la fuente"


class TestEvidence:
    def upload(
        self, client, update, name="asistencia.pdf", content=None, content_type="application/pdf"
    ):
        data = {
            "file": SimpleUploadedFile(
                name, content if content is not None else blank_pdf(), content_type=content_type
            )
        }
        return client.post(
            reverse("monitoring:evidence_upload", args=[update.code]), data, follow=True
        )

    def test_an_editor_attaches_a_pdf_and_the_same_file_twice_is_recognised(
        self, client_for, editor, indicator
    ):
        update = draft(indicator)
        client = client_for(editor)
        self.upload(client, update)
        evidence = Evidence.objects.get()
        assert (
            evidence.kind == "pdf"
            and len(evidence.sha256) == 64
            and evidence.original_name == "asistencia.pdf"
        )
        assert "evidencias/" in evidence.file.name and "asistencia" not in evidence.file.name
        response = self.upload(client, update, name="copia.pdf")
        assert "ya está adjunto a este avance como «asistencia.pdf»" in response.content.decode()
        assert Evidence.objects.count() == 1

    def test_a_refused_upload_names_the_field_at_fault(self, client_for, editor, indicator):
        update = draft(indicator)
        client = client_for(editor)
        self.upload(client, update)
        page = self.upload(client, update, name="copia.pdf").content.decode()
        assert (
            'role="alert">Archivo de evidencia: Este archivo ya está adjunto a este avance' in page
        )
        url = reverse("monitoring:evidence_upload", args=[update.code])
        page = client.post(url, {"description": "Sin archivo"}, follow=True).content.decode()
        assert 'role="alert">Archivo de evidencia: Este campo es obligatorio.</p>' in page
        assert Evidence.objects.count() == 1

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("vacio.pdf", b"", "vacío"),
            ("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
            ("programa.exe", b"MZ" + b"\x00" * 64, ""),
        ],
    )
    def test_bad_files_are_refused_and_nothing_is_written(
        self, client_for, editor, indicator, tmp_path, settings, name, content, message
    ):
        settings.MEDIA_ROOT = tmp_path
        update = draft(indicator)
        response = self.upload(client_for(editor), update, name=name, content=content)
        assert not Evidence.objects.exists()
        assert not any(tmp_path.rglob("*.*"))
        assert message in response.content.decode()

    def test_a_file_over_the_limit_is_refused(self, client_for, editor, indicator, settings):
        settings.EVIDENCE_MAX_MB = 1
        update = draft(indicator)
        response = self.upload(
            client_for(editor), update, content=blank_pdf() + b"%" * (1024 * 1024)
        )
        assert "MB" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_download_checks_access(self, client_for, editor, viewer, outsider, indicator):
        update = draft(indicator)
        self.upload(client_for(editor), update)
        url = reverse("monitoring:evidence_download", args=[Evidence.objects.get().code])
        response = client_for(viewer).get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith(
            "attachment"
        )
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302

    def test_no_evidence_on_an_approved_update(self, client_for, editor, indicator):
        update = approved(indicator)
        response = self.upload(client_for(editor), update)
        assert "Solo se agregan evidencias" in response.content.decode()


def test_the_period_page_takes_constant_queries(client_for, editor, durango):
    indicator = indicator_with_calendar(durango)
    client = client_for(editor)

    def count(label):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(period_url(indicator, label)).status_code == 200
        return len(ctx)

    from transversal.monitoring.services import comment_add, update_correct

    first = draft(indicator, "2025-T1", breakdown={"sex": {"women": Decimal(95)}})
    comment_add(
        actor=editor, update=first, text="Uno"
    )  # every relation has a row: prefetches all run
    few = count("2025-T1")
    update = approved(indicator, "2025-T2")

    for n in range(3):
        comment_add(actor=editor, update=update, text=f"Comentario {n}")
    update_correct(actor=editor, update=update, reason="Corrección")
    # session, user, scope, header, indicator+owner, names, period, revisions, breakdown, evidence,
    # comments+authors
    assert count("2025-T2") == few

"""Bad input gets a Spanish message and writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.agreements.models import Agreement, Goal, TechnicalAssistance
from transversal.audit.models import AuditEvent

from .conftest import PNG_BYTES, pdf

pytestmark = pytest.mark.django_db


def _create(client, durango, **extra):
    data = {
        "state_institution": durango.pk,
        "title": "Convenio con errores",
        "round": "IP-321",
        "valid_from": "01/03/2015",
        "valid_to": "30/11/2018",
        "emphasis_areas": ["economic_empowerment"],
    }
    data.update(extra)
    return client.post(reverse("agreements:new"), data)


def _nothing_written(settings) -> bool:
    media = settings.MEDIA_ROOT
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    agreement_events = AuditEvent.objects.filter(verb__startswith="agreement.")
    return not Agreement.objects.exists() and not agreement_events.exists() and not files


def test_a_validity_that_ends_before_it_starts_is_refused(
    client_for, coordinator, durango, settings
):
    response = _create(
        client_for(coordinator), durango, valid_from="01/03/2018", valid_to="30/11/2015"
    )
    assert response.status_code == 400
    assert (
        "La fecha final de vigencia no puede ser anterior a la inicial."
        in response.content.decode()
    )
    assert _nothing_written(settings)


def test_an_unknown_emphasis_area_is_refused(client_for, coordinator, durango, settings):
    response = _create(client_for(coordinator), durango, emphasis_areas=["salud"])
    assert response.status_code == 400
    assert "no es una de las opciones disponibles" in response.content.decode()
    assert _nothing_written(settings)


def test_a_signed_document_that_is_not_a_pdf_is_refused(client_for, coordinator, durango, settings):
    text = SimpleUploadedFile("convenio.txt", b"Texto del convenio", content_type="text/plain")
    response = _create(client_for(coordinator), durango, signed_document=text)
    assert response.status_code == 400
    assert (
        "Aquí no se admite un archivo de texto (TXT). Tipos admitidos: PDF."
        in response.content.decode()
    )
    assert _nothing_written(settings)


def test_a_png_named_pdf_is_refused(client_for, coordinator, durango, settings):
    fake = SimpleUploadedFile("convenio.pdf", PNG_BYTES, content_type="application/pdf")
    response = _create(client_for(coordinator), durango, signed_document=fake)
    assert response.status_code == 400
    page = response.content.decode()
    assert "El nombre del archivo indica un PDF (.pdf), pero su contenido es una imagen PNG" in page
    assert _nothing_written(settings)


def test_a_real_pdf_is_stored_privately_and_downloaded_only_with_access(
    client_for, client, coordinator, viewer, outsider, durango, settings
):
    response = _create(
        client_for(coordinator), durango, signed_document=pdf("Convenio firmado.pdf")
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Convenio con errores")
    assert agreement.signed_document.name.startswith("private/agreements/")
    assert agreement.signed_document_name == "Convenio firmado.pdf"
    url = reverse("agreements:document", args=[agreement.code])
    download = client_for(viewer).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    assert client_for(outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_duplicate_goal_number_is_refused(client_for, coordinator, signed):
    events = AuditEvent.objects.count()
    response = client_for(coordinator).post(
        reverse("agreements:goal_create", args=[signed.code]),
        {"number": "1", "description": "Repetida"},
    )
    assert response.status_code == 400
    assert "Ya existe una meta con ese número en este convenio." in response.content.decode()
    assert Goal.objects.filter(agreement=signed).count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "field, value",
    [
        ("hours", "-1"),
        ("participants_women", "-3"),
        ("participants_men", "-1"),
        ("participants_other", "-2"),
    ],
)
def test_negative_hours_or_participants_are_refused(field, value, client_for, editor, signed):
    data = {
        "recipient": signed.state_institution_id,
        "topic": "Taller negativo",
        "modality": "virtual",
        "date": "10/10/2015",
        "hours": "3",
        "participants_women": "1",
        "participants_men": "1",
        "participants_other": "0",
        field: value,
    }
    events = AuditEvent.objects.count()
    response = client_for(editor).post(
        reverse("agreements:assistance_new", args=[signed.state.code]), data
    )
    assert response.status_code == 400
    assert "Asegúrese de que este valor sea mayor o igual a 0." in response.content.decode()
    assert not TechnicalAssistance.objects.exists() and AuditEvent.objects.count() == events


def test_an_evidence_file_that_is_a_program_is_refused(client_for, editor, signed):
    data = {
        "recipient": signed.state_institution_id,
        "topic": "Taller",
        "modality": "virtual",
        "date": "10/10/2015",
        "hours": "3",
        "participants_women": "1",
        "participants_men": "1",
        "participants_other": "0",
        "evidence": SimpleUploadedFile(
            "lista.exe", b"MZ\x00\x00", content_type="application/octet-stream"
        ),
    }
    response = client_for(editor).post(
        reverse("agreements:assistance_new", args=[signed.state.code]), data
    )
    assert response.status_code == 400
    assert "No se admiten archivos con extensión .exe" in response.content.decode()
    assert not TechnicalAssistance.objects.exists()

"""The follow-up panel's endpoints: who may act, what each does, and that writes reject GET."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.conftest import make_institution, make_member
from transversal.followup import services
from transversal.followup.models import FollowUpStatus
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def item(durango, zacatecas):
    """Durango answers for it; Zacatecas verifies it."""
    return services.followup_create(
        kind="otro", title="Presentar el informe", owner=durango, verifier=zacatecas
    )


@pytest.mark.parametrize(
    "name", ["note_add", "evidence_add", "mark_done", "verify", "cancel", "reopen"]
)
def test_every_action_rejects_get(client_for, item, editor, name):
    assert client_for(editor).get(reverse(f"followup:{name}", args=[item.code])).status_code == 405


def test_a_stranger_gets_404_and_a_viewer_403(client_for, item, viewer):
    other = make_institution("iem-chihuahua-test", "08", "Instituto Chihuahuense de las Mujeres")
    stranger = make_member("chih@prueba.test", other, "editor")
    url = reverse("followup:note_add", args=[item.code])
    assert client_for(stranger).post(url, {"text": "x"}).status_code == 404
    assert client_for(stranger).get(reverse("followup:detail", args=[item.code])).status_code == 404
    assert client_for(viewer).post(url, {"text": "x"}).status_code == 403
    assert not item.notes.exists()


def test_the_owner_adds_evidence_that_only_readers_download(client_for, item, editor, outsider):
    client_for(editor).post(
        reverse("followup:evidence_add", args=[item.code]),
        {"file": SimpleUploadedFile("informe.pdf", blank_pdf("informe")), "description": "Informe"},
    )
    evidence = item.evidence.get()
    url = reverse("followup:evidence", args=[evidence.code])
    response = client_for(outsider).get(url)  # Zacatecas verifies it: it reads the files
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    other = make_institution("iem-chihuahua-test", "08", "Instituto Chihuahuense de las Mujeres")
    assert client_for(make_member("c@prueba.test", other, "editor")).get(url).status_code == 404


def test_a_refused_file_says_why_and_stores_nothing(client_for, item, editor):
    response = client_for(editor).post(
        reverse("followup:evidence_add", args=[item.code]),
        {"file": SimpleUploadedFile("informe.pdf", b"MZ\x90\x00ejecutable")},
        follow=True,
    )
    assert "Archivo de evidencia:" in response.content.decode()
    assert not item.evidence.exists()


def test_the_owner_may_not_verify_and_the_verifier_cancels_and_reopens(
    client_for, item, editor, outsider
):
    client_for(editor).post(reverse("followup:note_add", args=[item.code]), {"text": "Hecho"})
    assert client_for(editor).post(reverse("followup:verify", args=[item.code])).status_code == 403
    verifier = client_for(outsider)
    verifier.post(reverse("followup:cancel", args=[item.code]), {"reason": "Duplicado"})
    item.refresh_from_db()
    assert item.status == FollowUpStatus.CANCELLED and item.cancel_reason == "Duplicado"
    verifier.post(reverse("followup:reopen", args=[item.code]), {"reason": "Se retoma"})
    item.refresh_from_db()
    assert item.status == FollowUpStatus.IN_PROGRESS


def test_a_cancel_without_reason_changes_nothing(client_for, item, outsider):
    response = client_for(outsider).post(
        reverse("followup:cancel", args=[item.code]), {"reason": ""}, follow=True
    )
    assert "Motivo:" in response.content.decode()
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN

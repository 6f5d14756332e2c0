"""Cancelling a preview removes it (one audit event); an applied import stays as the record of
what it wrote. Only the national coordination discards: state members get 403, people without
a membership 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.genderstats import services
from transversal.genderstats.models import StatImport
from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator

pytestmark = pytest.mark.django_db

LINES = [
    HEADER,
    "ocupadas,2024,10,mujeres,,100,Personas,ENDIREH,,,",
    "ocupadas,2024,10,hombres,,120,Personas,ENDIREH,,,",
]


@pytest.fixture
def preview(coordinator):
    make_indicator("ocupadas", measure="conteo", unit="Personas")
    return services.import_preview(actor=coordinator, upload=csv_file(LINES), filename="e.csv")


def discard_url(stat_import) -> str:
    return reverse("genderstats:import_discard", args=[stat_import.code])


def test_discarding_a_preview_removes_it_with_one_audit_event(coordinator, preview):
    assert services.import_discard(actor=coordinator, stat_import=preview) is True
    assert not StatImport.objects.exists()
    event = AuditEvent.objects.get(verb="statimport.discard")
    assert event.actor == coordinator
    assert event.target_id == str(preview.pk)
    assert event.changes == {"filename": ["e.csv", None], "status": ["preview", None]}


def test_an_applied_import_is_not_discarded(coordinator, preview):
    services.import_apply(actor=coordinator, stat_import=preview)
    with pytest.raises(ValidationError) as refused:
        services.import_discard(actor=coordinator, stat_import=preview)
    assert "ya se aplicó" in str(refused.value)
    assert StatImport.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="statimport.discard").exists()


def test_a_discarded_preview_can_no_longer_be_applied(coordinator, preview):
    services.import_discard(actor=coordinator, stat_import=preview)
    with pytest.raises(ValidationError) as refused:
        services.import_apply(actor=coordinator, stat_import=preview)
    assert "ya no está disponible" in str(refused.value)


def test_the_preview_page_offers_to_discard(client_for, coordinator, preview):
    page = (
        client_for(coordinator)
        .get(reverse("genderstats:import_detail", args=[preview.code]))
        .content.decode()
    )
    assert f'action="{discard_url(preview)}"' in page
    assert "Descartar" in page
    assert "Al descartarla no se guarda nada." in page


def test_the_coordination_discards_and_reads_a_spanish_message(client_for, coordinator, preview):
    client = client_for(coordinator)
    response = client.post(discard_url(preview))
    assert response.status_code == 302
    assert response.url == reverse("genderstats:import")
    assert not StatImport.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Se descartó la importación; no se guardó nada." in page
    assert client.get(reverse("genderstats:import_detail", args=[preview.code])).status_code == 404


def test_discarding_an_applied_import_is_refused_with_a_message(client_for, coordinator, preview):
    services.import_apply(actor=coordinator, stat_import=preview)
    client = client_for(coordinator)
    response = client.post(discard_url(preview))
    assert response.url == reverse("genderstats:import_detail", args=[preview.code])
    page = client.get(response.url).content.decode()
    assert "Esta importación ya se aplicó; no se puede descartar." in page
    assert StatImport.objects.count() == 1


def test_discarding_rejects_get(client_for, coordinator, preview):
    assert client_for(coordinator).get(discard_url(preview)).status_code == 405
    assert StatImport.objects.count() == 1


def test_state_members_get_403_and_people_without_membership_404(
    client_for, editor, viewer, preview
):
    from transversal.accounts.models import User

    for person in (editor, viewer):
        assert client_for(person).post(discard_url(preview)).status_code == 403
    loner = User.objects.create_user(email="sola@prueba.test", password="x" * 12, full_name="Sola")
    assert client_for(loner).post(discard_url(preview)).status_code == 404
    assert StatImport.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="statimport.discard").exists()

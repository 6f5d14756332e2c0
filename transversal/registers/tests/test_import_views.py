"""The import pages: template download, upload, preview, confirm and discard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.registers.models import ServiceCount, TrainingEvent
from transversal.registers.tests.test_import import (
    CURP,
    filled,
    municipalities,
    service_row,
    training_row,
)

pytestmark = pytest.mark.django_db
municipalities = municipalities  # the catalogue fixture (autouse where it is defined)

SERVICE = "service"


def upload_url(institution, register=SERVICE):
    return reverse("registers:import", args=[register, institution.slug])


def upload(client, institution, rows, register=SERVICE):
    return client.post(
        upload_url(institution, register), {"file": filled(register, institution, rows)}
    )


def preview_of(client, institution, rows):
    response = upload(client, institution, rows)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_list_offers_the_import_to_editors_only(client_for, editor, viewer, durango):
    url = reverse("registers:list", args=[SERVICE])
    page = client_for(editor).get(url).content.decode()
    assert reverse("registers:import_start", args=[SERVICE]) in page
    assert "Importar desde Excel" in page
    assert "Importar desde Excel" not in client_for(viewer).get(url).content.decode()


def test_the_start_goes_to_the_only_institution_the_editor_records_for(client_for, editor, durango):
    response = client_for(editor).get(reverse("registers:import_start", args=["training"]))
    assert response.status_code == 302
    assert response["Location"] == upload_url(durango, "training")


def test_the_start_is_403_for_a_read_only_member_and_404_for_someone_of_no_institution(
    client_for, viewer, django_user_model
):
    url = reverse("registers:import_start", args=[SERVICE])
    assert client_for(viewer).get(url).status_code == 403
    nobody = django_user_model.objects.create_user(email="nadie@prueba.test", password="x-1234567")
    assert client_for(nobody).get(url).status_code == 404


def test_the_template_downloads_as_xlsx(client_for, editor, durango):
    url = reverse("registers:import_template", args=["participation", durango.slug])
    response = client_for(editor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "plantilla-participacion-" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("name", ["import", "import_template"])
def test_outsiders_get_404_and_read_only_members_403(name, client_for, viewer, outsider, durango):
    url = reverse(f"registers:{name}", args=[SERVICE, durango.slug])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403


def test_a_valid_file_shows_the_preview_and_confirming_saves_it(client_for, editor, durango):
    client = client_for(editor)
    rows = [service_row(), service_row(**{"Municipio (clave INEGI)": "10007"})]
    preview = preview_of(client, durango, rows)
    page = client.get(preview)
    text = page.content.decode()
    assert page.status_code == 200
    assert "se crearán 2 registros" in text and "196" in text
    assert ServiceCount.objects.count() == 0
    response = client.post(preview + "confirmar/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registers:list", args=[SERVICE]))
    assert ServiceCount.objects.filter(institution=durango).count() == 2
    assert AuditEvent.objects.filter(verb="service.import", actor=editor).count() == 1
    # The pending import is gone: confirming again writes nothing.
    again = client.post(preview + "confirmar/")
    assert again.status_code == 302 and ServiceCount.objects.count() == 2


def test_the_preview_warns_of_a_possible_duplicate_and_confirming_imports_it(
    client_for, editor, durango
):
    client = client_for(editor)
    rows = [training_row(), training_row(**{"Municipio (clave INEGI)": "10007"})]
    response = upload(client, durango, rows, register="training")
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = response["Location"]
    page = client.get(preview).content.decode()
    assert "1 aviso antes de importar" in page
    assert "Tiene el mismo título e inicio que la fila 2" in page
    assert 'href="#import-warnings">posible duplicado</a>' in page
    assert "Importar de todos modos" in page
    assert client.post(preview + "confirmar/").status_code == 302
    assert TrainingEvent.objects.filter(institution=durango).count() == 2


def test_a_file_with_a_curp_lists_the_row_and_saves_nothing(client_for, editor, durango):
    rows = [service_row(), service_row(**{"Observaciones": f"CURP {CURP}"})]
    response = upload(client_for(editor), durango, rows)
    text = response.content.decode()
    assert response.status_code == 200
    assert "El archivo tiene 1 problema; no se guardó nada." in text
    assert "<td>3</td><td>Observaciones</td>" in text and "una CURP" in text
    assert ServiceCount.objects.count() == 0


def test_a_file_that_is_not_the_template_gets_a_message(client_for, editor, durango):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(editor).post(
        upload_url(durango), {"file": SimpleUploadedFile("x.xlsx", b"hola, mundo")}
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert ServiceCount.objects.count() == 0


def test_an_entry_recorded_since_the_preview_keeps_the_preview_with_the_conflict(
    client_for, editor, durango
):
    client = client_for(editor)
    rows = [service_row(**{"Municipio (clave INEGI)": "10007"}), service_row()]
    preview = preview_of(client, durango, rows)
    from transversal.registers.tests.entry_world import service

    recorded = {"women": 95, "men": 3, "attentions": 130}
    service(durango, month=dt.date(2025, 3, 1), municipality=_place("10005"), **recorded)
    response = client.post(preview + "confirmar/")
    assert response.status_code == 409
    assert "Ya hay un registro capturado" in response.content.decode()
    assert ServiceCount.objects.count() == 1


def _place(code):
    from transversal.territory.models import Municipality

    return Municipality.objects.get(code=code)


def test_discarding_drops_the_pending_import(client_for, editor, durango):
    client = client_for(editor)
    preview = preview_of(client, durango, [service_row()])
    response = client.post(preview + "descartar/")
    assert response.status_code == 302
    assert client.get(preview).status_code == 302  # expired: back to the upload page
    assert client.post(preview + "confirmar/").status_code == 302
    assert ServiceCount.objects.count() == 0


def test_the_confirmation_rejects_get_and_is_403_for_read_only_members(
    client_for, editor, viewer, durango
):
    client = client_for(editor)
    preview = preview_of(client, durango, [service_row()])
    assert client.get(preview + "confirmar/").status_code == 405
    assert client_for(viewer).post(preview + "confirmar/").status_code == 403
    assert ServiceCount.objects.count() == 0


def test_another_persons_pending_import_is_not_theirs_to_confirm(
    client_for, editor, state_admin, durango
):
    preview = preview_of(client_for(editor), durango, [service_row()])
    response = client_for(state_admin).post(preview + "confirmar/")
    assert response.status_code == 302  # the session holds no such import
    assert ServiceCount.objects.count() == 0


def test_the_preview_page_takes_a_bounded_number_of_queries(
    client_for, editor, durango, django_assert_max_num_queries
):
    client = client_for(editor)
    rows = [
        service_row(**{"Municipio (clave INEGI)": code})
        for code in ("10001", "10002", "10003", "10004", "10005", "10006", "10007", "10008")
    ]
    preview = preview_of(client, durango, rows)
    # Session, user, memberships, institution with its names, state: the rows come from the
    # session, so 8 rows cost what 1 does.
    with django_assert_max_num_queries(10):
        assert client.get(preview).status_code == 200

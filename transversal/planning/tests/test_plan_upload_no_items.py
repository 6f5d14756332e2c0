"""The plan upload when the document has no numbered items: a profile is sent to the profile
import; anything else is told what the importer looked for and what it found."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning import views
from transversal.planning.ingest import parse_profile, reads_as_profile, scan_summary
from transversal.planning.ingest.seeds import find_seed
from transversal.planning.models import Plan, PlanImport
from transversal.planning.tests.factories import PROFILE, docx_bytes

pytestmark = pytest.mark.django_db

PROSE = [
    "Informe de actividades",
    "Durante el año se atendió a mujeres de los municipios del estado.",
    "Se realizaron las siguientes actividades:",
    "1. Talleres de capacitación en los municipios.",
    "2. Campañas de difusión en radio.",
    "3. Asesorías jurídicas gratuitas.",
]


def seed_bytes(prefix: str) -> bytes:
    path = find_seed(prefix)
    if path is None:
        pytest.skip("seed documents folder not found (set TRANSVERSAL_SEEDS_DIR)")
    return path.read_bytes()


def upload(client, institution, data: bytes, name: str):
    return client.post(
        reverse("planning:upload"),
        {
            "institution": institution.slug,
            "kind": "ped",
            "document": SimpleUploadedFile(name, data),
        },
    )


def profile_url(institution) -> str:
    return reverse("planning:profile_import", args=[institution.slug])


def carried_token(html: str) -> str:
    match = re.search(r'name="carried" value="([^"]+)"', html)
    assert match, "the page offers no button to the profile import"
    return match.group(1)


def written() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), PlanImport.objects.count(), Plan.objects.count()


@pytest.mark.parametrize(
    ("name", "data", "mission"),
    [
        ("perfil.docx", lambda: docx_bytes(PROFILE), "Coordinar las políticas de igualdad"),
        ("perfil.txt", lambda: seed_bytes("002_"), "Promover políticas públicas"),
    ],
    ids=["generated-docx", "seed-002"],
)
def test_a_profile_uploaded_as_a_plan_is_offered_to_the_profile_import_without_uploading_again(
    client_for, editor, durango, name, data, mission
):
    client = client_for(editor)
    before = written()
    response = upload(client, durango, data(), name)
    assert response.status_code == 200
    html = response.content.decode()
    assert "no es un plan sino un perfil institucional" in html
    assert "la misión, la visión" in html and "No se encontraron elementos numerados" not in html
    assert f'action="{profile_url(durango)}"' in html
    assert "Importar como perfil de Instituto Estatal de las Mujeres" in html

    review = client.post(profile_url(durango), {"carried": carried_token(html)})
    assert review.status_code == 200
    html = review.content.decode()
    assert f"Se leyó «{name}», el documento que subió en «Importar un plan»." in html
    assert review.context["profile_form"].initial["mission"].startswith(mission)
    assert "Aplicar perfil" in html
    assert written() == before  # nothing is kept or saved until the profile is applied


def test_a_document_with_neither_items_nor_a_profile_says_what_was_looked_for_and_found(
    client_for, editor, durango
):
    before = written()
    html = upload(client_for(editor), durango, docx_bytes(PROSE), "informe.docx").content.decode()
    assert "No se encontraron elementos numerados en el documento." in html
    assert "«2.10.1 Impulsar…»" in html and "«Estrategia 2.3»" in html
    assert "De 6 renglones leídos, 3 empiezan con un número sencillo" in html
    assert "perfil institucional" not in html and 'name="carried"' not in html
    assert written() == before


def test_seed_000_is_told_that_none_of_its_lines_starts_like_an_item(client_for, editor, durango):
    html = upload(client_for(editor), durango, seed_bytes("000_"), "nota.txt").content.decode()
    assert "Se leyeron 9 renglones y ninguno empieza así." in html
    assert 'name="carried"' not in html


def test_a_profile_too_large_to_carry_links_to_the_profile_import_to_upload_it_there(
    client_for, editor, durango, monkeypatch
):
    monkeypatch.setattr(views, "CARRY_MAX_CHARS", 10)
    html = upload(client_for(editor), durango, docx_bytes(PROFILE), "perfil.docx").content.decode()
    assert 'name="carried"' not in html
    assert f'href="{profile_url(durango)}"' in html and "súbalo de nuevo" in html


def test_an_altered_or_expired_carried_text_is_refused_with_a_spanish_message(
    client_for, editor, durango, monkeypatch
):
    client = client_for(editor)
    token = carried_token(
        upload(client, durango, docx_bytes(PROFILE), "perfil.docx").content.decode()
    )
    forged = signing.dumps({"text": "\n".join(PROFILE), "name": "x"}, salt="otra-cosa")
    monkeypatch.setattr(views, "CARRY_MAX_AGE", -1)
    for bad in (token[:-2] + "xx", forged, token):
        response = client.post(profile_url(durango), {"carried": bad}, follow=True)
        html = response.content.decode()
        assert response.context["profile_form"] is None
        assert "ya no está disponible" in html and "Súbalo de nuevo aquí." in html
    durango.refresh_from_db()
    assert durango.mission == ""


def test_a_carried_text_opens_no_other_institutions_profile(
    client_for, editor, durango, zacatecas, viewer
):
    token = carried_token(
        upload(client_for(editor), durango, docx_bytes(PROFILE), "perfil.docx").content.decode()
    )
    assert client_for(editor).post(profile_url(zacatecas), {"carried": token}).status_code == 404
    assert client_for(viewer).post(profile_url(durango), {"carried": token}).status_code == 403


# --- The pure rules behind it -------------------------------------------------------


def test_two_sections_of_its_own_make_a_profile_one_cue_does_not():
    assert reads_as_profile(parse_profile("\n".join(PROFILE)))
    assert not reads_as_profile(parse_profile("\n".join(PROSE)))
    assert not reads_as_profile(parse_profile("Misión\nLlevar la igualdad a todo el estado."))
    assert not reads_as_profile(
        parse_profile("Los objetivos son:\n1. Uno de igualdad.\n2. Otro de salud.")
    )


def test_the_scan_summary_counts_lines_and_the_numbered_ones():
    seen = scan_summary("\n".join(PROSE) + "\n\nPlan Estatal de Desarrollo 2022-2027")
    assert (seen.paragraphs, seen.numbered_lines, seen.title) == (
        7,
        3,
        "Plan Estatal de Desarrollo 2022-2027",
    )

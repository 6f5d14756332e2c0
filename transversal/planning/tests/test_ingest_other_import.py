"""A document uploaded to the wrong import is told so and sent to the other one.

The plan upload already offers the profile import for a profile (test_plan_upload_no_items);
here the profile import gets a plan: it says that nothing of a profile was read, that the
document has numbered items, and links to «Importar un plan».
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.tests.factories import docx_bytes

pytestmark = pytest.mark.django_db

PLAN = [
    "Programa Estatal para la Igualdad 2024-2030",
    "Objetivo 1. Reducir la brecha de ingresos entre mujeres y hombres",
    "Estrategia 1.1 Ampliar el empleo formal de las mujeres",
    "Línea de acción 1.1.1 Vincular a buscadoras de empleo con empresas.",
    "Objetivo 2. Ampliar la red de refugios",
]


def upload(client, institution, data: bytes, name: str):
    return client.post(
        reverse("planning:profile_import", args=[institution.slug]),
        {"document": SimpleUploadedFile(name, data)},
    )


def test_a_plan_uploaded_as_a_profile_is_sent_to_the_plan_import_and_nothing_is_kept(
    client_for, editor, durango
):
    before = (AuditEvent.objects.count(), durango.mission, durango.names.count())

    response = upload(client_for(editor), durango, docx_bytes(PLAN), "programa.docx")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["profile_form"] is None  # no review of an empty profile
    assert "no se leyó nada de un perfil institucional" in html
    assert "tiene 4 elementos numerados" in html
    assert f'href="{reverse("planning:upload")}"' in html
    durango.refresh_from_db()
    assert (AuditEvent.objects.count(), durango.mission, durango.names.count()) == before


def test_a_document_with_neither_a_profile_nor_items_says_what_was_looked_for(
    client_for, editor, durango
):
    text = "Informe de actividades\nSe atendió a mujeres de los municipios.\n".encode()

    html = upload(client_for(editor), durango, text, "informe.txt").content.decode()

    assert "no se leyó nada de un perfil institucional" in html
    assert "misión" in html and "decreto" in html
    assert "elementos numerados" not in html

"""Open data of the coordination systems: one row per system, session and acuerdo, with the
figures and statuses the API gives, links to published things only, and no person's name."""

from __future__ import annotations

import csv
import io
import json

import pytest

from transversal.api.tests.coordination_world import PERSON, REPRESENTATIVE
from transversal.portal import datasets
from transversal.portal.tests.conftest import body

pytestmark = pytest.mark.django_db


def rows(client, name: str) -> dict[str, dict]:
    text = body(client.get(f"/datos/{name}.csv"))
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return {row[next(iter(row))]: row for row in table}


def test_a_session_row_gives_its_counts_quorum_and_acta_flag(client, world):
    c = world.coordination
    row = rows(client, "sesiones")[str(c.held.code)]
    assert row == {
        "clave_sesion": str(c.held.code),
        "clave_sistema": str(c.system.code),
        "clave_entidad": "10",
        "tipo": "ordinaria",
        "numero": "1",
        "etiqueta": "O-1",
        "anio": "2026",
        "fecha": "2026-02-10",
        "modalidad": "presencial",
        "estado": "celebrada",
        "puntos_orden_dia": "3",
        "integrantes_presentes": "3",
        "integrantes_con_voto": "4",
        "presentes_con_voto": "2",
        "quorum_requerido": "3",
        "quorum_alcanzado": "false",
        "acta_firmada": "true",
        "dato_sintetico": "false",
    }
    planned = rows(client, "sesiones")[str(c.planned.code)]
    assert (planned["estado"], planned["acta_firmada"]) == ("programada", "false")


def test_the_session_figures_match_the_api(client, world):
    """One rule for both outputs: the file's counts are the API's, session by session."""
    api = {
        row["code"]: row for row in client.get("/api/v1/sessions", {"limit": 200}).json()["items"]
    }
    files = rows(client, "sesiones")
    assert set(api) == set(files)
    for code, row in files.items():
        assert int(row["puntos_orden_dia"]) == api[code]["agenda_items"]
        assert int(row["integrantes_presentes"]) == api[code]["members_present"]
        assert int(row["quorum_requerido"]) == api[code]["quorum_required"]
        assert (row["quorum_alcanzado"] == "true") is api[code]["quorum_met"]


def test_an_acuerdo_row_joins_its_responsibles_and_its_published_links(client, world):
    c = world.coordination
    row = rows(client, "acuerdos")[str(c.overdue.code)]
    assert row["folio"] == c.overdue.folio
    assert row["clave_sesion"] == str(c.held.code)
    assert row["clave_sistema"] == str(c.system.code) and row["clave_entidad"] == "10"
    assert row["texto"] == "Presentar el programa estatal"
    assert row["instituciones_responsables"] == "iem-durango-test;bienestar-durango-test"
    assert (row["fecha_compromiso"], row["estado"], row["estado_seguimiento"]) == (
        "2026-06-30",
        "vencido",
        "abierto",
    )
    # The draft plan's item, the draft convenio's goal and the private indicator stay out.
    assert row["elementos_plan"] == str(c.links.published_item.pk)
    assert row["metas"] == str(c.links.public_goal.code)
    assert row["indicadores"] == str(c.links.public_indicator.code)
    assert row["dato_sintetico"] == "false"


def test_a_synthetic_systems_rows_say_so(client, world):
    from transversal.coordination.models import System

    c = world.coordination
    System.objects.filter(pk=c.system.pk).update(is_synthetic=True)
    assert rows(client, "sistemas")[str(c.system.code)]["dato_sintetico"] == "true"
    assert rows(client, "sesiones")[str(c.held.code)]["dato_sintetico"] == "true"
    assert rows(client, "acuerdos")[str(c.overdue.code)]["dato_sintetico"] == "true"
    zacatecas = rows(client, "acuerdos")[str(c.zacatecas_resolution.code)]
    assert zacatecas["dato_sintetico"] == "false"


def test_each_acuerdo_status_is_published_with_its_spanish_code(client, world):
    c = world.coordination
    table = rows(client, "acuerdos")
    found = {
        name: (table[str(getattr(c, name).code)]["estado"],)
        + (table[str(getattr(c, name).code)]["estado_seguimiento"],)
        for name in ("overdue", "fulfilled", "cancelled", "done")
    }
    assert found == {
        "overdue": ("vencido", "abierto"),
        "fulfilled": ("cumplido", "verificado"),
        "cancelled": ("cancelado", "cancelado"),
        "done": ("en_proceso", "atendido"),
    }
    fulfilled = table[str(c.fulfilled.code)]
    assert (fulfilled["fecha_atendido"], fulfilled["fecha_cierre"]) == ("2026-05-02", "2026-05-09")
    assert fulfilled["instituciones_responsables"] == "iem-durango-test"
    assert fulfilled["elementos_plan"] == fulfilled["metas"] == fulfilled["indicadores"] == ""


def test_the_json_file_gives_the_same_rows(client, world):
    c = world.coordination
    as_json = json.loads(body(client.get("/datos/acuerdos.json")))
    row = next(r for r in as_json if r["clave_acuerdo"] == str(c.overdue.code))
    assert row["instituciones_responsables"] == "iem-durango-test;bienestar-durango-test"
    assert row["fecha_atendido"] is None and row["estado"] == "vencido"
    sessions = json.loads(body(client.get("/datos/sesiones.json")))
    held = next(r for r in sessions if r["clave_sesion"] == str(c.held.code))
    assert held["puntos_orden_dia"] == 3 and held["quorum_alcanzado"] is False


def test_a_system_row_gives_its_basis_presidency_and_secretariat(client, world):
    row = rows(client, "sistemas")[str(world.coordination.system.code)]
    assert row == {
        "clave_sistema": str(world.coordination.system.code),
        "nombre": "Sistema Estatal para la Igualdad entre Mujeres y Hombres",
        "siglas": "SEI",
        "materia": "igualdad",
        "ambito": "estatal",
        "clave_entidad": "10",
        "clave_municipio": "",
        "instrumento_juridico": "Ley de Igualdad del Estado",
        "fecha_instrumento": "2010-03-01",
        "presidencia": "Persona titular del Ejecutivo",
        "secretaria_tecnica": "iem-durango-test",
        "quorum_porcentaje": "50",
        "dato_sintetico": "false",
    }


@pytest.mark.parametrize("name", ["sistemas", "sesiones", "acuerdos"])
def test_no_persons_name_reaches_the_coordination_files(client, world, name):
    for fmt in ("csv", "json"):
        text = body(client.get(f"/datos/{name}.{fmt}"))
        assert PERSON not in text and REPRESENTATIVE not in text


def test_the_package_links_acuerdos_to_sessions_and_sessions_to_systems(client, world):
    package = json.loads(body(client.get("/datos/datapackage.json")))
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["acuerdos"]["foreignKeys"] == [
        {"fields": "clave_sesion", "reference": {"resource": "sesiones", "fields": "clave_sesion"}}
    ]
    assert schemas["sesiones"]["foreignKeys"][0]["reference"]["resource"] == "sistemas"
    status = next(f for f in schemas["acuerdos"]["fields"] if f["name"] == "estado")
    assert status["codigosApi"] == {
        "en_proceso": "in_progress",
        "cumplido": "fulfilled",
        "cancelado": "cancelled",
        "vencido": "overdue",
    }
    # Every session's system and every acuerdo's session is in its file: the keys hold.
    sessions = rows(client, "sesiones")
    assert {r["clave_sesion"] for r in rows(client, "acuerdos").values()} <= set(sessions)
    assert {r["clave_sistema"] for r in sessions.values()} <= set(rows(client, "sistemas"))


def test_the_data_page_says_what_coordination_publishes(client, world):
    html = body(client.get("/datos/"))
    assert "Acuerdos de los sistemas de coordinación" in html
    assert "ni la persona responsable" in html


def test_each_coordination_file_is_one_query_whatever_its_links(client, world, durango):
    from transversal.api.tests.coordination_world import grow
    from transversal.portal.tests.test_query_counts import count_queries

    urls = [f"/datos/{name}.{fmt}" for name in ("sesiones", "acuerdos") for fmt in ("csv", "json")]
    grow(durango, 3, "q")
    assert [count_queries(client, url) for url in urls] == [1, 1, 1, 1]
    assert len(rows(client, "acuerdos")) > 2 * 3
    assert datasets.BY_NAME["acuerdos"].primary_key == ("clave_acuerdo",)

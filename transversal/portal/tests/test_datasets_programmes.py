"""Open data of the yearly cycle: ``programas`` (one row per programme past elaboration of a
published convenio, with its resources per source) and ``programas-metas`` (one row per goal,
progress scheduled and achieved per sent quarter). Public, figures only: no person, observation,
narrative or file, and never a programme in elaboration."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone

from transversal.agreements.models import Agreement, AgreementStatus
from transversal.portal import datasets
from transversal.portal.tests.conftest import body
from transversal.workprogrammes.models import WorkProgramme

pytestmark = pytest.mark.django_db


def rows(client, name: str) -> list[dict]:
    response = client.get(f"/datos/{name}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))


def by_programme(client) -> dict[str, dict]:
    return {row["clave_programa"]: row for row in rows(client, "programas")}


def test_a_programme_row_gives_its_stage_goals_resources_and_reports(client, world):
    w = world.programmes
    table = by_programme(client)
    row = table[str(w.executing.code)]
    assert row == {
        "clave_programa": str(w.executing.code),
        "clave_convenio": str(w.agreement.code),
        "clave_entidad": "10",
        "entidad": "Durango",
        "anio": "2025",
        "etapa": "en_ejecucion",
        "fecha_etapa": timezone.localdate(w.executing.stage_changed_at).isoformat(),
        "metas": "2",
        # Goal 1's federal 100,000 was modified to 90,000; the Q3 draft's 99,999 never counts.
        "federal_aprobado": "150000",
        "federal_vigente": "140000",
        "federal_ejercido": "40000",
        "estatal_aprobado": "20000",
        "estatal_vigente": "20000",
        "estatal_ejercido": "5000",
        "en_especie_aprobado": "5000",
        "en_especie_vigente": "5000",
        "en_especie_ejercido": "1000",
        "informes_enviados": "2",
        "informes_recibidos": "1",
        "fecha_cierre": "",
        "dato_sintetico": "false",
    }
    closed = table[str(w.closed.code)]
    assert (closed["etapa"], closed["fecha_cierre"], closed["entidad"]) == (
        "cerrada",
        "2026-01-15",
        "Zacatecas",
    )
    assert (closed["federal_aprobado"], closed["federal_ejercido"]) == ("1234.5", "0")


def test_programmes_in_elaboration_or_of_an_unpublished_convenio_are_not_published(client, world):
    w = world.programmes
    assert str(w.draft.code) not in by_programme(client)
    Agreement.objects.filter(pk=w.zacatecas_agreement.pk).update(status=AgreementStatus.TERMINATED)
    published = {str(w.executing.code)}
    assert set(by_programme(client)) == published
    assert {row["clave_programa"] for row in rows(client, "programas-metas")} == published
    for name in ("programas", "programas-metas"):
        for fmt in ("csv", "json"):
            text = body(client.get(f"/datos/{name}.{fmt}"))
            assert str(w.draft.code) not in text and str(w.closed.code) not in text


def test_a_goal_row_gives_progress_scheduled_and_achieved_per_sent_quarter(client, world):
    w = world.programmes
    goals = {
        row["numero_meta"]: row
        for row in rows(client, "programas-metas")
        if row["clave_programa"] == str(w.executing.code)
    }
    assert goals["1"] == {
        "clave_programa": str(w.executing.code),
        "clave_entidad": "10",
        "anio": "2025",
        "clave_meta": str(w.goals[0].code),
        "numero_meta": "1",
        "descripcion_meta": "Meta 1 del convenio de Durango",
        "programado_t1": "25",
        "programado_t2": "50",
        "programado_t3": "75",
        "programado_t4": "100",
        # Only a received report publishes its validated progress: Q1 was received with 95
        # validated; Q2 was sent with 95 but observed; Q3 is a draft, Q4 not written.
        "alcanzado_t1": "95",
        "alcanzado_t2": "",
        "alcanzado_t3": "",
        "alcanzado_t4": "",
        "dato_sintetico": "false",
    }
    assert [goals["2"][f"programado_t{q}"] for q in (1, 2, 3, 4)] == ["", "40", "", "100"]
    assert goals["2"]["alcanzado_t1"] == ""  # received, but no indicator measures goal 2


def test_the_files_give_the_figures_the_api_gives(client, world, coordinator):
    from transversal.api.services import token_create

    w = world.programmes
    _token, secret = token_create(actor=coordinator, name="pruebas")
    api = client.get(
        f"/api/v1/work-programmes/{w.executing.code}",
        headers={"Authorization": f"Bearer {secret}"},
    )
    detail = api.json()
    files = {r["clave_programa"]: r for r in json.loads(body(client.get("/datos/programas.json")))}
    row = files[str(w.executing.code)]
    prefixes = {"federal": "federal", "state": "estatal", "in_kind": "en_especie"}
    for figures in detail["resources"]:
        prefix = prefixes[figures["source"]]
        assert row[f"{prefix}_aprobado"] == float(figures["approved"])
        assert row[f"{prefix}_vigente"] == float(figures["in_force"])
        assert row[f"{prefix}_ejercido"] == float(figures["exercised"])
    assert (row["metas"], row["informes_recibidos"]) == (
        detail["goals"],
        detail["reports_received"],
    )
    lines = json.loads(body(client.get("/datos/programas-metas.json")))
    mine = [r for r in lines if r["clave_programa"] == str(w.executing.code)]
    assert [r["alcanzado_t1"] for r in mine] == [
        None if line["validated_q1"] is None else float(line["validated_q1"])
        for line in detail["lines"]
    ]


def test_synthetic_programmes_mark_their_rows(client, world):
    w = world.programmes
    WorkProgramme.objects.filter(pk=w.executing.pk).update(is_synthetic=True)
    assert by_programme(client)[str(w.executing.code)]["dato_sintetico"] == "true"
    assert by_programme(client)[str(w.closed.code)]["dato_sintetico"] == "false"
    flags = {
        (row["clave_programa"], row["dato_sintetico"]) for row in rows(client, "programas-metas")
    }
    assert (str(w.executing.code), "true") in flags
    assert (str(w.executing.code), "false") not in flags


def test_the_package_describes_the_files_their_keys_and_stage_codes(client, world):
    package = json.loads(body(client.get("/datos/datapackage.json")))
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["programas"]["primaryKey"] == ["clave_programa"]
    assert schemas["programas-metas"]["primaryKey"] == ["clave_programa", "clave_meta"]
    references = {
        name: {(k["fields"], k["reference"]["resource"]) for k in schemas[name]["foreignKeys"]}
        for name in ("programas", "programas-metas")
    }
    assert references == {
        "programas": {("clave_convenio", "convenios"), ("clave_entidad", "entidades")},
        "programas-metas": {("clave_programa", "programas"), ("clave_meta", "metas")},
    }
    stage = next(f for f in schemas["programas"]["fields"] if f["name"] == "etapa")
    assert stage["constraints"]["enum"] == [
        "propuesta",
        "observada",
        "corregida",
        "validada",
        "en_ejecucion",
        "cerrada",
    ]
    assert stage["codigosApi"]["en_ejecucion"] == "in_execution"
    assert "draft" not in stage["codigosApi"].values()
    described = {f["name"]: f["description"] for f in schemas["programas"]["fields"]}
    assert described["estatal_vigente"] == "Monto estatal vigente (el modificado, si se modificó)."
    # Every key holds: each row's convenio, state, programme and goal are published.
    convenios = {r["clave_convenio"] for r in rows(client, "convenios")}
    goals = {r["clave_meta"] for r in rows(client, "metas")}
    programmes = by_programme(client)
    assert {r["clave_convenio"] for r in programmes.values()} <= convenios
    for row in rows(client, "programas-metas"):
        assert row["clave_programa"] in programmes and row["clave_meta"] in goals


def test_the_data_page_lists_the_programme_files(client, world):
    html = body(client.get("/datos/"))
    assert "Programas anuales de trabajo de los convenios" in html
    assert "Metas de los programas anuales de trabajo" in html
    assert "/datos/programas.csv" in html and "/datos/programas-metas.json" in html
    assert "<code>programas.etapa</code>" in html


def test_each_programme_file_is_one_query_whatever_its_rows(client, world, durango, national):
    from transversal.api.tests.programmes_world import grow
    from transversal.portal.tests.test_query_counts import count_queries

    urls = [
        f"/datos/{name}.{fmt}"
        for name in ("programas", "programas-metas")
        for fmt in ("csv", "json")
    ]
    grow(national, durango, 3, "q")
    assert [count_queries(client, url) for url in urls] == [1] * 4
    assert len(rows(client, "programas")) == 2 + 3
    assert len(rows(client, "programas-metas")) == 2 + 1 + 3 * 3
    assert datasets.BY_NAME["programas"].primary_key == ("clave_programa",)

"""Open data of the improvement step: one row per evaluation, published finding and ASM, with
the figures and statuses the API gives, links to published things only, and no person's name,
note or report."""

from __future__ import annotations

import csv
import io
import json

import pytest

from transversal.api.tests.improvement_world import DISMISSAL, SECRETS
from transversal.portal import datasets
from transversal.portal.tests.conftest import body

pytestmark = pytest.mark.django_db


def rows(client, name: str) -> dict[str, dict]:
    text = body(client.get(f"/datos/{name}.csv"))
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return {row[next(iter(row))]: row for row in table}


def test_an_evaluation_row_gives_its_facts_published_scope_and_counts(client, world):
    w = world.improvement
    row = rows(client, "evaluaciones")[str(w.evaluation.code)]
    assert row == {
        "clave_evaluacion": str(w.evaluation.code),
        "clave_institucion": "iem-durango-test",
        "clave_entidad": "10",
        "anio": "2026",
        "tipo": "diseno",
        "titulo": "Evaluación de diseño del Programa Estatal",
        "instancia_evaluadora": "Universidad Juárez del Estado de Durango",
        "fecha_inicio": "2026-02-03",
        "fecha_conclusion": "2026-05-29",
        "resumen": "El programa tiene objetivos claros y metas sin línea base.",
        # The draft plan, the draft convenio's goal and the private indicator are left out.
        "planes": "ped-durango-2023-2028",
        "metas": str(world.improvement.links.public_goal.code),
        "indicadores": str(world.indicator.code),
        "hallazgos": "1",
        "hallazgos_descartados": "0",
        "con_informe": "true",
        "dato_sintetico": "false",
    }
    zacatecas = rows(client, "evaluaciones")[str(w.zacatecas_evaluation.code)]
    assert (zacatecas["tipo"], zacatecas["fecha_conclusion"], zacatecas["con_informe"]) == (
        "externa",
        "",
        "false",
    )


def test_only_findings_a_person_decided_on_about_public_things_are_published(client, world):
    w = world.improvement
    table = rows(client, "hallazgos")
    assert set(table) == {
        str(w.accepted.code),
        str(w.from_resolution.code),
        str(w.dismissed.code),
        str(w.zacatecas_finding.code),
    }
    assert table[str(w.accepted.code)] == {
        "clave_hallazgo": str(w.accepted.code),
        "etiqueta": "H-2026-01",
        "anio": "2026",
        "numero": "1",
        "clave_institucion": "iem-durango-test",
        "clave_entidad": "10",
        "origen": "evaluacion",
        "clave_evaluacion": str(w.evaluation.code),
        "clave_indicador": "",
        "periodo": "",
        "clave_acuerdo": "",
        "texto": "Las metas del programa no tienen línea base.",
        "estado": "aceptado",
        "motivo_descarte": "",
        "fecha_decision": w.accepted.decided_on.isoformat(),
        "asm": "4",
        "dato_sintetico": "false",
    }
    dismissed = table[str(w.dismissed.code)]
    assert (dismissed["etiqueta"], dismissed["origen"], dismissed["estado"]) == (
        "H-2025-01",
        "semaforo_rojo",
        "descartado",
    )
    assert dismissed["clave_indicador"] == str(world.indicator.code)
    assert (dismissed["periodo"], dismissed["motivo_descarte"]) == ("2025-T2", DISMISSAL)
    acuerdo = table[str(w.from_resolution.code)]
    assert (acuerdo["origen"], acuerdo["clave_acuerdo"]) == ("acuerdo", str(w.resolution.code))


def test_an_asm_row_gives_its_responsibles_status_and_overdue(client, world):
    w = world.improvement
    table = rows(client, "asm")
    assert str(w.private_action.code) not in table
    assert table[str(w.overdue.code)] == {
        "clave_asm": str(w.overdue.code),
        "etiqueta": "ASM H-2026-01.1",
        "numero": "1",
        "clave_hallazgo": str(w.accepted.code),
        "clave_institucion": "iem-durango-test",
        "clave_entidad": "10",
        "anio": "2026",
        "texto": "Fijar la línea base de cada meta",
        "clasificacion": "especifico",
        "prioridad": "alta",
        "instituciones_responsables": "iem-durango-test;bienestar-mejora-test",
        "institucion_verificadora": "iem-durango-test",
        "fecha_compromiso": "2026-06-30",
        "estado": "abierto",
        "vencido": "true",
        "fecha_atendido": "",
        "fecha_cierre": "",
        "dato_sintetico": "false",
    }
    found = {
        name: (
            table[str(getattr(w, name).code)]["estado"],
            table[str(getattr(w, name).code)]["vencido"],
        )
        for name in ("verified", "cancelled", "done", "zacatecas_action")
    }
    assert found == {
        "verified": ("verificado", "false"),
        "cancelled": ("cancelado", "false"),
        "done": ("atendido", "false"),
        "zacatecas_action": ("en_proceso", "false"),
    }
    verified = table[str(w.verified.code)]
    assert (verified["fecha_atendido"], verified["fecha_cierre"]) == ("2026-08-10", "2026-08-15")


def test_the_files_give_the_rows_and_figures_the_api_gives(client, world):
    for name, path in (
        ("evaluaciones", "/api/v1/evaluations"),
        ("hallazgos", "/api/v1/findings"),
        ("asm", "/api/v1/improvement-actions"),
    ):
        api = {r["code"]: r for r in client.get(path, {"limit": 200}).json()["items"]}
        files = json.loads(body(client.get(f"/datos/{name}.json")))
        assert {next(iter(r.values())) for r in files} == set(api), name
    asm = json.loads(body(client.get("/datos/asm.json")))
    api = {r["code"]: r for r in client.get("/api/v1/improvement-actions").json()["items"]}
    for row in asm:
        assert row["vencido"] == api[row["clave_asm"]]["overdue"]
        assert row["etiqueta"] == api[row["clave_asm"]]["label"]


def test_synthetic_findings_mark_their_asm(client, world):
    from transversal.improvement.models import Finding

    w = world.improvement
    Finding.objects.filter(pk=w.accepted.pk).update(is_synthetic=True)
    assert rows(client, "hallazgos")[str(w.accepted.code)]["dato_sintetico"] == "true"
    assert rows(client, "asm")[str(w.overdue.code)]["dato_sintetico"] == "true"
    assert rows(client, "asm")[str(w.zacatecas_action.code)]["dato_sintetico"] == "false"


@pytest.mark.parametrize("name", ["evaluaciones", "hallazgos", "asm"])
def test_no_persons_name_note_or_report_reaches_the_improvement_files(client, world, name):
    for fmt in ("csv", "json"):
        text = body(client.get(f"/datos/{name}.{fmt}"))
        for secret in SECRETS:
            assert secret not in text, secret
        assert str(world.private_indicator.code) not in text
        assert world.draft_plan.code not in text


def test_the_package_links_the_files_and_documents_their_codes(client, world):
    package = json.loads(body(client.get("/datos/datapackage.json")))
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    references = {
        name: {(k["fields"], k["reference"]["resource"]) for k in schemas[name]["foreignKeys"]}
        for name in ("evaluaciones", "hallazgos", "asm")
    }
    assert references == {
        "evaluaciones": {("clave_institucion", "instituciones"), ("clave_entidad", "entidades")},
        "hallazgos": {
            ("clave_evaluacion", "evaluaciones"),
            ("clave_indicador", "indicadores"),
            ("clave_acuerdo", "acuerdos"),
            ("clave_institucion", "instituciones"),
        },
        "asm": {
            ("clave_hallazgo", "hallazgos"),
            ("clave_institucion", "instituciones"),
            ("institucion_verificadora", "instituciones"),
        },
    }
    status = next(f for f in schemas["hallazgos"]["fields"] if f["name"] == "estado")
    assert status["codigosApi"] == {"aceptado": "accepted", "descartado": "dismissed"}
    # Every key holds: each finding's evaluation, indicator and acuerdo, each ASM's finding.
    findings = rows(client, "hallazgos")
    assert {r["clave_hallazgo"] for r in rows(client, "asm").values()} <= set(findings)
    evaluations = set(rows(client, "evaluaciones"))
    indicators = set(rows(client, "indicadores"))
    acuerdos = set(rows(client, "acuerdos"))
    for row in findings.values():
        assert row["clave_evaluacion"] in evaluations | {""}
        assert row["clave_indicador"] in indicators | {""}
        assert row["clave_acuerdo"] in acuerdos | {""}


def test_the_data_page_says_what_improvement_publishes(client, world):
    html = body(client.get("/datos/"))
    assert "Aspectos susceptibles de mejora" in html
    assert "No se publican las propuestas del sistema" in html


def test_each_improvement_file_is_one_query_whatever_its_rows(client, world, durango):
    from transversal.api.tests.improvement_world import grow
    from transversal.portal.tests.test_query_counts import count_queries

    names = ("evaluaciones", "hallazgos", "asm")
    urls = [f"/datos/{name}.{fmt}" for name in names for fmt in ("csv", "json")]
    grow(durango, 3, "q")
    assert [count_queries(client, url) for url in urls] == [1] * 6
    assert len(rows(client, "asm")) > 4 * 3
    assert datasets.BY_NAME["asm"].primary_key == ("clave_asm",)

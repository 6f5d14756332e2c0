"""The open data publishes Spanish codes (sexo/mujeres, verde, vigente) under its Spanish field
names, and its data dictionary gives the mapping to the codes the API uses."""

from __future__ import annotations

import csv
import io
import json

import pytest

from transversal.agreements.models import AgreementStatus, EmphasisArea, Party
from transversal.core.lights import Light
from transversal.institutions.models import InstitutionKind
from transversal.monitoring.models import (
    Dimension,
    Direction,
    Disaggregation,
    Frequency,
    IndicatorKind,
    Measure,
    MirLevel,
)
from transversal.planning.models import ItemLevel, PlanKind
from transversal.portal import datasets, vocabularies
from transversal.portal.tests.conftest import body

pytestmark = pytest.mark.django_db


def published_rows(client, dataset: datasets.Dataset, fmt: str) -> list[dict]:
    text = body(client.get(f"/datos/{dataset.name}.{fmt}"))
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return json.loads(text)


def english_codes(vocabulary: vocabularies.Vocabulary) -> set[str]:
    """Internal codes that differ from their published one: none may reach a file."""
    return {c.internal for c in vocabulary.codes if c.internal != c.published}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_coded_cell_of_every_file_holds_a_spanish_code(client, world, fmt):
    seen: dict[str, set[str]] = {}
    for dataset in datasets.DATASETS:
        coded = [f for f in dataset.fields if f.vocabulary is not None]
        for row in published_rows(client, dataset, fmt):
            for f in coded:
                value = row[f.name]
                if value in (None, ""):
                    continue
                parts = value.split(f.separator) if f.separator else [value]
                for part in parts:
                    assert part not in english_codes(f.vocabulary), (dataset.name, f.name, part)
                    if not f.vocabulary.open:
                        assert part in f.vocabulary.published, (dataset.name, f.name, part)
                    seen.setdefault(f"{dataset.name}.{f.name}", set()).add(part)
    # The world publishes each kind of coded value at least once, so the checks above ran.
    assert {"mujeres", "hombres", "no_especificado"} <= seen["valores-desagregados.categoria"]
    assert seen["valores-desagregados.desagregacion"] >= {"sexo"}
    assert seen["convenios.estado"] <= {"firmado", "vigente", "concluido"}
    assert seen["convenios.estado"] and seen["metas.semaforo"] <= {
        "verde",
        "amarillo",
        "rojo",
        "sin_dato",
    }
    assert "verde" in seen["valores-aprobados.semaforo"]
    assert "empoderamiento_economico" in seen["convenios.areas_enfasis"]
    assert seen["instituciones.tipo"] >= {"nacional", "instancia_estatal"}
    assert seen["indicadores.desagregaciones"] >= {"sexo"}
    assert seen["registros-capacitacion.categoria"] >= {"mujeres", "personas_servidoras_publicas"}
    assert seen["registros-servicios.desagregacion"] == {"sexo", "servicio"}


def test_the_files_hold_none_of_the_english_codes_the_issue_named(client, world):
    for name in ("valores-desagregados", "convenios", "metas", "valores-aprobados"):
        text = body(client.get(f"/datos/{name}.csv")) + body(client.get(f"/datos/{name}.json"))
        for english in ('"sex"', ",sex,", "women", '"green"', ",green,", "in_force"):
            assert english not in text, (name, english)


def test_the_descriptor_lists_each_code_with_its_meaning_and_its_api_code(client, world):
    package = json.loads(body(client.get("/datos/datapackage.json")))
    fields = {
        (resource["name"], f["name"]): f
        for resource in package["resources"]
        for f in resource["schema"]["fields"]
    }
    light = fields[("valores-aprobados", "semaforo")]
    assert light["constraints"]["enum"] == ["verde", "amarillo", "rojo", "sin_dato"]
    assert {"value": "verde", "label": "Aceptable"} in light["categories"]
    assert light["codigosApi"] == {
        "verde": "green",
        "amarillo": "yellow",
        "rojo": "red",
        "sin_dato": "no_data",
    }
    assert "verde (Aceptable)" in light["description"] and "green" not in light["description"]
    category = fields[("valores-desagregados", "categoria")]
    assert category["codigosApi"]["mujeres"] == "women"
    assert "enum" not in category.get("constraints", {})  # municipal codes are open
    status = fields[("convenios", "estado")]
    assert status["codigosApi"] == {
        "firmado": "signed",
        "vigente": "in_force",
        "concluido": "concluded",
    }
    areas = fields[("convenios-json", "areas_enfasis")]
    assert areas["separador"] == ";" and "enum" not in areas.get("constraints", {})


def test_the_data_page_shows_the_table_of_codes(client, world):
    html = body(client.get("/datos/"))
    assert "<code>valores-desagregados.desagregacion</code>" in html
    assert (
        '<th scope="row"><code>mujeres</code></th><td>Mujeres</td><td><code>women</code></td>'
        in html
    )
    assert '<th scope="row"><code>vigente</code></th>' in html and "<code>in_force</code>" in html
    assert "verde (Aceptable)" in html  # the fields table explains the codes of each column


@pytest.mark.parametrize(
    ("vocabulary", "choices"),
    [
        (vocabularies.LIGHT, Light),
        (vocabularies.INSTITUTION_KIND, InstitutionKind),
        (vocabularies.PLAN_KIND, PlanKind),
        (vocabularies.ITEM_LEVEL, ItemLevel),
        (vocabularies.EMPHASIS_AREA, EmphasisArea),
        (vocabularies.PARTY, Party),
        (vocabularies.MEASURE, Measure),
        (vocabularies.FREQUENCY, Frequency),
        (vocabularies.DIRECTION, Direction),
        (vocabularies.DIMENSION, Dimension),
        (vocabularies.INDICATOR_KIND, IndicatorKind),
        (vocabularies.MIR_LEVEL, MirLevel),
        (vocabularies.DISAGGREGATION, Disaggregation),
    ],
)
def test_every_choice_has_one_spanish_code(vocabulary, choices):
    assert set(vocabulary.mapping) == set(choices.values)
    assert len(set(vocabulary.published)) == len(choices.values)
    assert all(code.isascii() and code == code.lower() for code in vocabulary.published)


def test_public_agreement_statuses_all_have_a_code():
    published = {AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.CONCLUDED}
    assert set(vocabularies.AGREEMENT_STATUS.mapping) == published

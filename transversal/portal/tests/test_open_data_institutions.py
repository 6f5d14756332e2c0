"""The registry in the open data: institutions with Spanish codes and every name with its
instrument, documented in the data package."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from transversal.institutions.models import InstitutionKind, LegalForm, NameChange
from transversal.institutions.services import institution_name_add, institution_register
from transversal.portal.tests.conftest import body
from transversal.territory.models import Municipality, State

pytestmark = pytest.mark.django_db


def read_csv(client, name: str) -> list[dict]:
    text = body(client.get(f"/datos/{name}.csv"))
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def registry(durango):
    lerdo = Municipality.objects.create(
        code="10012", state=State.objects.get(code="10"), name="Lerdo"
    )
    imm = institution_register(
        actor=None,
        kind=InstitutionKind.MUNICIPAL_IMM,
        state=lerdo.state,
        municipality=lerdo,
        name="Instituto Municipal de la Mujer de Lerdo",
        legal_form=LegalForm.DECENTRALIZED,
        head_name="Titular",
        head_charge="Directora",
    )
    durango.names.update(valid_from=dt.date(2000, 6, 18))
    institution_name_add(
        actor=None,
        institution=durango,
        name="Secretaría de las Mujeres",
        change=NameChange.TRANSFORMATION,
        legal_form=LegalForm.CENTRALIZED,
        valid_from=dt.date(2026, 3, 1),
        instrument="Decreto de reforma",
        instrument_number="45",
        source="Periódico Oficial — https://example.gob.mx/45",
    )
    return {"imm": imm, "durango": durango}


def test_institutions_publish_status_legal_form_municipality_and_head(client, registry):
    rows = {row["clave_institucion"]: row for row in read_csv(client, "instituciones")}
    imm = rows[registry["imm"].slug]
    assert imm["tipo"] == "instancia_municipal" and imm["clave_municipio"] == "10012"
    assert imm["naturaleza_juridica"] == "organismo_descentralizado"
    assert imm["situacion"] == "en_operacion"
    assert (imm["titular"], imm["cargo_titular"]) == ("Titular", "Directora")
    assert imm["fecha_publicacion"] == ""  # unknown, not guessed
    durango = rows[registry["durango"].slug]
    assert durango["nombre_vigente"] == "Secretaría de las Mujeres"
    assert durango["naturaleza_juridica"] == "secretaria"


def test_every_name_is_published_with_its_instrument(client, registry):
    rows = [
        row
        for row in read_csv(client, "nombres-instituciones")
        if row["clave_institucion"] == registry["durango"].slug
    ]
    assert [(r["orden"], r["tipo_cambio"]) for r in rows] == [
        ("1", "creacion"),
        ("2", "transformacion"),
    ]
    assert rows[0]["vigente_hasta"] == "2026-02-28"
    assert rows[1]["numero_instrumento"] == "45" and "example.gob.mx" in rows[1]["fuente"]
    as_json = json.loads(body(client.get("/datos/nombres-instituciones.json")))
    assert {row["tipo_cambio"] for row in as_json} <= {
        "creacion",
        "cambio_nombre",
        "transformacion",
    }


def test_the_data_package_documents_the_new_codes(client, registry):
    package = json.loads(body(client.get("/datos/datapackage.json")))
    fields = {
        (resource["name"], f["name"]): f
        for resource in package["resources"]
        for f in resource["schema"]["fields"]
    }
    status = fields[("instituciones", "situacion")]
    assert status["constraints"]["enum"] == ["en_operacion", "sin_operar", "extinta"]
    assert status["codigosApi"]["en_operacion"] == "operating"
    change = fields[("nombres-instituciones", "tipo_cambio")]
    assert "transformacion" in change["constraints"]["enum"]
    assert "unidad_genero" in fields[("instituciones", "tipo")]["constraints"]["enum"]

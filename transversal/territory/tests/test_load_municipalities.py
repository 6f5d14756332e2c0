from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from transversal.audit.models import AuditEvent
from transversal.territory.catalogue import (
    CatalogueError,
    catalogue_last_load,
    municipal_catalogue_load,
    read_catalogue,
)
from transversal.territory.models import MunicipalCatalogueLoad, Municipality

pytestmark = pytest.mark.django_db

HEADER = "CVEGEO,CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN\n"
DURANGO_THREE = (
    HEADER
    + "10001,10,Durango,001,Canatlán\n"
    + "10005,10,Durango,005,Durango\n"
    + "10021,10,Durango,021,Peñón Blanco\n"
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "ageeml.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_municipalities", *args, stdout=out)
    return out.getvalue()


def counts(output: str) -> dict[str, str]:
    labels = ("Agregados", "Renombrados", "Dados de baja", "Reactivados")
    return {
        label: line.split(": ", 1)[1]
        for line in output.splitlines()
        for label in labels
        if line.startswith(label + ":")
    }


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        load(*args)
    return str(caught.value)


# The shipped extract -------------------------------------------------------------------------


def test_the_sample_loads_the_municipalities_of_durango_and_zacatecas_with_their_keys():
    output = load("--sample")

    durango = Municipality.objects.filter(state__code="10")
    zacatecas = Municipality.objects.filter(state__code="32")
    assert durango.count() == 39 and zacatecas.count() == 58
    names = dict(Municipality.objects.values_list("code", "name"))
    assert names["10005"] == "Durango"
    assert names["10007"] == "Gómez Palacio"
    assert names["10021"] == "Peñón Blanco"
    assert names["10039"] == "Nuevo Ideal"
    assert names["32010"] == "Fresnillo"
    assert names["32056"] == "Zacatecas"
    assert names["32058"] == "Santa María de la Paz"
    assert counts(output) == {
        "Agregados": "97",
        "Renombrados": "0",
        "Dados de baja": "0",
        "Reactivados": "0",
    }
    assert "97 municipios leídos de 2 entidades." in output


def test_a_second_load_of_the_same_file_changes_nothing():
    load("--sample")
    before = list(Municipality.objects.values_list("code", "name", "is_active", "former_names"))

    output = load("--sample")

    assert counts(output) == {
        "Agregados": "0",
        "Renombrados": "0",
        "Dados de baja": "0",
        "Reactivados": "0",
    }
    assert "Sin cambios" in output
    after = list(Municipality.objects.values_list("code", "name", "is_active", "former_names"))
    assert after == before


def test_each_load_is_recorded_with_its_file_source_date_and_counts(tmp_path):
    path = write(tmp_path, DURANGO_THREE, name="AGEEML_dic2024.csv")

    load(str(path), "--date", "12/12/2024")
    load(str(path), "--date", "12/12/2024", "--source", "INEGI, AGEEML, descarga de diciembre")

    first, second = MunicipalCatalogueLoad.objects.order_by("id")
    assert first.file_name == "AGEEML_dic2024.csv"
    assert first.source == "INEGI, AGEEML"
    assert first.published_on == dt.date(2024, 12, 12)
    assert first.states == ["10"]
    assert (first.rows, first.added, first.renamed, first.retired) == (3, 3, 0, 0)
    assert len(first.sha256) == 64
    assert second.source == "INEGI, AGEEML, descarga de diciembre"
    assert (second.added, second.renamed, second.retired, second.reactivated) == (0, 0, 0, 0)
    assert catalogue_last_load() == second


def test_a_load_writes_one_audit_event_with_its_counts(tmp_path):
    load(str(write(tmp_path, DURANGO_THREE)))

    event = AuditEvent.objects.get(verb="municipal_catalogue.load")
    assert event.actor is None
    assert event.target_id == str(MunicipalCatalogueLoad.objects.get().pk)
    assert event.changes["added"] == [None, 3]
    assert event.changes["retired"] == [None, 0]


# Renames, retirements, reactivations ---------------------------------------------------------


def test_a_renamed_municipality_is_reported_and_keeps_its_former_name(tmp_path):
    load(str(write(tmp_path, DURANGO_THREE)))
    renamed = DURANGO_THREE.replace("Peñón Blanco", "Peñón Blanco de Juárez")

    output = load(str(write(tmp_path, renamed)))

    assert counts(output)["Renombrados"] == "1"
    assert "10021 «Peñón Blanco» → «Peñón Blanco de Juárez»" in output
    municipality = Municipality.objects.get(code="10021")
    assert municipality.name == "Peñón Blanco de Juárez"
    assert municipality.former_names == [
        {"name": "Peñón Blanco", "until": timezone.localdate().isoformat()}
    ]
    assert "10021: Peñón Blanco → Peñón Blanco de Juárez" in AuditEvent.objects.first().note


def test_a_municipality_absent_from_the_file_is_retired_not_deleted(tmp_path):
    load(str(write(tmp_path, DURANGO_THREE)))
    without_canatlan = DURANGO_THREE.replace("10001,10,Durango,001,Canatlán\n", "")

    output = load(str(write(tmp_path, without_canatlan)))

    assert counts(output)["Dados de baja"] == "1"
    assert "10001 Canatlán" in output
    canatlan = Municipality.objects.get(code="10001")  # still there
    assert canatlan.is_active is False
    assert canatlan.retired_on == timezone.localdate()
    assert Municipality.objects.filter(is_active=True).count() == 2


def test_a_retired_municipality_that_comes_back_is_reactivated(tmp_path):
    path = write(tmp_path, DURANGO_THREE)
    load(str(path))
    Municipality.objects.filter(code="10001").update(
        is_active=False, retired_on=dt.date(2025, 1, 1)
    )

    output = load(str(path))

    assert counts(output)["Reactivados"] == "1"
    canatlan = Municipality.objects.get(code="10001")
    assert canatlan.is_active is True and canatlan.retired_on is None


def test_a_file_of_one_state_leaves_the_other_states_alone(tmp_path):
    load("--sample")

    output = load(str(write(tmp_path, DURANGO_THREE)))

    assert counts(output)["Dados de baja"] == "36"  # Durango's 39 less the 3 in the file
    assert Municipality.objects.filter(state__code="32", is_active=True).count() == 58


def test_the_dry_run_reports_the_changes_and_saves_nothing(tmp_path):
    output = load(str(write(tmp_path, DURANGO_THREE)), "--dry-run")

    assert counts(output)["Agregados"] == "3"
    assert "no se guardó nada" in output
    assert not Municipality.objects.exists()
    assert not MunicipalCatalogueLoad.objects.exists()


# Encodings and formats -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8-sig", "utf-8"])
def test_latin_1_and_utf_8_files_with_or_without_a_bom_are_read(tmp_path, encoding):
    load(str(write(tmp_path, DURANGO_THREE, encoding=encoding)))

    assert Municipality.objects.get(code="10001").name == "Canatlán"
    assert Municipality.objects.get(code="10021").name == "Peñón Blanco"


def test_a_file_with_semicolons_quotes_and_crlf_is_read(tmp_path):
    text = '"CVE_ENT";"NOM_ENT";"CVE_MUN";"NOM_MUN"\r\n"10";"Durango";"007";"Gómez Palacio"\r\n'

    load(str(write(tmp_path, text, encoding="cp1252")))

    assert Municipality.objects.get(code="10007").name == "Gómez Palacio"


def test_a_file_with_only_cvegeo_keys_is_read(tmp_path):
    load(str(write(tmp_path, "CVEGEO,NOM_MUN\n32058,Santa María de la Paz\n")))

    assert Municipality.objects.get(code="32058").state.code == "32"


def test_a_file_of_localities_reads_each_municipality_once(tmp_path):
    text = (
        "CVE_ENT,CVE_MUN,NOM_MUN,CVE_LOC,NOM_LOC\n"
        "10,005,Durango,0001,Victoria de Durango\n"
        "10,005,Durango,0002,Otra localidad\n"
    )

    output = load(str(write(tmp_path, text)))

    assert counts(output)["Agregados"] == "1"


def test_an_xlsx_file_is_read(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["CVE_ENT", "NOM_ENT", "CVE_MUN", "NOM_MUN"])
    sheet.append(["32", "Zacatecas", "057", "Trancoso"])
    path = tmp_path / "ageeml.xlsx"
    book.save(path)

    load(str(path))

    assert Municipality.objects.get(code="32057").name == "Trancoso"


# Bad input: a clear message, nothing changed -------------------------------------------------


def test_a_file_without_the_key_columns_is_refused(tmp_path):
    message = refused(str(write(tmp_path, "ENTIDAD,MUNICIPIO\n10,Durango\n")))

    assert "Faltan columnas: CVE_ENT, CVE_MUN, NOM_MUN" in message
    assert "no se cambió nada" in message


@pytest.mark.parametrize(
    "state, municipality, expected",
    [
        ("1", "001", "Línea 3: la clave de entidad «1» no es válida"),
        ("A1", "001", "Línea 3: la clave de entidad «A1» no es válida"),
        ("10", "A10", "Línea 3: la clave de municipio «A10» no es válida"),
        ("10", "1", "Línea 3: la clave de municipio «1» no es válida"),
        ("10", "000", "Línea 3: la clave de municipio «000» no es válida"),
    ],
)
def test_a_bad_key_is_refused_with_its_line_and_nothing_changes(
    tmp_path, state, municipality, expected
):
    load(str(write(tmp_path, DURANGO_THREE)))
    text = (
        f"CVE_ENT,CVE_MUN,NOM_MUN\n10,001,Canatlán renombrado\n{state},{municipality},Municipio\n"
    )

    message = refused(str(write(tmp_path, text)))

    assert expected in message
    assert Municipality.objects.get(code="10001").name == "Canatlán"
    assert MunicipalCatalogueLoad.objects.count() == 1


def test_an_unknown_state_key_is_refused_with_its_line_number(tmp_path):
    text = DURANGO_THREE + "33001,33,Atlántida,001,Ciudad Perdida\n"

    message = refused(str(write(tmp_path, text)))

    assert "Línea 5: la entidad «33» no existe" in message
    assert not Municipality.objects.exists()  # the three valid rows were not kept either


def test_a_file_in_utf_16_is_refused(tmp_path):
    message = refused(str(write(tmp_path, DURANGO_THREE, encoding="utf-16")))

    assert "UTF-16" in message
    assert not Municipality.objects.exists()


def test_a_file_in_no_known_encoding_is_refused(tmp_path):
    path = tmp_path / "ageeml.csv"
    path.write_bytes(HEADER.encode() + b"10001,10,Durango,001,Canatl\x81n\n")

    message = refused(str(path))

    assert "no está en UTF-8 ni en Latin-1" in message


def test_utf_8_text_once_read_as_latin_1_is_refused(tmp_path):
    mangled = DURANGO_THREE.encode("utf-8").decode("latin-1")  # "CanatlÃ¡n"

    message = refused(str(write(tmp_path, mangled, encoding="utf-8")))

    assert "Línea 2: el nombre «CanatlÃ¡n» parece mal codificado" in message


def test_a_key_repeated_with_another_name_is_refused(tmp_path):
    text = DURANGO_THREE + "10005,10,Durango,005,Victoria de Durango\n"

    message = refused(str(write(tmp_path, text)))

    assert "Línea 5: la clave 10005 ya apareció en la línea 3 con otro nombre" in message


def test_an_empty_file_and_a_missing_file_are_refused(tmp_path):
    assert "El archivo está vacío." in refused(str(write(tmp_path, "")))
    assert "no trae ningún municipio" in refused(str(write(tmp_path, HEADER)))
    assert "No se encontró el archivo" in refused(str(tmp_path / "no-existe.csv"))


def test_a_damaged_xlsx_file_is_refused(tmp_path):
    path = tmp_path / "ageeml.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a spreadsheet")

    assert "El archivo XLSX no se pudo abrir" in refused(str(path))


def test_a_file_and_the_sample_together_or_neither_are_refused(tmp_path):
    assert "o --sample" in refused()
    assert "o --sample" in refused(str(write(tmp_path, DURANGO_THREE)), "--sample")


def test_a_bad_date_is_refused(tmp_path):
    assert "escríbala como dd/mm/aaaa" in refused(
        str(write(tmp_path, DURANGO_THREE)), "--date", "2024/31/12"
    )


def test_many_errors_are_listed_up_to_twenty():
    text = "CVE_ENT,CVE_MUN,NOM_MUN\n" + "".join(f"1,{n:03d},X\n" for n in range(1, 31))

    with pytest.raises(CatalogueError) as caught:
        read_catalogue(text.encode(), "ageeml.csv")

    assert len(caught.value.messages) == 21
    assert caught.value.messages[-1] == "… y 10 errores más."


# Bulk writes ---------------------------------------------------------------------------------


def _rows(count: int, rename_every: int = 0):
    text = "CVE_ENT,CVE_MUN,NOM_MUN\n" + "".join(
        f"{state:02d},{n:03d},Municipio {state}-{n}"
        f"{' nuevo' if rename_every and n % rename_every == 0 else ''}\n"
        for state in range(1, 33)
        for n in range(1, count + 1)
    )
    return read_catalogue(text.encode(), "ageeml.csv")


def _queries(rows) -> int:
    with CaptureQueriesContext(connection) as ctx:
        municipal_catalogue_load(actor=None, rows=rows, file_name="ageeml.csv")
    return len(ctx)


def test_loading_writes_in_batches_not_one_query_per_municipality():
    # Reads: states, municipalities; writes: batched INSERTs (SQLite takes about 160 rows per
    # INSERT, PostgreSQL 500), the load, the audit event and its content type.
    small = _queries(_rows(2))  # 64 rows
    Municipality.objects.all().delete()
    large = _queries(_rows(15))  # 480 rows
    assert small <= 8
    assert large <= small + 3

    # A second load of the large file only reads: no INSERT or UPDATE of municipalities.
    with CaptureQueriesContext(connection) as ctx:
        municipal_catalogue_load(actor=None, rows=_rows(15), file_name="ageeml.csv")
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if "territory_municipality" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    assert writes == []


def test_renames_are_written_in_bulk():
    municipal_catalogue_load(actor=None, rows=_rows(15), file_name="ageeml.csv")

    with CaptureQueriesContext(connection) as ctx:
        report = municipal_catalogue_load(
            actor=None, rows=_rows(15, rename_every=5), file_name="ageeml.csv"
        )

    assert len(report.renamed) == 32 * 3
    updates = [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) <= 2  # bulk_update batches for the 96 renames, not one per rename

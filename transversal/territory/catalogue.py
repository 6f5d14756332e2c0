"""INEGI's catalogue of municipalities (AGEEML): read the published file, then apply it.

INEGI publishes the Catálogo Único de Claves de Áreas Geoestadísticas Estatales, Municipales y
Localidades as CSV (Windows-1252/Latin-1, or UTF-8 with a byte-order mark) and as a spreadsheet.
The columns used are CVE_ENT (two digits), CVE_MUN (three digits) and NOM_MUN; CVEGEO (the five
digits together) may replace the first two. Other columns (NOM_ENT, NOM_CAB, population…) are
ignored, and a file of localities repeats each municipality: identical repeats are read once.

Reading never touches the database; applying runs in one transaction and changes nothing when
the file has a single error. A load covers the states present in the file: a municipality of a
covered state that the file no longer lists is retired (never deleted); other states are left
alone, so a file for one state can be loaded by itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record
from transversal.core.typing import Actor
from transversal.territory.models import MunicipalCatalogueLoad, Municipality, State

DEFAULT_SOURCE = "INEGI, AGEEML"
MAX_ERRORS = 20
SAMPLE_FILE = Path(__file__).parent / "data" / "ageeml_durango_zacatecas.csv"
SAMPLE_SOURCE = "INEGI, AGEEML (extracto: Durango y Zacatecas)"

_STATE_KEY = re.compile(r"^\d{2}$")
_MUNICIPALITY_KEY = re.compile(r"^\d{3}$")
_GEO_KEY = re.compile(r"^\d{5}$")
# UTF-8 text that was once read as Latin-1 and saved again: "CanatlÃ¡n" for "Canatlán".
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]")
_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f]")
_NAME_MAX = Municipality._meta.get_field("name").max_length
_USED = ("CVE_ENT", "CVE_MUN", "CVEGEO", "NOM_MUN")


class CatalogueError(Exception):
    """The file cannot be loaded; ``messages`` say why, in Spanish, with line numbers."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class CatalogueRow:
    line: int  # line of the CSV file, or row of the spreadsheet
    code: str  # five-digit INEGI key: state key + municipality key
    name: str
    unit: str = "Línea"  # how messages name ``line``: "Línea" (CSV) or "Fila" (XLSX)

    @property
    def state_code(self) -> str:
        return self.code[:2]


@dataclass
class CatalogueReport:
    load: MunicipalCatalogueLoad
    added: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old, new)
    retired: list[tuple[str, str]] = field(default_factory=list)
    reactivated: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.retired or self.reactivated)


# Reading -------------------------------------------------------------------------------------


def read_catalogue(data: bytes, file_name: str) -> list[CatalogueRow]:
    """The municipalities of a CSV or XLSX file, in file order; raises CatalogueError."""
    if file_name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _parse(_xlsx_lines(data), unit=_("Fila"))
    return _parse(_csv_lines(_decode(data)), unit=_("Línea"))


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise CatalogueError(
            [
                _(
                    "El archivo está en UTF-16 o no es texto. Guárdelo como CSV en UTF-8 o en "
                    "Latin-1 (Windows-1252) y vuelva a intentarlo."
                )
            ]
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CatalogueError(
        [
            _(
                "No se pudo leer el archivo: no está en UTF-8 ni en Latin-1 (Windows-1252). "
                "Guárdelo como CSV en UTF-8 y vuelva a intentarlo."
            )
        ]
    )


def _csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    first = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only spreadsheets need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise CatalogueError(
            [_("El archivo XLSX no se pudo abrir: está dañado o no es XLSX.")]
        ) from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _parse(lines: Iterable[tuple[int, list[str]]], *, unit: str) -> list[CatalogueRow]:
    lines = iter(lines)
    header = next(((n, cells) for n, cells in lines if any(c.strip() for c in cells)), None)
    if header is None:
        raise CatalogueError([_("El archivo está vacío.")])
    columns = _columns(header[1])
    rows: list[CatalogueRow] = []
    seen: dict[str, CatalogueRow] = {}
    errors: list[str] = []
    for number, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        row, problem = _row(cells, columns, number, unit)
        earlier = seen.get(row.code) if row else None
        if row and earlier and earlier.name != row.name:
            problem = _(
                "la clave %(code)s ya apareció en la %(unit)s %(line)s con otro nombre "
                "(«%(earlier)s» y «%(name)s»)."
            ) % {
                "code": row.code,
                "unit": unit.lower(),
                "line": earlier.line,
                "earlier": earlier.name,
                "name": row.name,
            }
        if problem:
            errors.append(f"{unit} {number}: {problem}")
        elif row and not earlier:
            seen[row.code] = row
            rows.append(row)
    if errors:
        raise CatalogueError(_limited(errors))
    if not rows:
        raise CatalogueError([_("El archivo no trae ningún municipio.")])
    return rows


def _columns(header: list[str]) -> dict[str, int]:
    """Column name -> index of the columns used; raises CatalogueError when some are missing."""
    names = [cell.replace("\ufeff", "").strip().strip('"').upper() for cell in header]
    columns = {name: i for i, name in reversed(list(enumerate(names))) if name in _USED}
    missing = []
    if "CVEGEO" not in columns:
        missing += [c for c in ("CVE_ENT", "CVE_MUN") if c not in columns]
    if "NOM_MUN" not in columns:
        missing.append("NOM_MUN")
    if missing:
        raise CatalogueError(
            [
                _(
                    "Faltan columnas: %(missing)s. El catálogo AGEEML de INEGI trae CVE_ENT, "
                    "CVE_MUN y NOM_MUN (o CVEGEO y NOM_MUN) en la primera fila."
                )
                % {"missing": ", ".join(missing)}
            ]
        )
    return columns


def _row(
    cells: list[str], columns: dict[str, int], number: int, unit: str
) -> tuple[CatalogueRow | None, str | None]:
    """One line read as a municipality, or the reason it cannot be."""
    value = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
    has_keys = "CVE_ENT" in columns and "CVE_MUN" in columns
    code, problem = _key(
        value.get("CVE_ENT", ""), value.get("CVE_MUN", ""), value.get("CVEGEO", ""), has_keys
    )
    name = value["NOM_MUN"]
    problem = problem or _name_problem(name)
    if problem:
        return None, problem
    return CatalogueRow(line=number, code=code, name=name, unit=unit), None


def _key(state: str, municipality: str, geo: str, has_keys: bool) -> tuple[str, str | None]:
    """The five-digit key of a row, or the reason it is not valid."""
    if not has_keys:
        if not _GEO_KEY.match(geo):
            return "", _("la clave CVEGEO «%(key)s» no es válida: debe tener cinco dígitos.") % {
                "key": geo
            }
        state, municipality = geo[:2], geo[2:]
    if not _STATE_KEY.match(state) or state == "00":
        return "", _(
            "la clave de entidad «%(key)s» no es válida: debe tener dos dígitos, de 01 a 32, "
            "con el cero inicial."
        ) % {"key": state}
    if not _MUNICIPALITY_KEY.match(municipality) or municipality == "000":
        return "", _(
            "la clave de municipio «%(key)s» no es válida: debe tener tres dígitos, de 001 a 999, "
            "con los ceros iniciales."
        ) % {"key": municipality}
    if has_keys and geo and geo != state + municipality:
        return "", _("CVEGEO «%(geo)s» no coincide con CVE_ENT y CVE_MUN (%(key)s).") % {
            "geo": geo,
            "key": state + municipality,
        }
    return state + municipality, None


def _name_problem(name: str) -> str | None:
    if not name:
        return _("falta el nombre del municipio (NOM_MUN).")
    if _MOJIBAKE.search(name):
        return _(
            "el nombre «%(name)s» parece mal codificado (texto UTF-8 leído como Latin-1). "
            "Descargue de nuevo el archivo de INEGI o guárdelo como CSV en UTF-8."
        ) % {"name": name}
    if _CONTROL.search(name):
        return _(
            "el nombre «%(name)s» tiene caracteres de control: el archivo no está en UTF-8 ni "
            "en Latin-1."
        ) % {"name": name.encode("unicode_escape").decode("ascii")}
    if len(name) > _NAME_MAX:
        return _("el nombre tiene más de %(max)s caracteres.") % {"max": _NAME_MAX}
    return None


def _limited(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    more = len(errors) - MAX_ERRORS
    return errors[:MAX_ERRORS] + [_("… y %(count)s errores más.") % {"count": f"{more:,}"}]


# Applying ------------------------------------------------------------------------------------


@transaction.atomic
def municipal_catalogue_load(
    *,
    actor: Actor,
    rows: list[CatalogueRow],
    file_name: str,
    source: str = DEFAULT_SOURCE,
    published_on: dt.date | None = None,
    sha256: str = "",
) -> CatalogueReport:
    """Add, rename, retire and reactivate municipalities so the states in ``rows`` match the
    catalogue; record the load and one audit event. A second load of the same file changes no
    municipality. Queries stay constant whatever the number of rows (bulk writes)."""
    states = _states_of(rows)
    today = timezone.localdate()
    by_code = {row.code: row for row in rows}
    existing = {
        m.code: m
        for m in Municipality.objects.filter(state__in=states.values())
        | Municipality.objects.filter(code__in=by_code)
    }
    report = CatalogueReport(load=MunicipalCatalogueLoad())
    new: list[Municipality] = []
    changed: list[Municipality] = []
    for row in rows:
        state = states[row.state_code]
        current = existing.get(row.code)
        if current is None:
            municipality = Municipality(code=row.code, state=state, name=row.name)
            municipality.clean_fields(exclude=["state"])
            new.append(municipality)
            report.added.append((row.code, row.name))
        elif _apply_row(current, row, state, today, report):
            current.clean_fields(exclude=["state"])
            changed.append(current)
    covered = {state.pk for state in states.values()}
    for code, municipality in sorted(existing.items()):
        if code not in by_code and municipality.is_active and municipality.state_id in covered:
            municipality.is_active = False
            municipality.retired_on = today
            changed.append(municipality)
            report.retired.append((code, municipality.name))
    Municipality.objects.bulk_create(new, batch_size=500)
    Municipality.objects.bulk_update(
        changed, ["state", "name", "former_names", "is_active", "retired_on"], batch_size=500
    )
    report.load = _record(
        actor=actor,
        report=report,
        rows=rows,
        states=sorted(states),
        file_name=file_name,
        source=source,
        published_on=published_on,
        sha256=sha256,
    )
    return report


def _states_of(rows: list[CatalogueRow]) -> dict[str, State]:
    codes = {row.state_code for row in rows}
    states = {s.code: s for s in State.objects.filter(code__in=codes)}
    unknown: dict[str, CatalogueRow] = {}
    for row in rows:
        if row.state_code not in states:
            unknown.setdefault(row.state_code, row)
    if unknown:
        raise CatalogueError(
            _limited(
                [
                    _(
                        "%(unit)s %(line)s: la entidad «%(code)s» no existe; las claves de "
                        "entidad van de 01 a 32."
                    )
                    % {"unit": row.unit, "line": row.line, "code": row.state_code}
                    for row in sorted(unknown.values(), key=lambda row: row.line)
                ]
            )
        )
    return states


def _apply_row(
    municipality: Municipality,
    row: CatalogueRow,
    state: State,
    today: dt.date,
    report: CatalogueReport,
) -> bool:
    """Bring one existing municipality in line with its row; True when anything changed."""
    changed = False
    if municipality.state_id != state.pk:  # only a hand-edited row can disagree with its key
        municipality.state = state
        changed = True
    if municipality.name != row.name:
        report.renamed.append((row.code, municipality.name, row.name))
        municipality.former_names = [
            *(municipality.former_names or []),
            {"name": municipality.name, "until": today.isoformat()},
        ]
        municipality.name = row.name
        changed = True
    if not municipality.is_active:
        report.reactivated.append((row.code, row.name))
        municipality.is_active = True
        municipality.retired_on = None
        changed = True
    return changed


def _record(
    *,
    actor: Actor,
    report: CatalogueReport,
    rows: list[CatalogueRow],
    states: list[str],
    file_name: str,
    source: str,
    published_on: dt.date | None,
    sha256: str,
) -> MunicipalCatalogueLoad:
    load = MunicipalCatalogueLoad(
        file_name=file_name[:255],
        source=source.strip() or DEFAULT_SOURCE,
        published_on=published_on,
        sha256=sha256,
        states=states,
        rows=len(rows),
        added=len(report.added),
        renamed=len(report.renamed),
        retired=len(report.retired),
        reactivated=len(report.reactivated),
    )
    load.full_clean()
    load.save()
    audit_record(
        actor=actor,
        verb="municipal_catalogue.load",
        target=load,
        changes={
            "added": [None, load.added],
            "renamed": [None, load.renamed],
            "retired": [None, load.retired],
            "reactivated": [None, load.reactivated],
        },
        note="\n".join(
            [f"{code}: {old} → {new}" for code, old, new in report.renamed[:50]]
            + [f"{code}: {name} (baja)" for code, name in report.retired[:50]]
        ),
    )
    return load


def catalogue_last_load() -> MunicipalCatalogueLoad | None:
    """The latest load, for pages that cite the catalogue ("INEGI, AGEEML, fecha …")."""
    return MunicipalCatalogueLoad.objects.order_by("-loaded_at", "-id").first()

"""Open data: one table of dataset definitions drives the CSV and JSON files and the
Frictionless Data Package descriptor, so a column cannot be added to a file
without being described, nor described without being served.

Rows are read as ``values_list`` tuples in chunks of 2000 (never model instances)
and written in batches to a streaming response: memory stays flat whatever the
size of the table. The CSV writer turns each column into text with a function
chosen once per file from the field's type (see :func:`stream_csv`), not by
looking at the type of every cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import operator
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby, islice
from typing import Any

from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from transversal.coordination.api_selectors import (
    public_resolutions,
    public_sessions,
    public_systems,
)
from transversal.coordination.models import KIND_LETTERS, Resolution, quorum_required
from transversal.core.disclosure import min_count, protect
from transversal.core.exports import neutralise_cell
from transversal.followup.models import FollowUp
from transversal.genderstats import open_data as genderstats_data
from transversal.genderstats.models import GapReading, Sex
from transversal.genderstats.models import Measure as StatMeasure
from transversal.harmonization.api_selectors import PublishedStatus as HarmonizationStatus
from transversal.harmonization.api_selectors import open_data_cells
from transversal.harmonization.models import Topic as HarmonizationTopic
from transversal.harmonization.models import is_cited
from transversal.improvement.api_selectors import (
    public_actions,
    public_evaluations,
    public_findings,
)
from transversal.improvement.models import Evaluation, FindingStatus
from transversal.institutions.models import Institution, InstitutionName
from transversal.monitoring.models import SUBSET_GROUPS, Disaggregation, Indicator
from transversal.portal import selectors
from transversal.portal import vocabularies as codes
from transversal.portal.vocabularies import Vocabulary
from transversal.registers import public as register_public
from transversal.territory.models import State
from transversal.workprogrammes.api_selectors import published_lines, published_programmes
from transversal.workprogrammes.models import QUARTERS, SOURCES

CHUNK_SIZE = 2000  # rows fetched per database round trip
BATCH_ROWS = 500  # rows per chunk written to the response
MEMO_SIZE = (
    4096  # distinct values remembered per text, date or timestamp column while writing a CSV file
)
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
PACKAGE_NAME = "transversal-datos-abiertos"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, boolean, date, datetime
    description: Any  # lazy Spanish text
    enum: tuple[str, ...] = ()
    # A coded column: published with the vocabulary's Spanish codes (see portal/vocabularies.py),
    # each part of a ``separator``-joined list alike.
    vocabulary: Vocabulary | None = None
    separator: str = ""
    # The column read is a timestamp and the file gives its calendar day in the current time zone,
    # what ``<column>__date`` computes, but in Python: on SQLite ``__date`` calls back into Python
    # once per row from inside the query, which costs more than the rest of the row.
    from_timestamp: bool = False

    def explained(self) -> str:
        """The description, and for a coded column every code it may hold with its meaning."""
        if self.vocabulary is None:
            return str(self.description)
        return _("%(description)s Códigos: %(codes)s.") % {
            "description": self.description,
            "codes": self.vocabulary.explained(),
        }

    def schema(self) -> dict:
        described = {"name": self.name, "type": self.type, "description": self.explained()}
        if self.type == "date":
            described["format"] = "%Y-%m-%d"
        vocabulary = self.vocabulary
        closed = vocabulary is not None and not vocabulary.open and not self.separator
        enum = self.enum or (vocabulary.published if closed else ())
        if enum:
            described["constraints"] = {"enum": list(enum)}
        if vocabulary:
            described["categories"] = [
                {"value": code.published, "label": str(code.label)} for code in vocabulary.codes
            ]
            # The documented mapping: the code the API and the database use for each one.
            described["codigosApi"] = {code.published: code.internal for code in vocabulary.codes}
            if self.separator:
                described["separador"] = self.separator
        return described

    def publisher(self) -> Callable[[Any], Any] | None:
        """What turns a stored value of this column into the published one; None if uncoded."""
        if self.vocabulary is None:
            return None
        mapping = self.vocabulary.mapping
        if not self.separator:
            return lambda value: mapping.get(value, value) if type(value) is str else value
        separator = self.separator

        def publish_list(value: Any) -> Any:
            if not value or type(value) is not str:
                return value
            return separator.join(mapping.get(part, part) for part in value.split(separator))

        return publish_list


def _identity(rows: Iterator[tuple]) -> Iterator[tuple]:
    return rows


@dataclass(frozen=True)
class Dataset:
    name: str  # URL and resource name: /datos/<name>.csv
    title: Any
    description: Any
    fields: tuple[Field, ...]
    queryset: Callable[[], QuerySet]
    columns: tuple[Any, ...]  # values_list arguments, in the order ``rows`` expects them
    rows: Callable[[Iterator[tuple]], Iterator[tuple]] = _identity
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)
    notes: Any = ""
    order_by: tuple[str, ...] = field(default=())

    def values(self) -> QuerySet:
        """The rows to publish, in order, as a ``values_list`` query not yet run."""
        queryset = self.queryset()
        if self.order_by:
            queryset = queryset.order_by(*self.order_by)
        return queryset.values_list(*self.columns)

    def iter_rows(self) -> Iterator[tuple]:
        """Each row as Python values (dates, decimals, booleans), one per field, coded columns
        with their published codes."""
        rows = self.rows(self.values().iterator(chunk_size=CHUNK_SIZE))
        stamps = [position for position, f in enumerate(self.fields) if f.from_timestamp]
        rows = _local_days(rows, stamps) if stamps else rows
        coded = [(i, f.publisher()) for i, f in enumerate(self.fields) if f.vocabulary]
        return _published_codes(rows, coded) if coded else rows

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def resource(self, fmt: str) -> dict:
        resource = {
            "name": self.name if fmt == "csv" else f"{self.name}-json",
            "title": str(self.title),
            "description": str(self.description),
            "path": f"{self.name}.{fmt}",
            "format": fmt,
            "mediatype": "text/csv" if fmt == "csv" else "application/json",
            "encoding": "utf-8",
            "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
            "licenses": [LICENSE],
            "schema": {"fields": [f.schema() for f in self.fields], "missingValues": [""]},
        }
        if fmt == "csv":
            resource["dialect"] = {"delimiter": ",", "doubleQuote": True, "header": True}
        if self.primary_key:
            resource["schema"]["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            resource["schema"]["foreignKeys"] = [
                {"fields": local, "reference": {"resource": other, "fields": remote}}
                for local, other, remote in self.foreign_keys
            ]
        return resource


# Row transformations ---------------------------------------------------------------------


def _local_day(value: dt.datetime | None, zone: dt.tzinfo) -> dt.date | None:
    """The calendar day of a timestamp in ``zone``, as ``__date`` computes it in the database."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(zone)
    return value.date()


def _local_days(rows: Iterator[tuple], positions: list[int]) -> Iterator[tuple]:
    zone = timezone.get_current_timezone()  # when the query runs, as ``__date`` would take it
    for row in rows:
        values = list(row)
        for position in positions:
            values[position] = _local_day(values[position], zone)
        yield tuple(values)


def _published_codes(rows: Iterator[tuple], coded: list[tuple[int, Callable]]) -> Iterator[tuple]:
    for row in rows:
        values = list(row)
        for position, publish in coded:
            values[position] = publish(values[position])
        yield tuple(values)


def _join_areas(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The agreement's emphasis areas (a JSON list) as one ``;``-separated cell."""
    for row in rows:
        *head, areas, status, light, synthetic = row
        yield (*head, ";".join(areas or []), status, light, synthetic)


def _join_disaggregations(rows: Iterator[tuple]) -> Iterator[tuple]:
    for row in rows:
        values = list(row)
        chosen = values[15] or []
        values[15] = ";".join(
            d for d in Disaggregation.values if d in chosen or d == Disaggregation.SEX
        )
        yield tuple(values)


def _cited_cells(rows: Iterator[tuple]) -> Iterator[tuple]:
    """A cell's status and citation only when it cites its source (``is_cited``); otherwise
    «sin_verificar» and nothing of the citation."""
    for row in rows:
        *provision, state, status, instrument, article, gazette, published_on, url, synthetic = row
        if is_cited(instrument, article, gazette, published_on):
            yield row
        else:
            yield (*provision, state, "sin_verificar", "", "", "", None, "", synthetic)


def _suppressed_breakdown(rows: Iterator[tuple]) -> Iterator[tuple]:
    """Group one update's breakdown and apply :func:`transversal.core.disclosure.protect`.

    Incoming: (update id, indicator code, label, measure, total, dimension, category, value);
    outgoing: (indicator code, label, dimension, category, value, suppressed)."""
    threshold = min_count()
    for (_update, code, label, measure, total), group in groupby(rows, key=lambda r: r[:5]):
        cells = [(r[5], r[6], r[7]) for r in group]
        for dimension, category, value, hidden in protect(
            total, cells, measure=measure, threshold=threshold, subsets=SUBSET_GROUPS
        ):
            yield (code, label, dimension, category, value, hidden)


def _session_figures(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The session's label (``O-2``) and its quorum, from the counts the query gives: the rule
    of ``coordination.selectors.attendance_rows``, with no query per row."""
    for row in rows:
        code, system, state, kind, number, *middle, voting, present, percent, acta, synthetic = row
        required = quorum_required(voting, percent)
        met = voting > 0 and present >= required
        label = f"{KIND_LETTERS[kind]}-{number}"
        head = (code, system, state, kind, number, label)
        yield (*head, *middle, voting, present, required, met, acta, synthetic)


class _Joined(Subquery):
    """The values of a one-column queryset (``values(v=...)``, correlated through ``OuterRef``),
    in the queryset's order, joined with ``;`` into one text, or NULL when there are none: a cell
    listing a to-many relation inside the file's one query. A sorted derived table feeds the
    aggregate, which keeps its order on SQLite and PostgreSQL."""

    template = '(SELECT GROUP_CONCAT("v", \';\') FROM (%(subquery)s) AS "joined")'
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = '(SELECT STRING_AGG("v"::text, \';\') FROM (%(subquery)s) AS "joined")'
        return self.as_sql(compiler, connection, template=template, **extra)


def _codes(cell: str | None) -> str:
    """UUIDs joined by the database (32 hex digits on SQLite) as their usual text."""
    if not cell:
        return ""
    return ";".join(str(uuid.UUID(part)) for part in cell.split(";"))


def _acuerdo_cells(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The owner first and then the co-owners in one cell; linked goals and indicators as their
    usual codes."""
    for row in rows:
        *head, owner, co_owners, due, status, raw, done, closed, items, goals, indicators, fake = (
            row
        )
        responsible = ";".join(filter(None, (owner, co_owners)))
        yield (
            *head,
            responsible,
            due,
            status,
            raw,
            done,
            closed,
            items or "",
            _codes(goals),
            _codes(indicators),
            fake,
        )


def _resolutions() -> QuerySet:
    """Acuerdos with their co-owners and their links to published plan items, goals of
    published convenios and public indicators, each as one joined cell."""
    through = Resolution.plan_items.through
    items = through.objects.filter(
        resolution_id=OuterRef("pk"), planitem__plan__status__in=selectors.PUBLIC_PLAN_STATUSES
    ).order_by("planitem_id")
    goals = Resolution.goals.through.objects.filter(
        resolution_id=OuterRef("pk"),
        goal__agreement__status__in=selectors.PUBLIC_AGREEMENT_STATUSES,
    ).order_by("goal__code")
    indicators = Resolution.indicators.through.objects.filter(
        resolution_id=OuterRef("pk"), indicator__is_public=True
    ).order_by("indicator__code")
    co_owners = FollowUp.co_owners.through.objects.filter(
        followup_id=OuterRef("followup_id")
    ).order_by("institution__slug")
    return public_resolutions(timezone.localdate()).annotate(
        co_owner_slugs=_Joined(co_owners.values(v=F("institution__slug"))),
        public_items=_Joined(items.values(v=F("planitem_id"))),
        public_goals=_Joined(goals.values(v=F("goal__code"))),
        public_indicators=_Joined(indicators.values(v=F("indicator__code"))),
    )


def _evaluations() -> QuerySet:
    """Evaluations with the published plans, goals of published convenios and public indicators
    they cover, each as one joined cell."""
    plans = Evaluation.plans.through.objects.filter(
        evaluation_id=OuterRef("pk"), plan__status__in=selectors.PUBLIC_PLAN_STATUSES
    ).order_by("plan__code")
    goals = Evaluation.goals.through.objects.filter(
        evaluation_id=OuterRef("pk"),
        goal__agreement__status__in=selectors.PUBLIC_AGREEMENT_STATUSES,
    ).order_by("goal__code")
    indicators = Evaluation.indicators.through.objects.filter(
        evaluation_id=OuterRef("pk"), indicator__is_public=True
    ).order_by("indicator__code")
    return public_evaluations().annotate(
        public_plans=_Joined(plans.values(v=F("plan__code"))),
        public_goals=_Joined(goals.values(v=F("goal__code"))),
        public_indicators=_Joined(indicators.values(v=F("indicator__code"))),
    )


def _evaluation_cells(rows: Iterator[tuple]) -> Iterator[tuple]:
    for row in rows:
        *head, plans, goals, indicators, accepted, dismissed, report, synthetic = row
        yield (*head, plans or "", _codes(goals), _codes(indicators)) + (
            accepted,
            dismissed,
            report,
            synthetic,
        )


def _finding_cells(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The finding's label (``H-2026-03``) and the reason only of a dismissal."""
    for row in rows:
        code, year, number, *middle, status, reason, decided, actions, synthetic = row
        label = f"H-{year}-{number:02d}"
        reason = reason if status == FindingStatus.DISMISSED else ""
        yield (code, label, year, number, *middle, status, reason, decided, actions, synthetic)


def _actions() -> QuerySet:
    co_owners = FollowUp.co_owners.through.objects.filter(
        followup_id=OuterRef("followup_id")
    ).order_by("institution__slug")
    return public_actions(timezone.localdate()).annotate(
        co_owner_slugs=_Joined(co_owners.values(v=F("institution__slug"))),
    )


def _asm_cells(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The ASM's label (``ASM H-2026-03.1``), its owner and co-owners in one cell, and
    «dato sintético» when the ASM or its finding is."""
    for row in rows:
        (code, year, finding_number, number, finding, institution, state, text) = row[:8]
        (kind, priority, owner, co_owners, verifier, due, status) = row[8:15]
        (overdue, done, closed, fake, finding_fake) = row[15:]
        yield (
            code,
            f"ASM H-{year}-{finding_number:02d}.{number}",
            number,
            finding,
            institution,
            state,
            year,
            text,
            kind,
            priority,
            ";".join(filter(None, (owner, co_owners))),
            verifier,
            due,
            status,
            overdue,
            done,
            closed,
            fake or finding_fake,
        )


# Field vocabularies ------------------------------------------------------------------------

SYNTHETIC = _("Verdadero si el registro es inventado para demostración y no es un dato oficial.")
# A programme's resources by source: the column prefix and the word the descriptions use.
PROGRAMME_SOURCE_NAMES = (
    ("federal", _("federal")),
    ("estatal", _("estatal")),
    ("en_especie", _("en especie")),
)


# The registers' public aggregates (registers.public): one file per register, by state and year.
REGISTER_DATASETS: dict[str, tuple[str, Any, Any]] = {
    "training": (
        "registros-capacitacion",
        _("Capacitación registrada por entidad y año"),
        _(
            "Eventos de capacitación (cursos, talleres, pláticas) y sus participantes por sexo "
            "y por población a la que se dirigen (personas servidoras públicas, población "
            "general, personas agresoras en servicios reeducativos), contados en el año en que "
            "terminan."
        ),
    ),
    "affirmative": (
        "registros-acciones-afirmativas",
        _("Acciones afirmativas registradas por entidad y año"),
        _(
            "Acciones afirmativas y sus personas beneficiarias por sexo, contadas en el año en "
            "que concluyen."
        ),
    ),
    "participation": (
        "registros-participacion",
        _("Mecanismos de participación registrados por entidad y año"),
        _(
            "Consejos, observatorios, redes y comités de participación ciudadana (cada uno una "
            "vez por año) y sus personas integrantes por sexo y por sector."
        ),
    ),
    "service": (
        "registros-servicios",
        _("Servicios a mujeres registrados por entidad y año"),
        _(
            "Suma de los conteos mensuales de servicios a mujeres (atención por violencia y "
            "otros): personas atendidas por sexo y por servicio. Una persona atendida en varios "
            "meses se cuenta una vez por mes."
        ),
    ),
}


def _register_rows(register: str) -> Callable[[Iterator[tuple]], Iterator[tuple]]:
    """Each aggregate of the grouped query as one row per published cell, protected by the
    one rule (:func:`transversal.registers.public.assemble`)."""

    def rows(stored: Iterator[tuple]) -> Iterator[tuple]:
        for aggregate in register_public.assemble(register, stored):
            head = (
                aggregate.state,
                aggregate.year,
                aggregate.entries,
                aggregate.people,
                aggregate.women_share,
            )
            for cell in aggregate.cells:
                yield (*head, cell.dimension, cell.category, cell.value, cell.suppressed,
                       aggregate.is_synthetic)  # fmt: skip

    return rows


def _register_dataset(register: str, name: str, title: Any, description: Any) -> Dataset:
    return Dataset(
        name=name,
        title=title,
        description=description,
        notes=_(
            "Solo cifras agregadas por entidad y año: nunca un registro, sus observaciones, sus "
            "evidencias ni cifras por municipio, mes o trimestre, que permitirían obtener por "
            "diferencia lo suprimido. Una fila por entidad, año y valor desagregado; el número "
            "de registros, de personas y el porcentaje de mujeres se repiten en las filas de "
            "la misma entidad y año."
        ),
        queryset=lambda: register_public.grouped(register),
        columns=register_public.columns(register),
        rows=_register_rows(register),
        fields=(
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; 00: los registros de la institución nacional."),
            ),
            Field("anio", "integer", _("Año en que se contabilizan los registros.")),
            Field("registros", "integer", _("Número de registros de la entidad en el año.")),
            Field("personas", "integer", _("Personas contadas en esos registros.")),
            Field(
                "porcentaje_mujeres",
                "number",
                _("Porcentaje de mujeres; vacío si el número de mujeres se suprime."),
            ),
            Field(
                "desagregacion",
                "string",
                _("Desagregación de las personas."),
                vocabulary=codes.REGISTER_DIMENSION,
            ),
            Field("categoria", "string", _("Categoría."), vocabulary=codes.REGISTER_CATEGORY),
            Field("valor", "integer", _("Personas de la categoría; vacío si se suprime.")),
            Field(
                "suprimido",
                "boolean",
                _("Verdadero si el valor se suprime por la protección de conteos pequeños."),
            ),
            Field(
                "dato_sintetico",
                "boolean",
                _(
                    "Verdadero si alguno de los registros de la entidad y el año es inventado "
                    "para demostración y no es un dato oficial."
                ),
            ),
        ),
        primary_key=("clave_entidad", "anio", "desagregacion", "categoria"),
    )


def _light(name: str = "semaforo", description: Any = None) -> Field:
    return Field(name, "string", description or _("Semáforo."), vocabulary=codes.LIGHT)


# The datasets --------------------------------------------------------------------------------

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="entidades",
        title=_("Entidades federativas"),
        description=_(
            "Las 32 entidades federativas con su clave INEGI, nombres y código ISO 3166-2."
        ),
        queryset=State.objects.all,
        order_by=("code",),
        columns=("code", "name", "short_name", "abbreviation", "iso_code"),
        fields=(
            Field("clave_entidad", "string", _("Clave INEGI de dos dígitos, de 01 a 32.")),
            Field("nombre", "string", _("Nombre oficial de la entidad.")),
            Field("nombre_corto", "string", _("Nombre de uso común.")),
            Field("abreviatura", "string", _("Abreviatura usual.")),
            Field("iso_3166_2", "string", _("Código ISO 3166-2, por ejemplo MX-DUR.")),
        ),
        primary_key=("clave_entidad",),
    ),
    Dataset(
        name="instituciones",
        title=_("Instituciones"),
        description=_(
            "Registro de instituciones: la institución nacional, las instancias de las mujeres "
            "en las entidades, las unidades de género y las instancias municipales, con su "
            "nombre vigente, su situación y su creación. Un dato vacío no se conoce."
        ),
        queryset=lambda: Institution.objects.annotate(
            current_name=selectors.current_name_subquery(),
            current_acronym=selectors.current_name_subquery(column="acronym"),
        ),
        order_by=("state__code", "kind", "slug"),
        columns=(
            "slug",
            "kind",
            "state__code",
            "municipality__code",
            "current_name",
            "current_acronym",
            "legal_form",
            "legal_form_other",
            "operating_status",
            "agency_name",
            "head_name",
            "head_charge",
            "creation_instrument",
            "creation_number",
            "creation_date",
            "creation_gazette",
            "source",
        ),
        fields=(
            Field(
                "clave_institucion", "string", _("Clave pública de la institución en Transversal.")
            ),
            Field(
                "tipo",
                "string",
                _("Tipo de institución."),
                vocabulary=codes.INSTITUTION_KIND,
            ),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; vacía para la institución nacional."),
            ),
            Field(
                "clave_municipio",
                "string",
                _("Clave INEGI de cinco dígitos del municipio de una instancia municipal."),
            ),
            Field(
                "nombre_vigente",
                "string",
                _("Nombre vigente: el más reciente de su historial de nombres."),
            ),
            Field("siglas_vigentes", "string", _("Siglas del nombre vigente.")),
            Field(
                "naturaleza_juridica",
                "string",
                _("Naturaleza jurídica."),
                vocabulary=codes.LEGAL_FORM,
            ),
            Field(
                "naturaleza_juridica_otra",
                "string",
                _("Descripción de la naturaleza jurídica cuando es «otra»."),
            ),
            Field(
                "situacion",
                "string",
                _("Situación de operación."),
                vocabulary=codes.OPERATING_STATUS,
            ),
            Field(
                "dependencia",
                "string",
                _("Dependencia estatal a la que pertenece una unidad de género."),
            ),
            Field("titular", "string", _("Nombre de la persona titular.")),
            Field("cargo_titular", "string", _("Cargo de la persona titular.")),
            Field("instrumento_creacion", "string", _("Instrumento jurídico de creación.")),
            Field("numero_instrumento", "string", _("Número del instrumento de creación.")),
            Field(
                "fecha_publicacion", "date", _("Fecha de publicación del instrumento de creación.")
            ),
            Field("medio_publicacion", "string", _("Medio oficial de publicación.")),
            Field("fuente", "string", _("Documento que respalda los datos de creación.")),
        ),
        primary_key=("clave_institucion",),
        foreign_keys=(("clave_entidad", "entidades", "clave_entidad"),),
    ),
    Dataset(
        name="nombres-instituciones",
        title=_("Nombres de las instituciones"),
        description=_(
            "Cada nombre que ha tenido una institución, del primero al vigente: su creación, "
            "cambios de nombre y transformaciones, con el instrumento que los dispuso. Una fecha "
            "vacía no se conoce."
        ),
        queryset=lambda: InstitutionName.objects.all(),
        order_by=("institution__slug", "sequence"),
        columns=(
            "institution__slug",
            "sequence",
            "name",
            "acronym",
            "change",
            "legal_form",
            "legal_form_other",
            "valid_from",
            "valid_to",
            "instrument",
            "instrument_number",
            "instrument_date",
            "instrument_gazette",
            "source",
        ),
        fields=(
            Field("clave_institucion", "string", _("Clave pública de la institución.")),
            Field("orden", "integer", _("Orden del nombre: 1 es el de creación.")),
            Field("nombre", "string", _("Nombre.")),
            Field("siglas", "string", _("Siglas.")),
            Field(
                "tipo_cambio",
                "string",
                _("Cómo se adoptó el nombre."),
                vocabulary=codes.NAME_CHANGE,
            ),
            Field(
                "naturaleza_juridica",
                "string",
                _("Naturaleza jurídica con este nombre, si el instrumento la cambió."),
                vocabulary=codes.LEGAL_FORM,
            ),
            Field(
                "naturaleza_juridica_otra",
                "string",
                _("Descripción de la naturaleza jurídica cuando es «otra»."),
            ),
            Field("vigente_desde", "date", _("Primer día con este nombre.")),
            Field("vigente_hasta", "date", _("Último día con este nombre; vacío si sigue.")),
            Field("instrumento", "string", _("Instrumento que dispuso el nombre.")),
            Field("numero_instrumento", "string", _("Número del instrumento.")),
            Field("fecha_publicacion", "date", _("Fecha de publicación del instrumento.")),
            Field("medio_publicacion", "string", _("Medio oficial de publicación.")),
            Field("fuente", "string", _("Documento que respalda el dato (título y dirección).")),
        ),
        primary_key=("clave_institucion", "orden"),
        foreign_keys=(("clave_institucion", "instituciones", "clave_institucion"),),
    ),
    Dataset(
        name="planes",
        title=_("Planes y programas"),
        description=_("Planes y programas publicados o archivados; los borradores no se publican."),
        queryset=selectors.public_plans,
        order_by=("state__code", "kind", "-start_year", "title"),
        columns=(
            "code",
            "kind",
            "title",
            "state__code",
            "institution__slug",
            "issuer_name",
            "start_year",
            "end_year",
            "status",
        ),
        fields=(
            Field("clave_plan", "string", _("Clave pública del plan.")),
            Field(
                "tipo",
                "string",
                _("Tipo de plan."),
                vocabulary=codes.PLAN_KIND,
            ),
            Field("titulo", "string", _("Título del plan.")),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; vacía para los planes nacionales."),
            ),
            Field("clave_institucion", "string", _("Institución responsable en Transversal.")),
            Field(
                "emisor", "string", _("Quién emitió el plan, si no es la institución responsable.")
            ),
            Field("anio_inicio", "integer", _("Año de inicio.")),
            Field("anio_termino", "integer", _("Año de término.")),
            Field(
                "estado",
                "string",
                _("Estado del plan."),
                vocabulary=codes.PLAN_STATUS,
            ),
        ),
        primary_key=("clave_plan",),
    ),
    Dataset(
        name="elementos-de-plan",
        title=_("Elementos de los planes"),
        description=_(
            "Ejes, objetivos, estrategias y líneas de acción de los planes publicados, como árbol."
        ),
        queryset=selectors.public_plan_items,
        order_by=("plan__code", "order", "pk"),
        columns=("pk", "plan__code", "parent_id", "level", "code", "text", "order", "depth"),
        fields=(
            Field("id_elemento", "integer", _("Identificador del elemento.")),
            Field("clave_plan", "string", _("Plan al que pertenece.")),
            Field("id_padre", "integer", _("Elemento superior; vacío en el primer nivel.")),
            Field(
                "nivel",
                "string",
                _("Nivel del elemento en el plan."),
                vocabulary=codes.ITEM_LEVEL,
            ),
            Field("numero", "string", _("Numeración del documento, por ejemplo 2.10.3.")),
            Field("texto", "string", _("Texto del elemento.")),
            Field("orden", "integer", _("Posición en el documento.")),
            Field("profundidad", "integer", _("Profundidad en el árbol; 0 es el primer nivel.")),
        ),
        primary_key=("id_elemento",),
        foreign_keys=(("clave_plan", "planes", "clave_plan"),),
    ),
    Dataset(
        name="convenios",
        title=_("Convenios de colaboración"),
        description=_(
            "Convenios firmados, vigentes o concluidos entre la institución nacional y cada "
            "entidad."
        ),
        queryset=lambda: selectors.public_agreements().annotate(
            state_institution_slug=F("state_institution__slug"),
            national_institution_slug=F("national_institution__slug"),
        ),
        order_by=("state__code", "-valid_from", "title"),
        columns=(
            "code",
            "state__code",
            "state_institution_slug",
            "national_institution_slug",
            "round",
            "title",
            "signed_on",
            "valid_from",
            "valid_to",
            "purpose",
            "emphasis_areas",
            "status",
            "light",
            "is_synthetic",
        ),
        rows=_join_areas,
        fields=(
            Field("clave_convenio", "string", _("Clave pública del convenio.")),
            Field("clave_entidad", "string", _("Clave INEGI de la entidad.")),
            Field(
                "institucion_estatal",
                "string",
                _("Clave de la instancia de las mujeres de la entidad."),
            ),
            Field("institucion_nacional", "string", _("Clave de la institución nacional.")),
            Field("ronda", "string", _("Ronda o instrucción de convenios, por ejemplo IP-321.")),
            Field("titulo", "string", _("Título del convenio.")),
            Field("fecha_firma", "date", _("Fecha de firma.")),
            Field("vigente_desde", "date", _("Inicio de la vigencia.")),
            Field("vigente_hasta", "date", _("Fin de la vigencia.")),
            Field("objeto", "string", _("Objeto del convenio.")),
            Field(
                "areas_enfasis",
                "string",
                _("Áreas de énfasis, separadas por punto y coma."),
                vocabulary=codes.EMPHASIS_AREA,
                separator=";",
            ),
            Field(
                "estado",
                "string",
                _("Estado del convenio."),
                vocabulary=codes.AGREEMENT_STATUS,
            ),
            _light(description=_("Semáforo del convenio, calculado de sus metas.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_convenio",),
        foreign_keys=(("clave_entidad", "entidades", "clave_entidad"),),
    ),
    Dataset(
        name="compromisos",
        title=_("Compromisos de los convenios"),
        description=_("Compromisos numerados de cada parte de los convenios publicados."),
        queryset=selectors.public_commitments,
        order_by=("agreement__state__code", "agreement__code", "party", "number"),
        columns=("agreement__code", "party", "number", "text", "area"),
        fields=(
            Field("clave_convenio", "string", _("Convenio al que pertenece.")),
            Field(
                "parte",
                "string",
                _("Parte que se compromete."),
                vocabulary=codes.PARTY,
            ),
            Field("numero", "integer", _("Número del compromiso.")),
            Field("texto", "string", _("Texto del compromiso.")),
            Field(
                "area_enfasis",
                "string",
                _("Área de énfasis; vacía si no tiene."),
                vocabulary=codes.EMPHASIS_AREA,
            ),
        ),
        foreign_keys=(("clave_convenio", "convenios", "clave_convenio"),),
    ),
    Dataset(
        name="metas",
        title=_("Metas de los convenios"),
        description=_("Metas de los convenios publicados, con su semáforo."),
        queryset=selectors.public_goals,
        order_by=("agreement__state__code", "agreement__code", "number"),
        columns=(
            "code",
            "agreement__code",
            "number",
            "description",
            "due_date",
            "area",
            "light",
            "is_synthetic",
        ),
        fields=(
            Field("clave_meta", "string", _("Clave pública de la meta.")),
            Field("clave_convenio", "string", _("Convenio al que pertenece.")),
            Field("numero", "integer", _("Número de la meta en el convenio.")),
            Field("descripcion", "string", _("Descripción de la meta.")),
            Field("fecha_cumplimiento", "date", _("Fecha comprometida de cumplimiento.")),
            Field(
                "area_enfasis",
                "string",
                _("Área de énfasis; vacía si no tiene."),
                vocabulary=codes.EMPHASIS_AREA,
            ),
            _light(description=_("Semáforo de la meta, calculado de sus indicadores.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_meta",),
        foreign_keys=(("clave_convenio", "convenios", "clave_convenio"),),
    ),
    Dataset(
        name="indicadores",
        title=_("Indicadores"),
        description=_("Fichas técnicas de los indicadores públicos."),
        queryset=selectors.public_indicators,
        order_by=("owner__state__code", "name"),
        columns=(
            "code",
            "owner__slug",
            "name",
            "definition",
            "formula",
            "numerator_label",
            "denominator_label",
            "unit",
            "measure",
            "frequency",
            "direction",
            "dimension",
            "kind",
            "mir_level",
            "baseline_year",
            "disaggregations",
            "baseline_value",
            "means_of_verification",
            "assumptions",
            "data_source",
            "threshold_green",
            "threshold_yellow",
            "threshold_overachievement",
            "light",
            "is_synthetic",
        ),
        rows=_join_disaggregations,
        fields=(
            Field("clave_indicador", "string", _("Clave pública del indicador.")),
            Field("clave_institucion", "string", _("Institución responsable.")),
            Field("nombre", "string", _("Nombre del indicador.")),
            Field("definicion", "string", _("Definición.")),
            Field("metodo_calculo", "string", _("Método de cálculo.")),
            Field("numerador", "string", _("Descripción del numerador.")),
            Field("denominador", "string", _("Descripción del denominador.")),
            Field("unidad_medida", "string", _("Unidad de medida.")),
            Field(
                "tipo_valor",
                "string",
                _("Tipo de valor."),
                vocabulary=codes.MEASURE,
            ),
            Field(
                "frecuencia",
                "string",
                _("Frecuencia de medición."),
                vocabulary=codes.FREQUENCY,
            ),
            Field(
                "sentido",
                "string",
                _("Sentido esperado del indicador."),
                vocabulary=codes.DIRECTION,
            ),
            Field(
                "dimension",
                "string",
                _("Dimensión que mide; puede ir vacía."),
                vocabulary=codes.DIMENSION,
            ),
            Field(
                "tipo",
                "string",
                _("Tipo de indicador; puede ir vacío."),
                vocabulary=codes.INDICATOR_KIND,
            ),
            Field(
                "nivel_mir",
                "string",
                _("Nivel de la Matriz de Indicadores para Resultados; puede ir vacío."),
                vocabulary=codes.MIR_LEVEL,
            ),
            Field("anio_linea_base", "integer", _("Año de la línea base.")),
            Field(
                "desagregaciones",
                "string",
                _("Desagregaciones separadas por punto y coma; sexo siempre."),
                vocabulary=codes.DISAGGREGATION,
                separator=";",
            ),
            Field("valor_linea_base", "number", _("Valor de la línea base.")),
            Field("medios_verificacion", "string", _("Medios de verificación.")),
            Field("supuestos", "string", _("Supuestos.")),
            Field("fuente_informacion", "string", _("Fuente de información.")),
            Field(
                "umbral_verde",
                "number",
                _("Avance (% de la meta) desde el cual el semáforo es verde."),
            ),
            Field(
                "umbral_amarillo",
                "number",
                _("Avance (% de la meta) desde el cual el semáforo es amarillo."),
            ),
            Field(
                "umbral_sobrecumplimiento",
                "number",
                _(
                    "Avance (% de la meta) arriba del cual se señala una meta posiblemente mal "
                    "planeada."
                ),
            ),
            _light(description=_("Semáforo del último periodo aprobado.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_indicador",),
        foreign_keys=(("clave_institucion", "instituciones", "clave_institucion"),),
    ),
    Dataset(
        name="indicadores-metas",
        title=_("Metas que mide cada indicador"),
        description=_("Relación entre indicadores públicos y metas de convenios publicados."),
        queryset=lambda: Indicator.goals.through.objects.filter(
            indicator__is_public=True,
            goal__agreement__status__in=selectors.PUBLIC_AGREEMENT_STATUSES,
        ),
        order_by=("indicator__code", "goal__code"),
        columns=("indicator__code", "goal__code"),
        fields=(
            Field("clave_indicador", "string", _("Indicador.")),
            Field("clave_meta", "string", _("Meta que mide.")),
        ),
        foreign_keys=(
            ("clave_indicador", "indicadores", "clave_indicador"),
            ("clave_meta", "metas", "clave_meta"),
        ),
    ),
    Dataset(
        name="indicadores-elementos-de-plan",
        title=_("Elementos de plan que mide cada indicador"),
        description=_("Relación entre indicadores públicos y elementos de planes publicados."),
        queryset=lambda: Indicator.plan_items.through.objects.filter(
            indicator__is_public=True, planitem__plan__status__in=selectors.PUBLIC_PLAN_STATUSES
        ),
        order_by=("indicator__code", "planitem_id"),
        columns=("indicator__code", "planitem_id"),
        fields=(
            Field("clave_indicador", "string", _("Indicador.")),
            Field("id_elemento", "integer", _("Elemento de plan que mide.")),
        ),
        foreign_keys=(
            ("clave_indicador", "indicadores", "clave_indicador"),
            ("id_elemento", "elementos-de-plan", "id_elemento"),
        ),
    ),
    Dataset(
        name="periodos",
        title=_("Periodos de reporte y metas"),
        description=_(
            "Calendario de reporte de cada indicador público, con la meta de cada periodo."
        ),
        queryset=selectors.public_periods,
        order_by=("indicator__code", "start"),
        columns=("indicator__code", "label", "start", "end", "due_date", "target"),
        fields=(
            Field("clave_indicador", "string", _("Indicador.")),
            Field(
                "periodo",
                "string",
                _("Clave del periodo, por ejemplo 2025-T1 (primer trimestre de 2025)."),
            ),
            Field("inicio", "date", _("Primer día del periodo.")),
            Field("fin", "date", _("Último día del periodo.")),
            Field("fecha_limite", "date", _("Fecha límite para reportar el avance.")),
            Field("meta", "number", _("Meta del periodo; vacía si no se ha fijado.")),
        ),
        primary_key=("clave_indicador", "periodo"),
        foreign_keys=(("clave_indicador", "indicadores", "clave_indicador"),),
    ),
    Dataset(
        name="valores-aprobados",
        title=_("Valores aprobados"),
        description=_(
            "El valor aprobado vigente de cada periodo. Nunca borradores, envíos en revisión ni "
            "avances devueltos."
        ),
        queryset=selectors.approved_updates,
        order_by=("period__indicator__code", "period__start"),
        columns=(
            "period__indicator__code",
            "period__label",
            "revision",
            "value",
            "numerator",
            "denominator",
            "period__target",
            "progress",
            "light",
            "overachieved",
            "narrative",
            "reviewed_at",
            "is_synthetic",
        ),
        fields=(
            Field("clave_indicador", "string", _("Indicador.")),
            Field("periodo", "string", _("Clave del periodo.")),
            Field(
                "revision", "integer", _("Número de revisión; mayor que 1 si el valor se corrigió.")
            ),
            Field("valor", "number", _("Valor aprobado.")),
            Field("numerador", "number", _("Numerador, si el indicador lo usa.")),
            Field("denominador", "number", _("Denominador, si el indicador lo usa.")),
            Field("meta", "number", _("Meta del periodo.")),
            Field(
                "avance_porcentaje",
                "number",
                _(
                    "Avance respecto de la meta, en por ciento, según la regla de la ficha; nunca "
                    "negativo (0 cuando el valor está por debajo de la línea base)."
                ),
            ),
            _light(),
            Field(
                "sobrecumplimiento",
                "boolean",
                _("Verdadero si el avance supera el umbral de sobrecumplimiento."),
            ),
            Field("narrativa", "string", _("Narrativa del avance aprobada.")),
            Field(
                "fecha_aprobacion",
                "date",
                _("Fecha en que se aprobó el valor."),
                from_timestamp=True,
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_indicador", "periodo"),
        foreign_keys=(("clave_indicador", "indicadores", "clave_indicador"),),
    ),
    Dataset(
        name="valores-desagregados",
        title=_("Valores aprobados por desagregación"),
        description=_(
            "El valor aprobado de cada periodo por sexo, grupo de edad, municipio y grupo de "
            "población."
        ),
        queryset=selectors.approved_breakdown,
        order_by=("update_id", "dimension", "id"),
        columns=(
            "update_id",
            "update__period__indicator__code",
            "update__period__label",
            "update__period__indicator__measure",
            "update__value",
            "dimension",
            "category",
            "value",
        ),
        rows=_suppressed_breakdown,
        fields=(
            Field("clave_indicador", "string", _("Indicador.")),
            Field("periodo", "string", _("Clave del periodo.")),
            Field(
                "desagregacion",
                "string",
                _("Desagregación."),
                vocabulary=codes.DISAGGREGATION,
            ),
            Field(
                "categoria",
                "string",
                _(
                    "Categoría: sexo o grupo de edad; la clave INEGI de cinco dígitos en la "
                    "desagregación por municipio; de_ellas_o_ellos en los grupos de población."
                ),
                vocabulary=codes.CATEGORY,
            ),
            Field("valor", "number", _("Valor de la categoría; vacío si se suprimió.")),
            Field(
                "suprimido",
                "boolean",
                _(
                    "Verdadero si el valor se suprimió para proteger a personas "
                    "identificables (conteos pequeños)."
                ),
            ),
        ),
        foreign_keys=(("clave_indicador", "indicadores", "clave_indicador"),),
        notes=_(
            "Regla de supresión (la misma del portal y de la API): en indicadores de número "
            "absoluto, un valor desagregado de 1 hasta el umbral menos 1 se deja vacío y se marca "
            "«suprimido»; los ceros y los totales se publican. En una desagregación que reparte el "
            "total (sexo, edad, municipio) se suprimen además los menores de los demás valores "
            "hasta que los suprimidos sumen al menos el umbral y nunca queda uno solo, para que "
            "ninguno pueda obtenerse por resta; si el total es menor que el umbral, se suprime "
            "toda la desagregación. Un grupo de población («de ellas o ellos») se suprime también "
            "cuando el total menos su valor es menor que el umbral. Una desagregación que reparte "
            "el total con una sola categoría que deba suprimirse no se publica."
        ),
    ),
    Dataset(
        name="sistemas",
        title=_("Sistemas de coordinación"),
        description=_(
            "Sistemas nacional, estatales y municipales para la igualdad entre mujeres y hombres "
            "y contra la violencia: su fundamento, su presidencia (un cargo) y la institución "
            "que ejerce su secretaría técnica."
        ),
        queryset=public_systems,
        columns=(
            "code",
            "name",
            "acronym",
            "topic",
            "level",
            "state__code",
            "municipality__code",
            "legal_instrument",
            "legal_date",
            "presidency",
            "secretariat__slug",
            "quorum_percent",
            "is_synthetic",
        ),
        fields=(
            Field("clave_sistema", "string", _("Clave pública del sistema.")),
            Field("nombre", "string", _("Nombre del sistema.")),
            Field("siglas", "string", _("Siglas del sistema.")),
            Field("materia", "string", _("Materia del sistema."), vocabulary=codes.SYSTEM_TOPIC),
            Field("ambito", "string", _("Ámbito del sistema."), vocabulary=codes.SYSTEM_LEVEL),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; vacía para el sistema nacional."),
            ),
            Field(
                "clave_municipio",
                "string",
                _("Clave INEGI de cinco dígitos del municipio de un sistema municipal."),
            ),
            Field("instrumento_juridico", "string", _("Instrumento jurídico que lo crea.")),
            Field("fecha_instrumento", "date", _("Fecha del instrumento jurídico.")),
            Field("presidencia", "string", _("Cargo que preside el sistema.")),
            Field(
                "secretaria_tecnica",
                "string",
                _("Clave de la institución que ejerce la secretaría técnica."),
            ),
            Field(
                "quorum_porcentaje",
                "integer",
                _("Hay quórum con más de este por ciento de las personas integrantes con voto."),
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_sistema",),
        foreign_keys=(
            ("clave_entidad", "entidades", "clave_entidad"),
            ("secretaria_tecnica", "instituciones", "clave_institucion"),
        ),
    ),
    Dataset(
        name="sesiones",
        title=_("Sesiones de los sistemas de coordinación"),
        description=_(
            "Una fila por sesión, programada, celebrada o cancelada, con el número de puntos del "
            "orden del día, la asistencia registrada y el quórum. No se publican nombres de "
            "personas, el orden del día ni el acta."
        ),
        queryset=public_sessions,
        columns=(
            "code",
            "system__code",
            "system__state__code",
            "kind",
            "number",
            "year",
            "date",
            "modality",
            "status",
            "agenda_count",
            "members_present",
            "voting_members",
            "voting_present",
            "system__quorum_percent",
            "has_minutes",
            "system__is_synthetic",
        ),
        rows=_session_figures,
        fields=(
            Field("clave_sesion", "string", _("Clave pública de la sesión.")),
            Field("clave_sistema", "string", _("Sistema que sesiona.")),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad del sistema; vacía para el sistema nacional."),
            ),
            Field("tipo", "string", _("Tipo de sesión."), vocabulary=codes.SESSION_KIND),
            Field("numero", "integer", _("Número de la sesión entre las de su tipo y año.")),
            Field("etiqueta", "string", _("Tipo y número, por ejemplo O-2 (segunda ordinaria).")),
            Field("anio", "integer", _("Año de la sesión.")),
            Field("fecha", "date", _("Fecha de la sesión.")),
            Field("modalidad", "string", _("Modalidad."), vocabulary=codes.SESSION_MODALITY),
            Field("estado", "string", _("Estado de la sesión."), vocabulary=codes.SESSION_STATUS),
            Field("puntos_orden_dia", "integer", _("Puntos del orden del día.")),
            Field(
                "integrantes_presentes",
                "integer",
                _("Integrantes del sistema a la fecha de la sesión registrados como presentes."),
            ),
            Field(
                "integrantes_con_voto",
                "integer",
                _("Integrantes con voto a la fecha de la sesión."),
            ),
            Field("presentes_con_voto", "integer", _("Integrantes con voto presentes.")),
            Field(
                "quorum_requerido",
                "integer",
                _("Integrantes con voto presentes necesarios para el quórum."),
            ),
            Field(
                "quorum_alcanzado",
                "boolean",
                _("Verdadero si, con la asistencia registrada, hubo quórum."),
            ),
            Field(
                "acta_firmada",
                "boolean",
                _("Verdadero si se subió el acta firmada (el archivo no se publica)."),
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_sesion",),
        foreign_keys=(("clave_sistema", "sistemas", "clave_sistema"),),
    ),
    Dataset(
        name="acuerdos",
        title=_("Acuerdos de los sistemas de coordinación"),
        description=_(
            "Una fila por acuerdo de sesión, con sus instituciones responsables, su fecha "
            "compromiso, su estado y sus vínculos con elementos de planes publicados, metas de "
            "convenios publicados e indicadores públicos. «Vencido» se calcula el día en que se "
            "descarga el archivo. No se publica la persona responsable, ni las notas ni las "
            "evidencias del seguimiento."
        ),
        queryset=_resolutions,
        columns=(
            "code",
            "folio",
            "session__code",
            "session__system__code",
            "session__system__state__code",
            "followup__text",
            "followup__owner__slug",
            "co_owner_slugs",
            "followup__due_date",
            "public_status",
            "followup__status",
            "followup__done_on",
            "followup__closed_on",
            "public_items",
            "public_goals",
            "public_indicators",
            "session__system__is_synthetic",
        ),
        rows=_acuerdo_cells,
        fields=(
            Field("clave_acuerdo", "string", _("Clave pública del acuerdo.")),
            Field("folio", "string", _("Número del acuerdo, por ejemplo SEI/2026/O-2/03.")),
            Field("clave_sesion", "string", _("Sesión que lo adoptó.")),
            Field("clave_sistema", "string", _("Sistema de la sesión.")),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad del sistema; vacía para el sistema nacional."),
            ),
            Field("texto", "string", _("Texto del acuerdo.")),
            Field(
                "instituciones_responsables",
                "string",
                _(
                    "Claves de las instituciones responsables, separadas por punto y coma: "
                    "primero la principal."
                ),
            ),
            Field("fecha_compromiso", "date", _("Fecha compromiso; vacía si no tiene.")),
            Field(
                "estado",
                "string",
                _("Estado del acuerdo."),
                vocabulary=codes.RESOLUTION_STATUS,
            ),
            Field(
                "estado_seguimiento",
                "string",
                _("Estado de su seguimiento."),
                vocabulary=codes.FOLLOWUP_STATUS,
            ),
            Field("fecha_atendido", "date", _("Fecha en que la responsable lo dio por atendido.")),
            Field("fecha_cierre", "date", _("Fecha de su verificación o cancelación.")),
            Field(
                "elementos_plan",
                "string",
                _(
                    "Identificadores (id_elemento) de los elementos de planes publicados a los "
                    "que sirve, separados por punto y coma."
                ),
            ),
            Field(
                "metas",
                "string",
                _("Claves de las metas de convenios publicados, separadas por punto y coma."),
            ),
            Field(
                "indicadores",
                "string",
                _("Claves de los indicadores públicos, separadas por punto y coma."),
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_acuerdo",),
        foreign_keys=(("clave_sesion", "sesiones", "clave_sesion"),),
    ),
    Dataset(
        name="evaluaciones",
        title=_("Evaluaciones"),
        description=_(
            "Una fila por evaluación de una institución (interna, externa, de diseño, de "
            "procesos, de resultados, auditoría o revisión del convenio), con la instancia "
            "evaluadora, sus fechas, su resumen, los planes publicados, metas de convenios "
            "publicados e indicadores públicos que cubre y sus hallazgos contados. El informe "
            "no se publica, solo si existe."
        ),
        queryset=_evaluations,
        columns=(
            "code",
            "institution__slug",
            "institution__state__code",
            "year",
            "kind",
            "title",
            "evaluator",
            "started_on",
            "ended_on",
            "summary",
            "public_plans",
            "public_goals",
            "public_indicators",
            "accepted_findings",
            "dismissed_findings",
            "has_report",
            "is_synthetic",
        ),
        rows=_evaluation_cells,
        fields=(
            Field("clave_evaluacion", "string", _("Clave pública de la evaluación.")),
            Field("clave_institucion", "string", _("Institución evaluada.")),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; vacía para la institución nacional."),
            ),
            Field("anio", "integer", _("Año de la evaluación.")),
            Field("tipo", "string", _("Tipo de evaluación."), vocabulary=codes.EVALUATION_KIND),
            Field("titulo", "string", _("Título de la evaluación.")),
            Field(
                "instancia_evaluadora",
                "string",
                _("Institución o despacho que evalúa (nunca una persona)."),
            ),
            Field("fecha_inicio", "date", _("Inicio de la evaluación.")),
            Field("fecha_conclusion", "date", _("Conclusión; vacía si no ha concluido.")),
            Field("resumen", "string", _("Resumen de la evaluación.")),
            Field(
                "planes",
                "string",
                _("Claves de los planes publicados que evalúa, separadas por punto y coma."),
            ),
            Field(
                "metas",
                "string",
                _("Claves de las metas de convenios publicados, separadas por punto y coma."),
            ),
            Field(
                "indicadores",
                "string",
                _("Claves de los indicadores públicos, separadas por punto y coma."),
            ),
            Field("hallazgos", "integer", _("Hallazgos aceptados.")),
            Field(
                "hallazgos_descartados",
                "integer",
                _("Hallazgos propuestos que se descartaron con un motivo."),
            ),
            Field(
                "con_informe",
                "boolean",
                _("Verdadero si se subió el informe (el archivo no se publica)."),
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_evaluacion",),
        foreign_keys=(
            ("clave_institucion", "instituciones", "clave_institucion"),
            ("clave_entidad", "entidades", "clave_entidad"),
        ),
    ),
    Dataset(
        name="hallazgos",
        title=_("Hallazgos"),
        description=_(
            "Una fila por hallazgo que una persona aceptó o descartó (con el motivo del "
            "descarte), de una evaluación, de un semáforo rojo sostenido, de un reporte devuelto "
            "o de un acuerdo de sesión. No se publican las propuestas del sistema que nadie ha "
            "decidido, ni los hallazgos sobre un indicador que no es público, ni quién decidió."
        ),
        queryset=public_findings,
        columns=(
            "code",
            "year",
            "number",
            "institution__slug",
            "institution__state__code",
            "source",
            "evaluation__code",
            "indicator__code",
            "period__label",
            "resolution__code",
            "text",
            "status",
            "decision_reason",
            "decided_on",
            "action_count",
            "is_synthetic",
        ),
        rows=_finding_cells,
        fields=(
            Field("clave_hallazgo", "string", _("Clave pública del hallazgo.")),
            Field("etiqueta", "string", _("Número del hallazgo, por ejemplo H-2026-03.")),
            Field("anio", "integer", _("Año del hallazgo.")),
            Field("numero", "integer", _("Número del hallazgo en su institución y año.")),
            Field("clave_institucion", "string", _("Institución del hallazgo.")),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; vacía para la institución nacional."),
            ),
            Field("origen", "string", _("Origen del hallazgo."), vocabulary=codes.FINDING_SOURCE),
            Field("clave_evaluacion", "string", _("Evaluación de la que surge; puede ir vacía.")),
            Field("clave_indicador", "string", _("Indicador público al que se refiere.")),
            Field("periodo", "string", _("Periodo del indicador, por ejemplo 2025-T4.")),
            Field("clave_acuerdo", "string", _("Acuerdo de sesión del que surge.")),
            Field("texto", "string", _("Texto del hallazgo.")),
            Field("estado", "string", _("Estado del hallazgo."), vocabulary=codes.FINDING_STATUS),
            Field("motivo_descarte", "string", _("Motivo del descarte; vacío si se aceptó.")),
            Field("fecha_decision", "date", _("Fecha en que se aceptó o descartó.")),
            Field("asm", "integer", _("Aspectos susceptibles de mejora que lo atienden.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_hallazgo",),
        foreign_keys=(
            ("clave_evaluacion", "evaluaciones", "clave_evaluacion"),
            ("clave_indicador", "indicadores", "clave_indicador"),
            ("clave_acuerdo", "acuerdos", "clave_acuerdo"),
            ("clave_institucion", "instituciones", "clave_institucion"),
        ),
    ),
    Dataset(
        name="asm",
        title=_("Aspectos susceptibles de mejora"),
        description=_(
            "Una fila por aspecto susceptible de mejora (ASM) que atiende un hallazgo publicado, "
            "con su clasificación, prioridad, instituciones responsables, fecha compromiso y "
            "estado. «Vencido» se calcula el día en que se descarga el archivo. No se publica la "
            "persona responsable, ni las notas ni las evidencias del seguimiento."
        ),
        queryset=_actions,
        columns=(
            "code",
            "finding__year",
            "finding__number",
            "number",
            "finding__code",
            "finding__institution__slug",
            "finding__institution__state__code",
            "followup__text",
            "kind",
            "priority",
            "followup__owner__slug",
            "co_owner_slugs",
            "followup__verifier__slug",
            "followup__due_date",
            "followup__status",
            "overdue",
            "followup__done_on",
            "followup__closed_on",
            "is_synthetic",
            "finding__is_synthetic",
        ),
        rows=_asm_cells,
        fields=(
            Field("clave_asm", "string", _("Clave pública del aspecto susceptible de mejora.")),
            Field("etiqueta", "string", _("Hallazgo y número, por ejemplo ASM H-2026-03.1.")),
            Field("numero", "integer", _("Número del aspecto entre los de su hallazgo.")),
            Field("clave_hallazgo", "string", _("Hallazgo que atiende.")),
            Field("clave_institucion", "string", _("Institución del hallazgo.")),
            Field(
                "clave_entidad",
                "string",
                _("Clave INEGI de la entidad; vacía para la institución nacional."),
            ),
            Field("anio", "integer", _("Año del hallazgo.")),
            Field("texto", "string", _("Texto del aspecto susceptible de mejora.")),
            Field(
                "clasificacion",
                "string",
                _("Clasificación del aspecto."),
                vocabulary=codes.ACTION_KIND,
            ),
            Field("prioridad", "string", _("Prioridad."), vocabulary=codes.PRIORITY),
            Field(
                "instituciones_responsables",
                "string",
                _(
                    "Claves de las instituciones responsables, separadas por punto y coma: "
                    "primero la principal."
                ),
            ),
            Field("institucion_verificadora", "string", _("Institución que lo verifica.")),
            Field("fecha_compromiso", "date", _("Fecha compromiso.")),
            Field(
                "estado",
                "string",
                _("Estado de su seguimiento."),
                vocabulary=codes.FOLLOWUP_STATUS,
            ),
            Field(
                "vencido",
                "boolean",
                _("Verdadero si sigue abierto o en proceso pasada su fecha compromiso."),
            ),
            Field("fecha_atendido", "date", _("Fecha en que la responsable lo dio por atendido.")),
            Field("fecha_cierre", "date", _("Fecha de su verificación o cancelación.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_asm",),
        foreign_keys=(
            ("clave_hallazgo", "hallazgos", "clave_hallazgo"),
            ("clave_institucion", "instituciones", "clave_institucion"),
            ("institucion_verificadora", "instituciones", "clave_institucion"),
        ),
    ),
    Dataset(
        name="programas",
        title=_("Programas anuales de trabajo de los convenios"),
        description=_(
            "Una fila por programa anual de trabajo de un convenio publicado, desde que la "
            "entidad lo propone (los programas en elaboración no se publican): su etapa, sus "
            "metas contadas y, por fuente, los recursos aprobados, vigentes (el modificado donde "
            "se registró) y ejercidos según los informes trimestrales enviados, que también se "
            "cuentan. No se publican las observaciones, las narrativas, las actas de cierre ni "
            "quién intervino."
        ),
        queryset=published_programmes,
        columns=(
            "code",
            "agreement__code",
            "agreement__state__code",
            "agreement__state__name",
            "year",
            "stage",
            "stage_changed_at",
            "goal_count",
            *(
                f"{source}_{figure}_total"
                for source in SOURCES
                for figure in ("approved", "in_force", "exercised")
            ),
            "reports_sent",
            "reports_received",
            "closed_on",
            "is_synthetic",
        ),
        fields=(
            Field("clave_programa", "string", _("Clave pública del programa.")),
            Field("clave_convenio", "string", _("Convenio del programa.")),
            Field("clave_entidad", "string", _("Clave INEGI de la entidad.")),
            Field("entidad", "string", _("Nombre oficial de la entidad.")),
            Field("anio", "integer", _("Año del programa.")),
            Field("etapa", "string", _("Etapa del programa."), vocabulary=codes.PROGRAMME_STAGE),
            Field(
                "fecha_etapa",
                "date",
                _("Fecha en que el programa llegó a su etapa."),
                from_timestamp=True,
            ),
            Field("metas", "integer", _("Metas del convenio incluidas en el programa.")),
            *(
                Field(f"{prefix}_{figure}", "number", format_lazy(description, source=label))
                for prefix, label in PROGRAMME_SOURCE_NAMES
                for figure, description in (
                    ("aprobado", _("Monto {source} aprobado, en pesos.")),
                    ("vigente", _("Monto {source} vigente (el modificado, si se modificó).")),
                    ("ejercido", _("Monto {source} ejercido según los informes enviados.")),
                )
            ),
            Field(
                "informes_enviados",
                "integer",
                _("Informes trimestrales enviados (recibidos, observados o por revisar)."),
            ),
            Field(
                "informes_recibidos",
                "integer",
                _("Informes trimestrales que la institución nacional acusó de recibidos."),
            ),
            Field("fecha_cierre", "date", _("Fecha de cierre del programa; vacía si sigue.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_programa",),
        foreign_keys=(
            ("clave_convenio", "convenios", "clave_convenio"),
            ("clave_entidad", "entidades", "clave_entidad"),
        ),
    ),
    Dataset(
        name="programas-metas",
        title=_("Metas de los programas anuales de trabajo"),
        description=_(
            "Una fila por meta de cada programa publicado: el avance acumulado programado al "
            "cierre de cada trimestre y el alcanzado con las cifras que validó la institución "
            "nacional, registrado al acusar de recibido el informe trimestral (vacío mientras "
            "el informe no se recibe o si la meta no tenía avance validado)."
        ),
        queryset=published_lines,
        columns=(
            "programme__code",
            "programme__agreement__state__code",
            "programme__year",
            "goal__code",
            "goal__number",
            "goal__description",
            *(f"planned_q{quarter}" for quarter in QUARTERS),
            *(f"validated_q{quarter}" for quarter in QUARTERS),
            "programme__is_synthetic",
        ),
        fields=(
            Field("clave_programa", "string", _("Programa al que pertenece.")),
            Field("clave_entidad", "string", _("Clave INEGI de la entidad.")),
            Field("anio", "integer", _("Año del programa.")),
            Field("clave_meta", "string", _("Meta del convenio.")),
            Field("numero_meta", "integer", _("Número de la meta en el convenio.")),
            Field("descripcion_meta", "string", _("Descripción de la meta.")),
            *(
                Field(
                    f"programado_t{quarter}",
                    "number",
                    format_lazy(
                        _("Avance acumulado programado al cierre del trimestre {q} (%)."),
                        q=quarter,
                    ),
                )
                for quarter in QUARTERS
            ),
            *(
                Field(
                    f"alcanzado_t{quarter}",
                    "number",
                    format_lazy(
                        _(
                            "Avance alcanzado (%) con cifras validadas, registrado al recibir el "
                            "informe del trimestre {q}; vacío si no se ha recibido."
                        ),
                        q=quarter,
                    ),
                )
                for quarter in QUARTERS
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_programa", "clave_meta"),
        foreign_keys=(
            ("clave_programa", "programas", "clave_programa"),
            ("clave_meta", "metas", "clave_meta"),
        ),
    ),
    Dataset(
        name="armonizacion",
        title=_("Armonización legislativa en las entidades"),
        description=_(
            "Una fila por disposición de referencia y entidad: si la legislación estatal la "
            "incorpora (armonizada, parcial, pendiente, no aplica) y dónde lo dice. El estado se "
            "publica solo cuando la celda cita su fuente (instrumento estatal y artículo, o "
            "periódico oficial y fecha de publicación); las demás filas dicen «sin_verificar», "
            "sin estado ni partes de la cita."
        ),
        queryset=open_data_cells,
        columns=(
            "provision__slug",
            "provision__title",
            "provision__topic",
            "provision__federal_source",
            "provision__dof_date",
            "state__code",
            "status",
            "instrument",
            "article",
            "gazette",
            "published_on",
            "url",
            "is_synthetic",
        ),
        rows=_cited_cells,
        fields=(
            Field("clave_disposicion", "string", _("Clave de la disposición de referencia.")),
            Field("disposicion", "string", _("Disposición de referencia.")),
            Field(
                "tema",
                "string",
                _("Tema de la disposición."),
                enum=tuple(HarmonizationTopic.values),
            ),
            Field("fuente_federal", "string", _("Ley o instrumento federal de referencia.")),
            Field(
                "fecha_dof",
                "date",
                _("Publicación de la fuente federal en el DOF; vacía si no se verificó."),
            ),
            Field("clave_entidad", "string", _("Clave INEGI de la entidad.")),
            Field(
                "estado",
                "string",
                _("Estado de la armonización; sin_verificar si la celda no cita su fuente."),
                enum=tuple(HarmonizationStatus.values),
            ),
            Field("instrumento", "string", _("Instrumento estatal (ley, código, programa).")),
            Field("articulo", "string", _("Artículo del instrumento estatal.")),
            Field("periodico_oficial", "string", _("Periódico oficial del estado.")),
            Field("fecha_publicacion", "date", _("Fecha de publicación en el periódico oficial.")),
            Field("enlace", "string", _("Enlace a la publicación.")),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("clave_disposicion", "clave_entidad"),
        foreign_keys=(("clave_entidad", "entidades", "clave_entidad"),),
    ),
    Dataset(
        name="estadisticas-genero",
        title=_("Estadísticas de género por entidad"),
        description=_(
            "Una fila por cifra publicada de un indicador de contexto (encuesta o registro "
            "oficial): año, entidad (00 la nacional), sexo y grupo de edad, con su precisión. "
            "Cada fila lleva además la brecha de su lugar, año y grupo de edad (mujeres − "
            "hombres, en la unidad del indicador), la razón mujeres/hombres y, en los conteos, "
            "el índice de feminidad."
        ),
        queryset=genderstats_data.values,
        columns=genderstats_data.COLUMNS,
        rows=genderstats_data.rows,
        order_by=genderstats_data.ORDER,
        fields=(
            Field("indicador", "string", _("Clave del indicador de contexto.")),
            Field("nombre_indicador", "string", _("Nombre del indicador.")),
            Field("unidad", "string", _("Unidad de la cifra y de la brecha.")),
            Field("tipo_medida", "string", _("Tipo de medida."), enum=tuple(StatMeasure.values)),
            Field(
                "lectura_brecha",
                "string",
                _(
                    "positive: una brecha positiva es desventaja para las mujeres; negative: "
                    "lo es una negativa; neutral: el signo no lo indica por sí solo."
                ),
                enum=tuple(GapReading.values),
            ),
            Field("fuente", "string", _("Encuesta o registro de origen (ENDIREH, ENOE…).")),
            Field("institucion_fuente", "string", _("Institución que publica la fuente.")),
            Field("edicion_fuente", "string", _("Edición de la fuente.")),
            Field("anio_fuente", "integer", _("Año de la fuente.")),
            Field("tabulado", "string", _("Tabulado o cuadro de la fuente.")),
            Field("enlace_fuente", "string", _("Dirección de la fuente.")),
            Field("anio", "integer", _("Año de la cifra.")),
            Field("clave_entidad", "string", _("Clave INEGI de la entidad; 00 la nacional.")),
            Field("grupo_edad", "string", _("Grupo de edad; vacío para todas las edades.")),
            Field("sexo", "string", _("Sexo."), enum=tuple(Sex.values)),
            Field("valor", "number", _("Cifra publicada.")),
            Field("cv", "number", _("Coeficiente de variación (%), si la fuente lo da.")),
            Field("limite_inferior", "number", _("Límite inferior del intervalo de confianza.")),
            Field("limite_superior", "number", _("Límite superior del intervalo de confianza.")),
            Field(
                "precision",
                "string",
                _(
                    "Precisión de la cifra con los rangos del INEGI (CV hasta 15 % alta, hasta "
                    "30 % moderada, más baja), estimada del intervalo al 90 % si no hay CV; "
                    "vacía si la fuente no da ninguno."
                ),
                enum=("alta", "moderada", "baja"),
            ),
            Field("brecha", "number", _("Mujeres − hombres en el mismo lugar, año y grupo.")),
            Field("razon", "number", _("Mujeres / hombres.")),
            Field("indice_feminidad", "number", _("Mujeres por cada 100 hombres (conteos).")),
            Field(
                "precision_brecha",
                "string",
                _("Precisión de la brecha: la de su cifra menos precisa."),
                enum=("alta", "moderada", "baja"),
            ),
            Field("dato_sintetico", "boolean", SYNTHETIC),
        ),
        primary_key=("indicador", "anio", "clave_entidad", "sexo", "grupo_edad"),
    ),
    *(_register_dataset(register, *about) for register, about in REGISTER_DATASETS.items()),
)

BY_NAME = {dataset.name: dataset for dataset in DATASETS}


def code_tables() -> list[tuple[list[str], Vocabulary]]:
    """Each vocabulary the files use, once, with the columns ("convenios.estado") that use it:
    the data dictionary's table of published codes and their API equivalents."""
    tables: dict[int, tuple[list[str], Vocabulary]] = {}
    for dataset in DATASETS:
        for f in dataset.fields:
            if f.vocabulary is not None:
                columns, _vocabulary = tables.setdefault(id(f.vocabulary), ([], f.vocabulary))
                columns.append(f"{dataset.name}.{f.name}")
    return list(tables.values())


FORMATS = ("csv", "json")


def descriptor(base_url: str = "") -> dict:
    """The Frictionless Data Package descriptor, written from :data:`DATASETS`."""
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Transversal: datos abiertos de la política de igualdad entre mujeres y hombres",
        "description": (
            "Planes publicados, convenios de colaboración firmados, indicadores públicos y sus "
            "valores aprobados, de la institución nacional y las 32 instancias de las mujeres en "
            "las entidades federativas, los sistemas de coordinación con sus sesiones y "
            "acuerdos, y las evaluaciones con sus hallazgos y aspectos susceptibles de mejora. "
            "Los archivos CSV van en UTF-8 con BOM, separados por "
            "comas, con fechas AAAA-MM-DD."
        ),
        "homepage": base_url or "",
        "licenses": [LICENSE],
        "resources": [dataset.resource(fmt) for dataset in DATASETS for fmt in FORMATS],
    }


# Writers -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def csv_cell(value: Any, type_: str) -> Any:
    """A cell as written to CSV: only text fields can carry a formula, so only they are neutralised.

    This is the rule every CSV cell follows; :func:`stream_csv` applies it through the faster
    writers below, each of which falls back to this function for any value it does not expect."""
    if value is None:
        return ""
    if type_ == "string":
        return neutralise_cell(str(value))
    return _plain(value)


def stream_csv(dataset: Dataset) -> Iterator[str]:
    """UTF-8 with BOM (Excel on Windows reads accents right), comma-separated, in batches of rows.

    Rows come from public QuerySet APIs only (``values_list`` read in chunks, Django's converters
    applied). Each column gets one function, chosen once from its field's type, that turns a value
    into its finished CSV text (neutralised and quoted as ``csv.writer`` would), and a row is those
    texts joined by commas. Text, date and timestamp columns remember the text of up to
    ``MEMO_SIZE`` distinct values: the same indicator code, period or approval day comes back row
    after row and is written once."""
    header = io.StringIO()
    header.write("\ufeff")
    csv.writer(header, lineterminator="\r\n").writerow(dataset.field_names)
    rows = dataset.rows(dataset.values().iterator(chunk_size=CHUNK_SIZE))
    yield from _csv_chunks(header.getvalue(), _column_writers(dataset), rows)


def _column_writers(dataset: Dataset) -> list[Callable[[Any], str]]:
    """For each field, the function that writes its cell (after ``dataset.rows``)."""
    zone = timezone.get_current_timezone()  # when the query runs, as ``__date`` would take it
    cells = []
    for f in dataset.fields:
        write = _cell_writer(f.type)
        if f.from_timestamp:
            write = _on_local_day(write, zone)
        publish = f.publisher()
        if publish is not None:
            write = _published(write, publish)
        if f.from_timestamp or f.type in _REMEMBERED_FIELD_TYPES:
            write = _remembered(write, stamps=f.from_timestamp)
        cells.append(write)
    return cells


# What csv.writer (QUOTE_MINIMAL, doubled quotes, "\r\n" lines) puts a field in quotes for.
_needs_quotes = re.compile(r'[",\r\n]').search


def _csv_field(text: str) -> str:
    """``text`` as one field of a CSV line, quoted only when ``csv.writer`` would quote it."""
    if _needs_quotes(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _any_cell(value: Any, type_: str) -> str:
    return _csv_field(str(csv_cell(value, type_)))


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    text = neutralise_cell(value if type(value) is str else str(value))
    if _needs_quotes(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _number_cell(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is Decimal:
        return format(value.normalize(), "f") if value.is_finite() else ""
    return _any_cell(value, "number")


def _integer_cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value) if type(value) is int else _any_cell(value, "integer")


def _date_cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if type(value) is dt.date else _any_cell(value, "date")


def _boolean_cell(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return _any_cell(value, "boolean")


# Fast paths for the usual value of each field type; any other value goes through csv_cell.
CELL_WRITERS: dict[str, Callable[[Any], str]] = {
    "string": _text_cell,
    "number": _number_cell,
    "integer": _integer_cell,
    "date": _date_cell,
    "boolean": _boolean_cell,
}


def _cell_writer(type_: str) -> Callable[[Any], str]:
    return CELL_WRITERS.get(type_) or (lambda value: _any_cell(value, type_))


def _on_local_day(write: Callable[[Any], str], zone: dt.tzinfo) -> Callable[[Any], str]:
    return lambda value: write(_local_day(value, zone))


def _published(write: Callable[[Any], str], publish: Callable[[Any], Any]) -> Callable[[Any], str]:
    return lambda value: write(publish(value))


# Values remembered, each type apart so that 1, 1.0 and True never share a text. Within one of
# these types equal values are written alike, except a float zero (0.0 and -0.0 are equal), which
# is written afresh each time. Not decimals (1.0 equals 1.00), nor timestamps (equal instants in
# two time zones), except where only the instant counts: the calendar day of a timestamp.
_MEMO_TYPES = (type(None), bool, int, float, str, dt.date, uuid.UUID)
# Field types whose writer costs more than a dictionary look-up (text is scanned for formulas
# and quotes); numbers, integers and booleans are written directly.
_REMEMBERED_FIELD_TYPES = frozenset({"string", "date"})


def _remembered(write: Callable[[Any], str], *, stamps: bool = False) -> Callable[[Any], str]:
    memos: dict[type, dict[Any, str]] = {kind: {} for kind in _MEMO_TYPES}
    if stamps:
        memos[dt.datetime] = {}

    def remembered(value: Any) -> str:
        memo = memos.get(type(value))
        if memo is None or (not value and type(value) is float):
            return write(value)
        text = memo.get(value)
        if text is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            text = memo[value] = write(value)
        return text

    return remembered


def _csv_chunks(
    header: str, cells: list[Callable[[Any], str]], rows: Iterator[tuple]
) -> Iterator[str]:
    """The header, then ``BATCH_ROWS`` lines per chunk, each line the row's cell texts joined by
    commas."""
    width = len(cells)
    if width == 1:  # csv.writer writes a lone empty field as "" so that the line is not blank
        only = cells[0]
        cells = [lambda value: only(value) or '""']
    call, join = operator.call, ",".join
    pending = header
    while batch := list(islice(rows, BATCH_ROWS)):
        if any(len(row) != width for row in batch):
            raise ValueError(f"every row must have {width} values, one per field")
        lines = [join(map(call, cells, row)) for row in batch]
        lines.append("")
        yield pending + "\r\n".join(lines)
        pending = ""
    if pending:
        yield pending


def json_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(_plain(value) if not isinstance(value, str) else value, ensure_ascii=False)


def stream_json(dataset: Dataset) -> Iterator[str]:
    """A JSON array of objects, written row by row: never the whole table in memory."""
    keys = [json.dumps(name) for name in dataset.field_names]
    yield "["
    first = True
    for batch in _batches(dataset.iter_rows()):
        parts = []
        for row in batch:
            body = ", ".join(
                f"{key}: {json_value(value)}" for key, value in zip(keys, row, strict=True)
            )
            parts.append(("\n" if first else ",\n") + "{" + body + "}")
            first = False
        yield "".join(parts)
    yield "\n]\n"


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch

"""The registers on the API: each register's entries for the caller's institutions (with a token),
and the public aggregates by state and year for anyone. Registered on the API when ``endpoints``
is imported (its last lines).

Entries are counts of people and never name anybody; even so, an entry's notes, its evidence and
who recorded it are not served. Without membership nobody reads an entry: the public sees only
:func:`transversal.registers.public.public_aggregates`, through the one small-count rule, the same
for every caller (a token does not lift it: a state's aggregate adds up several institutions).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

from transversal.accounts.access import scope_for
from transversal.api.endpoints import (
    PageIn,
    _errors,
    page_of,
    paginate,
    public_read,
    tenant_read,
)
from transversal.registers import public
from transversal.registers.access import readable_entries
from transversal.registers.models import (
    REGISTER_MODELS,
    Audience,
    MechanismKind,
    Modality,
    RegisterKind,
    ServiceType,
)
from transversal.territory.models import Municipality

ENTRIES = """Los registros de {what} de las instituciones de la persona (de todas, para la
institución nacional): requieren un token; sin él responden 401. Cada registro cuenta personas
por sexo, grupo de edad y grupo de población, sin nombres ni datos que identifiquen a nadie. No
se publican las observaciones, las evidencias (como las listas de asistencia) ni quién capturó
el registro. `state` filtra por la entidad de la institución que registra (`00`: la institución
nacional) y `year` por el año en que el registro se contabiliza (`counted_on`). Lo público de los
registros son sus agregados por entidad y año: `/registers/aggregates`."""

AGGREGATES = """Los agregados públicos de los cuatro registros (`kind`: capacitación,
acciones afirmativas, mecanismos de participación y servicios a mujeres), por entidad y año en
que se contabilizan (`state` 00: la institución nacional, que ninguna entidad incluye): número de
registros, personas y su desagregación por sexo y por la categoría propia del registro
(población a la que se dirige una capacitación, servicio, sector de las personas integrantes de
un mecanismo). Las desagregaciones pasan por la regla de conteos pequeños del portal y los
datos abiertos, para cualquier persona, con o sin token: un valor mayor que cero y menor que el
umbral `OPEN_DATA_MIN_COUNT` se suprime (`value: null`, `suppressed: true`), y con él los
necesarios para que ninguno pueda obtenerse restando del total. `women_share` (%) solo se da si
el número de mujeres se publica. No hay cifras por trimestre, mes ni municipio: permitirían
obtener por diferencia lo suprimido en el año o la entidad. Pública, sin token."""

PlaceCode = Field(
    None,
    pattern=r"^(0[0-9]|[12][0-9]|3[0-2])$",
    description="Clave INEGI, 01 a 32; 00 para la institución nacional",
)


class EntryFilters(Schema):
    state: str | None = PlaceCode
    year: int | None = Field(None, ge=2000, le=2100, description="Año en que se contabiliza")


class Register(StrEnum):
    TRAINING = RegisterKind.TRAINING.value
    AFFIRMATIVE = RegisterKind.AFFIRMATIVE.value
    PARTICIPATION = RegisterKind.PARTICIPATION.value
    SERVICE = RegisterKind.SERVICE.value


class AggregateFilters(EntryFilters):
    kind: Register | None = Field(None, description="Registro; todos si se omite")


class EntryOut(Schema):
    """What every entry carries: its institution, its date and the people it counts."""

    code: uuid.UUID
    institution: str = Field(description="Clave de la institución que registra")
    state: str = Field(description="Clave INEGI de su entidad; 00 para la institución nacional")
    counted_on: dt.date = Field(description="Fecha en que se contabiliza")
    women: int
    men: int
    sex_unspecified: int
    total: int
    age_0_14: int | None
    age_15_29: int | None
    age_30_44: int | None
    age_45_64: int | None
    age_65_plus: int | None
    age_unspecified: int | None
    indigenous: int | None = Field(description="De ellas y ellos, población indígena")
    afro_mexican: int | None = Field(description="De ellas y ellos, población afromexicana")
    disability: int | None = Field(description="De ellas y ellos, con discapacidad")
    is_synthetic: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.slug

    @staticmethod
    def resolve_state(obj) -> str:
        state = obj.institution.state
        return state.code if state is not None else public.NATIONAL


def _municipality(obj) -> str | None:
    return obj.municipality.code if obj.municipality_id else None


class TrainingOut(EntryOut):
    name: str
    topic: str
    audience: Audience
    modality: Modality
    hours: Decimal
    start: dt.date
    end: dt.date
    municipality: str | None = Field(description="Clave INEGI del municipio")
    organiser: str
    certificates: int

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return _municipality(obj)


class AffirmativeActionOut(EntryOut):
    name: str
    legal_basis: str
    target_group: str
    start: dt.date
    end: dt.date
    municipalities: list[str] = Field(description="Claves INEGI de los municipios")
    resources: Decimal | None = Field(description="Recursos ejercidos, en pesos")

    @staticmethod
    def resolve_municipalities(obj) -> list[str]:
        return [municipality.code for municipality in obj.municipality_list]


class ParticipationOut(EntryOut):
    name: str
    mechanism_kind: MechanismKind
    year: int
    installed_on: dt.date | None
    municipality: str | None = Field(description="Clave INEGI del municipio")
    system: uuid.UUID | None = Field(description="Sistema de coordinación al que se vincula")
    members_government: int
    members_civil_society: int
    members_academia: int
    members_private: int
    members_other: int
    sessions_held: int
    agreements_reached: int

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return _municipality(obj)

    @staticmethod
    def resolve_system(obj) -> uuid.UUID | None:
        return obj.system.code if obj.system_id else None


class ServiceOut(EntryOut):
    month: dt.date = Field(description="Primer día del mes contado")
    service_type: ServiceType
    violence_related: bool
    municipality: str | None = Field(description="Clave INEGI del municipio; null: toda la entidad")
    attentions: int

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return _municipality(obj)


class CellOut(Schema):
    dimension: str = Field(description="sex, audience, service_type o sector")
    category: str
    value: int | None = Field(description="null cuando se suprime")
    suppressed: bool


class AggregateOut(Schema):
    kind: Register = Field(description="Registro")
    state: str = Field(description="Clave INEGI; 00 para la institución nacional")
    year: int
    entries: int = Field(description="Número de registros (eventos, acciones, mecanismos, meses)")
    people: int = Field(description="Personas contadas (participantes, beneficiarias…)")
    women_share: Decimal | None = Field(
        description="Porcentaje de mujeres; null si el número de mujeres se suprime"
    )
    breakdown: list[CellOut]
    is_synthetic: bool = Field(description="Incluye registros inventados para demostración")


def _entries(request: HttpRequest, register: str, filters: EntryFilters) -> QuerySet:
    queryset = readable_entries(scope_for(request.user), register)
    if filters.state == public.NATIONAL:
        queryset = queryset.filter(institution__state__isnull=True)
    elif filters.state is not None:
        queryset = queryset.filter(institution__state__code=filters.state)
    if filters.year is not None:
        queryset = queryset.filter(counted_on__year=filters.year)
    return queryset.order_by("-counted_on", "pk")


TAGS = ["registros"]


@tenant_read(
    "/trainings",
    {200: page_of(TrainingOut), **_errors()},
    tags=TAGS,
    summary="Eventos de capacitación de las instituciones de la persona",
    description=ENTRIES.format(what="capacitación"),
)
def list_trainings(request: HttpRequest, page: Query[PageIn], filters: Query[EntryFilters]):
    # Queries: the token's scope, the count and the page with institutions and municipalities.
    queryset = _entries(request, RegisterKind.TRAINING, filters).select_related("municipality")
    return paginate(queryset, page)


@tenant_read(
    "/affirmative-actions",
    {200: page_of(AffirmativeActionOut), **_errors()},
    tags=TAGS,
    summary="Acciones afirmativas de las instituciones de la persona",
    description=ENTRIES.format(what="acciones afirmativas"),
)
def list_affirmative_actions(
    request: HttpRequest, page: Query[PageIn], filters: Query[EntryFilters]
):
    queryset = _entries(request, RegisterKind.AFFIRMATIVE, filters).prefetch_related(
        Prefetch(
            "municipalities",
            queryset=Municipality.objects.only("pk", "code").order_by("code"),
            to_attr="municipality_list",
        )
    )
    return paginate(queryset, page)


@tenant_read(
    "/participation",
    {200: page_of(ParticipationOut), **_errors()},
    tags=TAGS,
    summary="Mecanismos de participación (uno por año) de las instituciones de la persona",
    description=ENTRIES.format(what="mecanismos de participación"),
)
def list_participation(request: HttpRequest, page: Query[PageIn], filters: Query[EntryFilters]):
    queryset = _entries(request, RegisterKind.PARTICIPATION, filters).select_related(
        "municipality", "system"
    )
    return paginate(queryset, page)


@tenant_read(
    "/services",
    {200: page_of(ServiceOut), **_errors()},
    tags=TAGS,
    summary="Conteos mensuales de servicios a mujeres de las instituciones de la persona",
    description=ENTRIES.format(what="servicios a mujeres (conteos mensuales)"),
)
def list_services(request: HttpRequest, page: Query[PageIn], filters: Query[EntryFilters]):
    queryset = _entries(request, RegisterKind.SERVICE, filters).select_related("municipality")
    return paginate(queryset, page)


def _aggregate_out(aggregate: public.Aggregate) -> dict:
    return {
        "kind": aggregate.register,
        "state": aggregate.state,
        "year": aggregate.year,
        "entries": aggregate.entries,
        "people": aggregate.people,
        "women_share": aggregate.women_share,
        "breakdown": [cell._asdict() for cell in aggregate.cells],
        "is_synthetic": aggregate.is_synthetic,
    }


@public_read(
    "/registers/aggregates",
    {200: page_of(AggregateOut), **_errors()},
    tags=TAGS,
    summary="Agregados públicos de los registros, por entidad y año",
    description=AGGREGATES,
)
def list_register_aggregates(
    request: HttpRequest, page: Query[PageIn], filters: Query[AggregateFilters]
):
    # Queries: one grouped query per register asked for (four without a filter).
    registers = [filters.kind.value] if filters.kind else list(REGISTER_MODELS)
    rows = [
        aggregate
        for register in registers
        for aggregate in public.public_aggregates(register, state=filters.state, year=filters.year)
    ]
    window = rows[page.offset : page.offset + page.limit]
    return {
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "items": [_aggregate_out(aggregate) for aggregate in window],
    }

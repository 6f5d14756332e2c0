"""Request and response shapes. Decimals travel as strings (no binary rounding); input
numbers may be JSON numbers or strings."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, field_validator

from transversal.agreements.models import AgreementStatus
from transversal.institutions.models import InstitutionKind
from transversal.monitoring.models import Frequency, IndicatorKind, Measure, UpdateStatus
from transversal.planning.models import PlanKind, PlanStatus

Number = Annotated[Decimal, Field(max_digits=18, decimal_places=4, allow_inf_nan=False)]
StateCode = Annotated[str, Field(pattern=r"^(0[1-9]|[12][0-9]|3[0-2])$", description="Clave INEGI, 01 a 32")]


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(_("La fecha está fuera del intervalo admitido.")) from None


Since = Annotated[dt.datetime, AfterValidator(_utc)]


# Filters: unknown query parameters are ignored.

class InstitutionFilters(Schema):
    state: StateCode | None = None
    kind: InstitutionKind | None = None


class PlanFilters(Schema):
    state: StateCode | None = None
    kind: PlanKind | None = None
    status: PlanStatus | None = None


class AgreementFilters(Schema):
    state: StateCode | None = None
    status: AgreementStatus | None = None
    updated_since: Since | None = None


class IndicatorFilters(Schema):
    state: StateCode | None = None
    owner: str | None = Field(None, pattern=r"^[-a-zA-Z0-9_]{1,60}$", description="Clave de la institución")
    frequency: Frequency | None = None
    kind: IndicatorKind | None = None
    measure: Measure | None = None
    public: bool | None = None
    updated_since: Since | None = None


class UpdateFilters(Schema):
    state: StateCode | None = None
    indicator: uuid.UUID | None = None
    status: UpdateStatus | None = None
    current: bool | None = Field(None, description="true: solo la revisión vigente de cada periodo")
    updated_since: Since | None = None


# Responses.

class StateOut(Schema):
    code: str
    name: str
    short_name: str
    abbreviation: str
    iso_code: str


class InstitutionOut(Schema):
    slug: str
    kind: str
    state: str | None
    name: str
    acronym: str
    legal_form: str
    mission: str
    vision: str

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.state.code if obj.state_id else None

    @staticmethod
    def resolve_name(obj) -> str:
        current = obj.current_name
        return current.name if current else obj.slug

    @staticmethod
    def resolve_acronym(obj) -> str:
        current = obj.current_name
        return current.acronym if current else ""


class PlanOut(Schema):
    code: str
    kind: str
    title: str
    status: str
    state: str | None
    institution: str | None
    issuer_name: str
    start_year: int | None
    end_year: int | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.state.code if obj.state_id else None

    @staticmethod
    def resolve_institution(obj) -> str | None:
        return obj.institution.slug if obj.institution_id else None


class PlanItemOut(Schema):
    code: str
    parent_code: str | None
    level: str
    text: str
    depth: int
    order: int

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class AgreementOut(Schema):
    code: uuid.UUID
    title: str
    state: str
    state_institution: str
    round: str
    status: str
    signed_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    purpose: str
    emphasis_areas: list[str]
    light: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state.code

    @staticmethod
    def resolve_state_institution(obj) -> str:
        return obj.state_institution.slug


class GoalOut(Schema):
    code: uuid.UUID
    number: int
    description: str
    due_date: dt.date | None
    area: str
    light: str


class IndicatorOut(Schema):
    code: uuid.UUID
    name: str
    owner: str
    state: str | None
    definition: str
    formula: str
    numerator_label: str
    denominator_label: str
    unit: str
    measure: str
    frequency: str
    dimension: str
    kind: str
    mir_level: str
    direction: str
    baseline_year: int | None
    baseline_value: Decimal | None
    disaggregations: list[str]
    is_public: bool
    light: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.owner.state.code if obj.owner.state_id else None


class PeriodOut(Schema):
    label: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    target: Decimal | None
    locked: bool
    approved_value: Decimal | None = Field(None, description="Último valor aprobado del periodo")
    approved_light: str | None = None

    @staticmethod
    def resolve_approved_value(obj) -> Decimal | None:
        # An annotation loses the column's scale on SQLite; show it like every other decimal.
        value = obj.approved_value
        return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


class BreakdownOut(Schema):
    dimension: str
    category: str
    value: Decimal | None = Field(description="null cuando se suprime (conteo pequeño o necesario para que otro no se obtenga por resta)")
    suppressed: bool = False


class UpdateOut(Schema):
    code: uuid.UUID
    indicator: uuid.UUID
    period: str
    revision: int
    is_current: bool
    status: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    narrative: str
    disaggregation_note: str
    light: str
    progress: Decimal | None
    overachieved: bool
    version: int
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    updated_at: dt.datetime
    breakdown: list[BreakdownOut]


# Writes.

def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("El texto contiene caracteres no permitidos."))
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Key = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_no_nul)]


class DraftIn(Schema):
    expected_version: int | None = Field(
        ..., ge=1, le=2_147_483_647,
        description="La versión que se leyó (null si el periodo aún no tiene reporte). Si otra persona "
                    "guardó después, la respuesta es 409 y no se escribe nada.",
    )
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    narrative: Text = Field("", max_length=10000)
    breakdown: dict[Key, dict[Key, Number]] = Field(
        default_factory=dict, description='Por desagregación y categoría, p. ej. {"sex": {"women": "60", "men": "35"}}',
    )
    disaggregation_note: Text = Field("", max_length=2000)

    @field_validator("breakdown")
    @classmethod
    def _few_categories(cls, value: dict) -> dict:
        if len(value) > 10 or any(len(categories) > 1000 for categories in value.values()):
            raise ValueError(_("Demasiadas desagregaciones o categorías."))
        return value


class SubmitIn(Schema):
    expected_version: int = Field(..., ge=1, le=2_147_483_647, description="La versión que se leyó.")

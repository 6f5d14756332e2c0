"""Request and response shapes. Decimals travel as strings (no binary rounding); input
numbers may be JSON numbers or decimal strings.

Every input rule is in the OpenAPI document too (patterns, bounds), so a request the schema
allows is never refused as malformed (422) and one it forbids never passes: schemathesis
checks both ways (api/tests/test_schemathesis.py)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, field_validator

from transversal.agreements.models import AgreementStatus
from transversal.coordination.api_selectors import PublicStatus
from transversal.coordination.models import (
    SessionKind,
    SessionStatus,
    SystemLevel,
    SystemTopic,
    quorum_required,
)
from transversal.followup.models import FollowUpStatus
from transversal.harmonization.api_selectors import PublishedStatus as HarmonizationStatus
from transversal.harmonization.models import Topic as HarmonizationTopic
from transversal.improvement.api_selectors import PublishedFindingStatus
from transversal.improvement.models import ActionKind, EvaluationKind, FindingSource, Priority
from transversal.institutions.models import InstitutionKind, OperatingStatus, display_name
from transversal.monitoring.models import Frequency, IndicatorKind, Measure, UpdateStatus
from transversal.planning.models import PlanKind, PlanStatus
from transversal.workprogrammes.models import SOURCES, Stage

# Up to 14 whole digits and 4 decimals (the database columns). A JSON number must be a multiple
# of 0.0001; a string must be written plainly: "60", "-3.5", never "" (send null for no value),
# "1e3", "1_000" or " 60 ".
DECIMAL_TEXT = r"^-?[0-9]{1,14}(\.[0-9]{1,4})?$"
_DECIMAL_TEXT = re.compile(DECIMAL_TEXT)
_LARGEST = 99_999_999_999_999
NUMBER_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": -_LARGEST, "maximum": _LARGEST, "multipleOf": 0.0001},
        {"type": "string", "pattern": DECIMAL_TEXT},
    ]
}


def _plain_decimal_text(value):
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value):
        raise ValueError(
            _(
                "Escriba el número con punto decimal, sin separadores ni espacios, p. ej. «60.5»; "
                "para indicar que no hay dato, envíe null."
            )
        )
    return value


Number = Annotated[
    Decimal,
    BeforeValidator(_plain_decimal_text),
    Field(max_digits=18, decimal_places=4, allow_inf_nan=False),
    WithJsonSchema(NUMBER_SCHEMA),
]
StateCode = Annotated[
    str, Field(pattern=r"^(0[1-9]|[12][0-9]|3[0-2])$", description="Clave INEGI, 01 a 32")
]


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        # A valid date-time whose UTC falls outside year 1..9999: "since" then means "since the
        # beginning" or "nothing newer", never an error the schema does not announce.
        return (dt.datetime.max if value.year > 1 else dt.datetime.min).replace(tzinfo=dt.UTC)


# Strict ISO 8601 date and time (RFC 3339; without an offset, UTC): lax parsing took "0.5" for a
# Unix timestamp, which the schema's date-time format does not allow.
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)


def _datetime_text(value):
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATETIME_TEXT.fullmatch(value):
        raise ValueError(_("Debe ser una fecha y hora ISO 8601, p. ej. 2025-01-31T00:00:00Z."))
    return value


Since = Annotated[
    dt.datetime,
    BeforeValidator(_datetime_text),
    AfterValidator(_utc),
    Field(
        description="Fecha y hora ISO 8601 (RFC 3339), p. ej. 2025-01-31T00:00:00Z; sin zona "
        "horaria se entiende UTC. Solo lo modificado desde entonces."
    ),
]


# Filters: unknown query parameters are ignored.


class InstitutionFilters(Schema):
    state: StateCode | None = None
    kind: InstitutionKind | None = None
    status: OperatingStatus | None = Field(None, description="Situación de operación")
    municipality: str | None = Field(
        None, pattern=r"^[0-9]{5}$", description="Clave INEGI del municipio (cinco dígitos)"
    )


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
    owner: str | None = Field(
        None, pattern=r"^[-a-zA-Z0-9_]{1,60}$", description="Clave de la institución"
    )
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


class InstitutionNameOut(Schema):
    """One name in the institution's history, with the instrument that gave it. A null date
    is unknown, never guessed."""

    sequence: int
    name: str
    acronym: str
    change: str = Field(description="creation, rename o transformation")
    legal_form: str
    legal_form_other: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    instrument: str
    instrument_number: str
    instrument_date: dt.date | None
    instrument_gazette: str
    source: str


class InstitutionOut(Schema):
    slug: str
    kind: str
    state: str | None
    municipality: str | None = Field(description="Clave INEGI del municipio (instancia municipal)")
    name: str
    acronym: str
    legal_form: str
    legal_form_other: str
    operating_status: str
    agency_name: str
    head_name: str
    head_charge: str
    creation_instrument: str
    creation_number: str
    creation_date: dt.date | None
    creation_gazette: str
    source: str
    mission: str
    vision: str
    names: list[InstitutionNameOut] = Field(description="Nombres, del primero al vigente")

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.state.code if obj.state_id else None

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_names(obj) -> list:
        return obj._ordered_names()

    @staticmethod
    def resolve_name(obj) -> str:
        # The state is its own field: the name is today's, unqualified.
        return display_name(obj, qualify=False)

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
    value: Decimal | None = Field(
        description="null cuando se suprime (conteo pequeño o necesario para que otro no se "
        "obtenga por resta)"
    )
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
    progress: Decimal | None = Field(
        description="Avance en por ciento según la regla de la ficha; nunca negativo."
    )
    overachieved: bool
    below_baseline: bool = Field(
        description="Verdadero si el valor está por debajo de la línea base (el avance es 0)."
    )
    version: int
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    updated_at: dt.datetime
    breakdown: list[BreakdownOut]


# Coordination: systems, sessions and acuerdos (public, see endpoints.DESCRIPTION).


class SystemFilters(Schema):
    state: StateCode | None = None
    topic: SystemTopic | None = Field(None, description="Materia del sistema")
    level: SystemLevel | None = Field(None, description="Ámbito del sistema")


class SessionFilters(Schema):
    state: StateCode | None = None
    system: uuid.UUID | None = Field(None, description="Clave pública del sistema")
    year: int | None = Field(None, ge=1900, le=2200, description="Año de la sesión")
    kind: SessionKind | None = None
    status: SessionStatus | None = None


class ResolutionFilters(Schema):
    state: StateCode | None = None
    system: uuid.UUID | None = Field(None, description="Clave pública del sistema")
    session: uuid.UUID | None = Field(None, description="Clave pública de la sesión")
    status: PublicStatus | None = Field(
        None, description="Estado del acuerdo (vencido se calcula con la fecha de hoy)"
    )
    responsible: str | None = Field(
        None,
        pattern=r"^[-a-zA-Z0-9_]{1,60}$",
        description="Clave de una institución responsable o corresponsable",
    )


class SystemMemberOut(Schema):
    """An institution of the registry or an organisation by name (civil society, academia,
    councils): never a person."""

    institution: str | None = Field(
        description="Clave de la institución del registro; null si se registró por nombre"
    )
    name: str = Field(description="Nombre vigente de la institución u organización")
    sector: str
    role: str = Field(description="presidency, secretariat, member o guest")
    has_vote: bool
    joined_on: dt.date
    left_on: dt.date | None

    @staticmethod
    def resolve_institution(obj) -> str | None:
        return obj.institution.slug if obj.institution_id else None

    @staticmethod
    def resolve_name(obj) -> str:
        return display_name(obj.institution) if obj.institution_id else obj.name


class SystemOut(Schema):
    code: uuid.UUID
    name: str
    acronym: str
    topic: str
    level: str
    state: str | None = Field(description="Clave INEGI de la entidad; null en el sistema nacional")
    municipality: str | None = Field(description="Clave INEGI del municipio (sistema municipal)")
    legal_instrument: str
    legal_date: dt.date | None
    presidency: str = Field(description="Cargo que preside el sistema")
    secretariat: str = Field(description="Clave de la institución que ejerce la secretaría técnica")
    quorum_percent: int = Field(
        description="Hay quórum con más de este por ciento de las personas integrantes con voto"
    )
    members: list[SystemMemberOut] = Field(description="Integrantes a la fecha de hoy")

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.state.code if obj.state_id else None

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_secretariat(obj) -> str:
        return obj.secretariat.slug

    @staticmethod
    def resolve_members(obj) -> list:
        return obj.members_today


class SessionOut(Schema):
    code: uuid.UUID
    system: uuid.UUID
    state: str | None
    kind: str
    number: int
    label: str = Field(description="Tipo y número, p. ej. O-2 (segunda ordinaria del año)")
    year: int
    date: dt.date
    modality: str
    status: str = Field(description="scheduled (programada), held (celebrada) o cancelled")
    agenda_items: int = Field(description="Puntos del orden del día")
    members_present: int = Field(
        description="Integrantes a la fecha de la sesión con asistencia registrada"
    )
    voting_members: int = Field(description="Integrantes con voto a la fecha de la sesión")
    voting_present: int = Field(description="De ellos, presentes")
    quorum_required: int = Field(
        description="Presentes con voto necesarios: más del quorum_percent del sistema"
    )
    quorum_met: bool = Field(description="Con la asistencia registrada")
    has_signed_minutes: bool = Field(description="Si se subió el acta firmada (no se publica)")

    @staticmethod
    def resolve_system(obj) -> uuid.UUID:
        return obj.system.code

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.system.state.code if obj.system.state_id else None

    @staticmethod
    def resolve_agenda_items(obj) -> int:
        return obj.agenda_count

    @staticmethod
    def resolve_quorum_required(obj) -> int:
        return quorum_required(obj.voting_members, obj.system.quorum_percent)

    @staticmethod
    def resolve_quorum_met(obj) -> bool:
        needed = quorum_required(obj.voting_members, obj.system.quorum_percent)
        return obj.voting_members > 0 and obj.voting_present >= needed

    @staticmethod
    def resolve_has_signed_minutes(obj) -> bool:
        return obj.has_minutes


class PlanItemRef(Schema):
    plan: str = Field(description="Clave del plan")
    code: str = Field(description="Numeración del elemento en el plan, p. ej. 2.10.3")


class ResolutionOut(Schema):
    code: uuid.UUID
    folio: str = Field(description="Número del acuerdo, p. ej. SEI/2026/O-2/03")
    number: int
    session: uuid.UUID
    system: uuid.UUID
    state: str | None
    text: str
    responsible_institutions: list[str] = Field(
        description="Claves de las instituciones responsables: primero la principal"
    )
    due_date: dt.date | None
    status: str = Field(
        description="in_progress (en proceso, también atendido por verificar), fulfilled "
        "(cumplido: verificado), cancelled u overdue (vencido: abierto pasada su fecha)"
    )
    followup_status: str = Field(
        description="Estado del seguimiento: open, in_progress, done, verified o cancelled"
    )
    done_on: dt.date | None = Field(description="Fecha en que se marcó atendido")
    closed_on: dt.date | None = Field(description="Fecha de verificación o cancelación")
    plan_items: list[PlanItemRef] = Field(
        description="Elementos de plan vinculados que quien consulta puede ver"
    )
    goals: list[uuid.UUID] = Field(
        description="Metas de convenio vinculadas que quien consulta puede ver"
    )
    indicators: list[uuid.UUID] = Field(
        description="Indicadores vinculados que quien consulta puede ver"
    )

    @staticmethod
    def resolve_session(obj) -> uuid.UUID:
        return obj.session.code

    @staticmethod
    def resolve_system(obj) -> uuid.UUID:
        return obj.session.system.code

    @staticmethod
    def resolve_state(obj) -> str | None:
        system = obj.session.system
        return system.state.code if system.state_id else None

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.followup.text

    @staticmethod
    def resolve_responsible_institutions(obj) -> list[str]:
        return [obj.followup.owner.slug, *(i.slug for i in obj.followup.co_owner_list)]

    @staticmethod
    def resolve_due_date(obj) -> dt.date | None:
        return obj.followup.due_date

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.public_status

    @staticmethod
    def resolve_followup_status(obj) -> str:
        return obj.followup.status

    @staticmethod
    def resolve_done_on(obj) -> dt.date | None:
        return obj.followup.done_on

    @staticmethod
    def resolve_closed_on(obj) -> dt.date | None:
        return obj.followup.closed_on

    @staticmethod
    def resolve_plan_items(obj) -> list[dict]:
        return [{"plan": item.plan.code, "code": item.code} for item in obj.visible_plan_items]

    @staticmethod
    def resolve_goals(obj) -> list[uuid.UUID]:
        return [goal.code for goal in obj.visible_goals]

    @staticmethod
    def resolve_indicators(obj) -> list[uuid.UUID]:
        return [indicator.code for indicator in obj.visible_indicators]


# Improvement: evaluations, findings and ASM (public, see endpoints.IMPROVEMENT).


def _institution_filter(description: str = "Clave de la institución evaluada"):
    return Field(None, pattern=r"^[-a-zA-Z0-9_]{1,60}$", description=description)


def _year_filter(description: str):
    return Field(None, ge=1900, le=2200, description=description)


class EvaluationFilters(Schema):
    state: StateCode | None = None
    institution: str | None = _institution_filter()
    year: int | None = _year_filter("Año de la evaluación")
    kind: EvaluationKind | None = Field(None, description="Tipo de evaluación")


class FindingFilters(Schema):
    state: StateCode | None = None
    institution: str | None = _institution_filter()
    year: int | None = _year_filter("Año del hallazgo")
    source: FindingSource | None = Field(None, description="Origen del hallazgo")
    status: PublishedFindingStatus | None = Field(
        None, description="accepted (aceptado) o dismissed (descartado, con su motivo)"
    )
    evaluation: uuid.UUID | None = Field(None, description="Clave pública de la evaluación")


class ImprovementActionFilters(Schema):
    state: StateCode | None = None
    institution: str | None = _institution_filter("Clave de la institución del hallazgo")
    year: int | None = _year_filter("Año del hallazgo al que responde")
    finding: uuid.UUID | None = Field(None, description="Clave pública del hallazgo")
    classification: ActionKind | None = Field(None, description="Clasificación del aspecto")
    priority: Priority | None = None
    status: FollowUpStatus | None = Field(None, description="Estado del seguimiento")
    overdue: bool | None = Field(
        None, description="true: solo los vencidos (abiertos o en proceso pasada su fecha)"
    )
    responsible: str | None = Field(
        None,
        pattern=r"^[-a-zA-Z0-9_]{1,60}$",
        description="Clave de una institución responsable o corresponsable",
    )


class EvaluationOut(Schema):
    code: uuid.UUID
    institution: str = Field(description="Clave de la institución evaluada")
    state: str | None = Field(description="Clave INEGI de la entidad; null en la nacional")
    year: int
    kind: str
    title: str
    evaluator: str = Field(description="Instancia evaluadora (institución o despacho)")
    started_on: dt.date
    ended_on: dt.date | None = Field(description="Conclusión; null si no ha concluido")
    summary: str
    plans: list[str] = Field(description="Claves de los planes evaluados que quien consulta ve")
    goals: list[uuid.UUID] = Field(
        description="Metas de convenio evaluadas que quien consulta puede ver"
    )
    indicators: list[uuid.UUID] = Field(
        description="Indicadores evaluados que quien consulta puede ver"
    )
    findings: int = Field(description="Hallazgos aceptados")
    dismissed_findings: int = Field(description="Hallazgos propuestos que se descartaron")
    has_report: bool = Field(description="Si se subió el informe (no se publica)")
    is_synthetic: bool = Field(description="Dato sintético: inventado para demostración")

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.slug

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.institution.state.code if obj.institution.state_id else None

    @staticmethod
    def resolve_plans(obj) -> list[str]:
        return [plan.code for plan in obj.visible_plans]

    @staticmethod
    def resolve_goals(obj) -> list[uuid.UUID]:
        return [goal.code for goal in obj.visible_goals]

    @staticmethod
    def resolve_indicators(obj) -> list[uuid.UUID]:
        return [indicator.code for indicator in obj.visible_indicators]

    @staticmethod
    def resolve_findings(obj) -> int:
        return obj.accepted_findings


class FindingOut(Schema):
    code: uuid.UUID
    label: str = Field(description="Número del hallazgo en su institución y año, p. ej. H-2026-03")
    number: int
    institution: str
    state: str | None
    year: int
    source: str = Field(
        description="evaluation, red_light (semáforo rojo sostenido), returned_report o resolution"
    )
    evaluation: uuid.UUID | None = Field(description="Evaluación de la que surge")
    indicator: uuid.UUID | None = Field(description="Indicador (público) al que se refiere")
    period: str | None = Field(description="Periodo del indicador, p. ej. 2025-T4")
    resolution: uuid.UUID | None = Field(description="Acuerdo de sesión del que surge")
    text: str
    status: str = Field(description="accepted (aceptado) o dismissed (descartado)")
    dismissal_reason: str = Field(description="Motivo del descarte; vacío si se aceptó")
    decided_on: dt.date | None = Field(description="Fecha en que se aceptó o descartó")
    improvement_actions: int = Field(description="Aspectos susceptibles de mejora que lo atienden")
    is_synthetic: bool

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.slug

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.institution.state.code if obj.institution.state_id else None

    @staticmethod
    def resolve_evaluation(obj) -> uuid.UUID | None:
        return obj.evaluation.code if obj.evaluation_id else None

    @staticmethod
    def resolve_indicator(obj) -> uuid.UUID | None:
        return obj.indicator.code if obj.indicator_id else None

    @staticmethod
    def resolve_period(obj) -> str | None:
        return obj.period.label if obj.period_id else None

    @staticmethod
    def resolve_resolution(obj) -> uuid.UUID | None:
        return obj.resolution.code if obj.resolution_id else None

    @staticmethod
    def resolve_dismissal_reason(obj) -> str:
        return obj.decision_reason if obj.status == PublishedFindingStatus.DISMISSED else ""

    @staticmethod
    def resolve_improvement_actions(obj) -> int:
        return obj.action_count


class ImprovementActionOut(Schema):
    code: uuid.UUID
    label: str = Field(description="Hallazgo y número, p. ej. ASM H-2026-03.1")
    number: int
    finding: uuid.UUID
    evaluation: uuid.UUID | None = Field(description="Evaluación del hallazgo, si surge de una")
    institution: str = Field(description="Clave de la institución del hallazgo")
    state: str | None
    year: int = Field(description="Año del hallazgo")
    text: str
    classification: str = Field(
        description="specific, institutional, interinstitutional o intergovernmental"
    )
    priority: str = Field(description="high, medium o low")
    responsible_institutions: list[str] = Field(
        description="Claves de las instituciones responsables: primero la principal"
    )
    verifier: str = Field(description="Clave de la institución que verifica")
    due_date: dt.date | None
    status: str = Field(
        description="open (abierto), in_progress (en proceso), done (atendido, por verificar), "
        "verified (verificado) o cancelled"
    )
    overdue: bool = Field(
        description="Vencido: abierto o en proceso pasada su fecha compromiso (se calcula hoy)"
    )
    done_on: dt.date | None = Field(description="Fecha en que se marcó atendido")
    closed_on: dt.date | None = Field(description="Fecha de verificación o cancelación")
    is_synthetic: bool

    @staticmethod
    def resolve_finding(obj) -> uuid.UUID:
        return obj.finding.code

    @staticmethod
    def resolve_evaluation(obj) -> uuid.UUID | None:
        return obj.finding.evaluation.code if obj.finding.evaluation_id else None

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.finding.institution.slug

    @staticmethod
    def resolve_state(obj) -> str | None:
        institution = obj.finding.institution
        return institution.state.code if institution.state_id else None

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.finding.year

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.followup.text

    @staticmethod
    def resolve_classification(obj) -> str:
        return obj.kind

    @staticmethod
    def resolve_responsible_institutions(obj) -> list[str]:
        return [obj.followup.owner.slug, *(i.slug for i in obj.followup.co_owner_list)]

    @staticmethod
    def resolve_verifier(obj) -> str:
        return obj.followup.verifier.slug

    @staticmethod
    def resolve_due_date(obj) -> dt.date | None:
        return obj.followup.due_date

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.followup.status

    @staticmethod
    def resolve_done_on(obj) -> dt.date | None:
        return obj.followup.done_on

    @staticmethod
    def resolve_closed_on(obj) -> dt.date | None:
        return obj.followup.closed_on

    @staticmethod
    def resolve_is_synthetic(obj) -> bool:
        return obj.is_synthetic or obj.finding.is_synthetic


# Work programmes (tenant data, see endpoints.WORK_PROGRAMMES).

_CENTS = Decimal("0.01")


def _money(value) -> Decimal:
    # A sum annotation loses the column's scale on SQLite; give every amount two decimals.
    return Decimal(value or 0).quantize(_CENTS)


def _tenths(value) -> Decimal | None:
    """A percentage as its column keeps it (one decimal), also when read by a subquery."""
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


Tenths = Annotated[Decimal | None, BeforeValidator(_tenths)]


class WorkProgrammeFilters(Schema):
    state: StateCode | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="Año del programa")
    stage: Stage | None = Field(None, description="Etapa del programa")


class SourceResourcesOut(Schema):
    source: str = Field(description="federal, state (estatal) o in_kind (en especie)")
    approved: Decimal = Field(description="Aprobado")
    in_force: Decimal = Field(
        description="Vigente: el modificado donde se registró, si no el aprobado"
    )
    exercised: Decimal = Field(description="Ejercido en los informes trimestrales enviados")


class LineResourcesOut(SourceResourcesOut):
    modified: Decimal | None = Field(description="Modificado; null si no se ha modificado")


def _programme_resources(obj) -> list[dict]:
    return [
        {
            "source": source,
            "approved": _money(getattr(obj, f"{source}_approved_total")),
            "in_force": _money(getattr(obj, f"{source}_in_force_total")),
            "exercised": _money(getattr(obj, f"{source}_exercised_total")),
        }
        for source in SOURCES
    ]


class WorkProgrammeOut(Schema):
    code: uuid.UUID
    agreement: uuid.UUID = Field(description="Clave pública del convenio")
    state: str = Field(description="Clave INEGI de la entidad")
    state_institution: str = Field(description="Clave de la institución estatal del convenio")
    year: int
    stage: str = Field(
        description="draft (en elaboración), proposed, observed, corrected, validated, "
        "in_execution o closed"
    )
    stage_changed_at: dt.datetime | None = Field(
        description="Fecha y hora del último cambio de etapa; null en elaboración"
    )
    goals: int = Field(description="Metas del convenio en el programa")
    reports_sent: int = Field(description="Informes trimestrales enviados (no borradores)")
    reports_received: int = Field(description="Informes trimestrales recibidos (acuse)")
    open_observations: int = Field(description="Observaciones sin atender")
    resources: list[SourceResourcesOut] = Field(description="Recursos por fuente")
    closed_on: dt.date | None = Field(description="Fecha de cierre; null si no se ha cerrado")
    is_synthetic: bool = Field(description="Dato sintético: inventado para demostración")
    updated_at: dt.datetime

    @staticmethod
    def resolve_agreement(obj) -> uuid.UUID:
        return obj.agreement.code

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.agreement.state.code

    @staticmethod
    def resolve_state_institution(obj) -> str:
        return obj.agreement.state_institution.slug

    @staticmethod
    def resolve_goals(obj) -> int:
        return obj.goal_count

    @staticmethod
    def resolve_resources(obj) -> list[dict]:
        return _programme_resources(obj)


class ProgrammeLineOut(Schema):
    goal: uuid.UUID = Field(description="Clave pública de la meta del convenio")
    goal_number: int
    goal_description: str
    means_of_verification: str
    responsible_area: str
    planned_q1: Decimal | None = Field(description="Avance programado acumulado al 1.er trimestre")
    planned_q2: Decimal | None
    planned_q3: Decimal | None
    planned_q4: Decimal | None
    achieved_q1: Tenths = Field(
        description="Avance alcanzado que registró el informe enviado del trimestre (con las "
        "cifras aprobadas por la entidad); null si no se ha enviado o no hay avance aprobado"
    )
    achieved_q2: Tenths
    achieved_q3: Tenths
    achieved_q4: Tenths
    validated_q1: Tenths = Field(
        description="Avance con solo las cifras validadas por la institución nacional, "
        "registrado al acusar de recibido el informe del trimestre; null si no se ha recibido"
    )
    validated_q2: Tenths
    validated_q3: Tenths
    validated_q4: Tenths
    resources: list[LineResourcesOut]

    @staticmethod
    def resolve_goal(obj) -> uuid.UUID:
        return obj.goal.code

    @staticmethod
    def resolve_goal_number(obj) -> int:
        return obj.goal.number

    @staticmethod
    def resolve_goal_description(obj) -> str:
        return obj.goal.description

    @staticmethod
    def resolve_resources(obj) -> list[dict]:
        return [
            {
                "source": source,
                "approved": _money(obj.approved(source)),
                "modified": getattr(obj, f"{source}_modified"),
                "in_force": _money(obj.in_force(source)),
                "exercised": _money(getattr(obj, f"{source}_exercised_total")),
            }
            for source in SOURCES
        ]


class QuarterlyReportOut(Schema):
    code: uuid.UUID
    quarter: int
    status: str = Field(
        description="draft (en elaboración), sent (enviado), observed (observado) o "
        "acknowledged (recibido)"
    )
    due_date: dt.date = Field(description="Fecha límite de entrega")
    sent_at: dt.datetime | None
    reviewed_at: dt.datetime | None = Field(description="Recibido u observado")
    narrative: str


class ObservationOut(Schema):
    """An observation of the national institution; never who wrote or answered it."""

    created_at: dt.datetime
    goal_number: int | None = Field(description="Meta observada; null si es sobre el programa")
    quarter: int | None = Field(description="Trimestre del informe observado; null si no")
    text: str
    answered: bool
    answered_at: dt.datetime | None
    answer: str

    @staticmethod
    def resolve_goal_number(obj) -> int | None:
        return obj.line.goal.number if obj.line_id else None

    @staticmethod
    def resolve_quarter(obj) -> int | None:
        return obj.report.quarter if obj.report_id else None

    @staticmethod
    def resolve_answered(obj) -> bool:
        return obj.answered_at is not None


class RefundOut(Schema):
    amount: Decimal | None
    reference: str
    date: dt.date | None


class ClosingDocumentOut(Schema):
    name: str = Field(description="Nombre del archivo (el archivo no se entrega)")
    sha256: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name

    @staticmethod
    def resolve_uploaded_at(obj) -> dt.datetime:
        return obj.created_at


class CheckItemOut(Schema):
    key: str = Field(description="periods, reports, resources o minutes")
    label: str
    ok: bool
    detail: str = Field(description="Por qué no se cumple; vacío si se cumple")


class ClosureOut(Schema):
    closed_on: dt.date | None
    refund: RefundOut
    documents: list[ClosingDocumentOut] = Field(description="Acta de cierre y anexos")
    checklist: list[CheckItemOut] = Field(description="Lo que exige el cierre, y si hoy se cumple")


class StageChangeOut(Schema):
    stage: str = Field(description="Etapa a la que pasó")
    previous: str = Field(description="Etapa anterior")
    on: dt.datetime = Field(description="Cuándo")


class WorkProgrammeDetailOut(WorkProgrammeOut):
    deviation_threshold: Decimal = Field(
        description="Puntos porcentuales de desviación que exigen justificación"
    )
    report_due_days: int = Field(description="Días tras el trimestre para entregar su informe")
    lines: list[ProgrammeLineOut]
    reports: list[QuarterlyReportOut]
    observations: list[ObservationOut]
    stages: list[StageChangeOut] = Field(
        description="Cada cambio de etapa: propuesta, observaciones, correcciones, validación "
        "nacional, ejecución y cierre"
    )
    closure: ClosureOut

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_reports(obj) -> list:
        return list(obj.reports.all())

    @staticmethod
    def resolve_observations(obj) -> list:
        return list(obj.observations.all())

    @staticmethod
    def resolve_stages(obj) -> list:
        return obj.stages

    @staticmethod
    def resolve_closure(obj) -> dict:
        return {
            "closed_on": obj.closed_on,
            "refund": {
                "amount": obj.refund_amount,
                "reference": obj.refund_reference,
                "date": obj.refund_date,
            },
            "documents": list(obj.closing_documents.all()),
            "checklist": obj.checklist,
        }


# Writes.


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("El texto contiene caracteres no permitidos."))
    return value


# PostgreSQL cannot store NUL: the schema says so too (the check stays _no_nul, for its message).
NO_NUL = {"pattern": "^[^\\u0000]*$"}
Text = Annotated[str, AfterValidator(_no_nul), Field(json_schema_extra=NO_NUL)]
Key = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_no_nul)]
MAX_DIMENSIONS, MAX_CATEGORIES = 10, 1000
_KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 40, **NO_NUL}
# Written out so the document states the key rules and the size limits the validator applies.
BREAKDOWN_SCHEMA = {
    "type": "object",
    "maxProperties": MAX_DIMENSIONS,
    "propertyNames": _KEY_SCHEMA,
    "additionalProperties": {
        "type": "object",
        "maxProperties": MAX_CATEGORIES,
        "propertyNames": _KEY_SCHEMA,
        "additionalProperties": NUMBER_SCHEMA,
    },
}


class DraftIn(Schema):
    expected_version: int | None = Field(
        ...,
        ge=1,
        le=2_147_483_647,
        description="La versión que se leyó (null si el periodo aún no tiene reporte). Si otra "
        "persona guardó después, la respuesta es 409 y no se escribe nada.",
    )
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    narrative: Text = Field("", max_length=10000)
    breakdown: Annotated[dict[Key, dict[Key, Number]], WithJsonSchema(BREAKDOWN_SCHEMA)] = Field(
        default_factory=dict,
        description='Por desagregación y categoría, p. ej. {"sex": {"women": "60", "men": "35"}}',
    )
    disaggregation_note: Text = Field("", max_length=2000)

    @field_validator("breakdown")
    @classmethod
    def _few_categories(cls, value: dict) -> dict:
        if len(value) > MAX_DIMENSIONS or any(
            len(categories) > MAX_CATEGORIES for categories in value.values()
        ):
            raise ValueError(_("Demasiadas desagregaciones o categorías."))
        return value


class SubmitIn(Schema):
    expected_version: int = Field(
        ..., ge=1, le=2_147_483_647, description="La versión que se leyó."
    )


# Legal harmonization ----------------------------------------------------------------------


class HarmonizationFilters(Schema):
    provision: str | None = Field(
        None, pattern=r"^[-a-z0-9_]{1,60}$", description="Clave de la disposición"
    )
    state: StateCode | None = None
    status: HarmonizationStatus | None = Field(
        None, description="Estado publicado de la celda (sin_verificar: sin fuente citada)"
    )


class HarmonizationCellOut(Schema):
    """One state's cell. Without a citation (instrument and article, or gazette and date) it is
    published as «sin verificar»: no status and no part of a citation."""

    code: uuid.UUID
    state: str
    state_name: str
    verified: bool
    status: HarmonizationStatus
    instrument: str
    article: str
    gazette: str
    published_on: dt.date | None
    url: str
    is_synthetic: bool

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state.code

    @staticmethod
    def resolve_state_name(obj) -> str:
        return obj.state.short_name

    @staticmethod
    def resolve_verified(obj) -> bool:
        return obj.is_cited

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status if obj.is_cited else HarmonizationStatus.UNVERIFIED

    @staticmethod
    def resolve_instrument(obj) -> str:
        return obj.instrument if obj.is_cited else ""

    @staticmethod
    def resolve_article(obj) -> str:
        return obj.article if obj.is_cited else ""

    @staticmethod
    def resolve_gazette(obj) -> str:
        return obj.gazette if obj.is_cited else ""

    @staticmethod
    def resolve_published_on(obj) -> dt.date | None:
        return obj.published_on if obj.is_cited else None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.url if obj.is_cited else ""


class HarmonizationOut(Schema):
    slug: str
    title: str
    topic: HarmonizationTopic
    federal_source: str
    federal_article: str
    dof_date: dt.date | None = Field(description="Publicación en el DOF; null si no se verificó")
    url: str
    description: str
    cells: list[HarmonizationCellOut]

    @staticmethod
    def resolve_cells(obj) -> list:
        return obj.public

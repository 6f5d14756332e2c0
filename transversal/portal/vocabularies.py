"""The codes the open data publishes: Spanish, under Spanish field names.

The database and the API keep their internal codes (``green``, ``in_force``, ``sex``/``women``);
the open-data files translate each coded column through this one table, and the data
dictionary (the data package descriptor and the /datos/ page) lists every published code with
its meaning and the internal code it stands for. A code missing from a table fails at import,
so a new choice cannot reach the files untranslated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.agreements.models import AgreementStatus, EmphasisArea, Party
from transversal.coordination.api_selectors import PublicStatus
from transversal.coordination.models import (
    SessionKind,
    SessionModality,
    SessionStatus,
    SystemLevel,
    SystemTopic,
)
from transversal.core.lights import Light
from transversal.followup.models import FollowUpStatus
from transversal.improvement.api_selectors import PublishedFindingStatus
from transversal.improvement.models import ActionKind, EvaluationKind, FindingSource, Priority
from transversal.institutions.models import (
    InstitutionKind,
    LegalForm,
    NameChange,
    OperatingStatus,
)
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    Dimension,
    Direction,
    Disaggregation,
    Frequency,
    IndicatorKind,
    Measure,
    MirLevel,
)
from transversal.planning.models import ItemLevel, PlanKind, PlanStatus
from transversal.registers import public as register_public
from transversal.registers.models import Audience, ServiceType
from transversal.workprogrammes.models import Stage


@dataclass(frozen=True)
class Code:
    internal: str  # as stored and as the API gives it
    published: str  # as the open-data files give it
    label: Any  # lazy Spanish meaning


@dataclass(frozen=True)
class Vocabulary:
    codes: tuple[Code, ...]
    # Values outside the table (age groups, municipal codes) are published as they are.
    open: bool = False

    def __post_init__(self):
        published = [code.published for code in self.codes]
        if len(set(published)) != len(published):
            raise ValueError(f"published codes repeat: {published}")

    @property
    def mapping(self) -> dict[str, str]:
        return {code.internal: code.published for code in self.codes}

    @property
    def published(self) -> tuple[str, ...]:
        return tuple(code.published for code in self.codes)

    def publish(self, value: Any) -> Any:
        return self.mapping.get(value, value) if isinstance(value, str) else value

    def explained(self) -> str:
        """ "verde (Aceptable), amarillo (Con riesgo)…" for the data dictionary."""
        return ", ".join(f"{code.published} ({code.label})" for code in self.codes)


def _vocabulary(
    choices: type[models.Choices] | Iterable[tuple[str, Any]],
    published: Mapping[str, str],
    *,
    only: Iterable[str] | None = None,
    open: bool = False,
) -> Vocabulary:
    pairs = list(choices.choices if isinstance(choices, type) else choices)
    wanted = set(only) if only is not None else None
    codes = []
    for value, label in pairs:
        if wanted is not None and value not in wanted:
            continue
        if value not in published:
            raise KeyError(f"no published code for {value!r}")
        codes.append(Code(str(value), published[value], label))
    return Vocabulary(tuple(codes), open=open)


def _categories() -> list[tuple[str, Any]]:
    """Named categories of the breakdowns, each once (``unspecified`` is in sex and age)."""
    seen: dict[str, Any] = {}
    for categories in PARTITION_CATEGORIES.values():
        for value, label in categories:
            seen.setdefault(value, label)
    seen["of_which"] = _("De ellas o ellos (grupos de población)")
    return list(seen.items())


LIGHT = _vocabulary(
    Light, {"green": "verde", "yellow": "amarillo", "red": "rojo", "no_data": "sin_dato"}
)
INSTITUTION_KIND = _vocabulary(
    InstitutionKind,
    {
        "national": "nacional",
        "state_imef": "instancia_estatal",
        "municipal_imm": "instancia_municipal",
        "state_agency": "dependencia_estatal",
        "gender_unit": "unidad_genero",
    },
)
LEGAL_FORM = _vocabulary(
    LegalForm,
    {
        "decentralized": "organismo_descentralizado",
        "centralized": "secretaria",
        "deconcentrated": "desconcentrado",
        "administrative_unit": "unidad_administrativa",
        "other": "otra",
    },
)
OPERATING_STATUS = _vocabulary(
    OperatingStatus,
    {"operating": "en_operacion", "not_operating": "sin_operar", "extinct": "extinta"},
)
NAME_CHANGE = _vocabulary(
    NameChange,
    {"creation": "creacion", "rename": "cambio_nombre", "transformation": "transformacion"},
)
PLAN_KIND = _vocabulary(
    PlanKind,
    {
        "pnd": "pnd",
        "national_program": "programa_nacional",
        "ped": "ped",
        "state_equality_program": "programa_estatal_igualdad",
        "institutional_program": "programa_institucional",
        "municipal_plan": "plan_municipal",
    },
)
PLAN_STATUS = _vocabulary(
    PlanStatus,
    {"published": "publicado", "archived": "archivado"},
    only=(PlanStatus.PUBLISHED, PlanStatus.ARCHIVED),
)
ITEM_LEVEL = _vocabulary(
    ItemLevel,
    {
        "axis": "eje",
        "objective": "objetivo",
        "policy": "politica",
        "strategy": "estrategia",
        "action_line": "linea_accion",
        "item": "elemento",
    },
)
EMPHASIS_AREA = _vocabulary(
    EmphasisArea,
    {
        "discrimination_violence": "discriminacion_violencia",
        "economic_empowerment": "empoderamiento_economico",
        "human_development": "desarrollo_humano",
        "political_participation": "participacion_politica",
        "violence_prevention": "prevencion_violencia",
    },
)
AGREEMENT_STATUS = _vocabulary(
    AgreementStatus,
    {"signed": "firmado", "in_force": "vigente", "concluded": "concluido"},
    only=(AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.CONCLUDED),
)
PARTY = _vocabulary(Party, {"national": "nacional", "state": "estatal"})
MEASURE = _vocabulary(
    Measure,
    {
        "count": "numero_absoluto",
        "percentage": "porcentaje",
        "rate": "tasa",
        "index": "indice",
        "amount": "monto",
    },
)
FREQUENCY = _vocabulary(
    Frequency,
    {
        "monthly": "mensual",
        "quarterly": "trimestral",
        "semiannual": "semestral",
        "annual": "anual",
        "biennial": "bienal",
    },
)
DIRECTION = _vocabulary(Direction, {"ascending": "ascendente", "descending": "descendente"})
DIMENSION = _vocabulary(
    Dimension,
    {
        "efficacy": "eficacia",
        "efficiency": "eficiencia",
        "quality": "calidad",
        "economy": "economia",
    },
)
INDICATOR_KIND = _vocabulary(IndicatorKind, {"strategic": "estrategico", "management": "gestion"})
MIR_LEVEL = _vocabulary(
    MirLevel,
    {"fin": "fin", "proposito": "proposito", "componente": "componente", "actividad": "actividad"},
)
DISAGGREGATION = _vocabulary(
    Disaggregation,
    {
        "sex": "sexo",
        "age": "edad",
        "municipality": "municipio",
        "indigenous": "indigena",
        "afro_mexican": "afromexicana",
        "disability": "discapacidad",
    },
)
CATEGORY = _vocabulary(
    _categories(),
    {
        "women": "mujeres",
        "men": "hombres",
        "unspecified": "no_especificado",
        "0-14": "0-14",
        "15-29": "15-29",
        "30-44": "30-44",
        "45-64": "45-64",
        "65+": "65+",
        "of_which": "de_ellas_o_ellos",
    },
    open=True,  # a municipality's category is its five-digit INEGI code
)
SYSTEM_TOPIC = _vocabulary(
    SystemTopic, {"equality": "igualdad", "violence": "violencia", "other": "otra"}
)
SYSTEM_LEVEL = _vocabulary(
    SystemLevel, {"national": "nacional", "state": "estatal", "municipal": "municipal"}
)
SESSION_KIND = _vocabulary(
    SessionKind,
    {"installation": "instalacion", "ordinary": "ordinaria", "extraordinary": "extraordinaria"},
)
SESSION_MODALITY = _vocabulary(
    SessionModality, {"in_person": "presencial", "virtual": "virtual", "hybrid": "hibrida"}
)
SESSION_STATUS = _vocabulary(
    SessionStatus, {"scheduled": "programada", "held": "celebrada", "cancelled": "cancelada"}
)
RESOLUTION_STATUS = _vocabulary(
    PublicStatus,
    {
        "in_progress": "en_proceso",
        "fulfilled": "cumplido",
        "cancelled": "cancelado",
        "overdue": "vencido",
    },
)
FOLLOWUP_STATUS = _vocabulary(
    FollowUpStatus,
    {
        "open": "abierto",
        "in_progress": "en_proceso",
        "done": "atendido",
        "verified": "verificado",
        "cancelled": "cancelado",
    },
)
EVALUATION_KIND = _vocabulary(
    EvaluationKind,
    {
        "internal": "interna",
        "external": "externa",
        "design": "diseno",
        "process": "procesos",
        "results": "resultados",
        "audit": "auditoria",
        "agreement_review": "revision_convenio",
    },
)
FINDING_SOURCE = _vocabulary(
    FindingSource,
    {
        "evaluation": "evaluacion",
        "red_light": "semaforo_rojo",
        "returned_report": "reporte_devuelto",
        "resolution": "acuerdo",
    },
)
# Only what is published: the system's proposals wait on the pages until a person decides.
FINDING_STATUS = _vocabulary(
    PublishedFindingStatus, {"accepted": "aceptado", "dismissed": "descartado"}
)
ACTION_KIND = _vocabulary(
    ActionKind,
    {
        "specific": "especifico",
        "institutional": "institucional",
        "interinstitutional": "interinstitucional",
        "intergovernmental": "intergubernamental",
    },
)
PRIORITY = _vocabulary(Priority, {"high": "alta", "medium": "media", "low": "baja"})
# Only what is published: a programme in elaboration stays on the pages.
PROGRAMME_STAGE = _vocabulary(
    Stage,
    {
        "proposed": "propuesta",
        "observed": "observada",
        "corrected": "corregida",
        "validated": "validada",
        "in_execution": "en_ejecucion",
        "closed": "cerrada",
    },
    only=[stage for stage in Stage.values if stage != Stage.DRAFT],
)
# The registers' public aggregates (registers.public): their breakdowns and categories.
REGISTER_DIMENSION = _vocabulary(
    [
        ("sex", _("Sexo")),
        ("audience", _("Población a la que se dirige una capacitación")),
        ("service_type", _("Servicio a mujeres")),
        ("sector", _("Sector de las personas integrantes de un mecanismo")),
    ],
    {
        "sex": "sexo",
        "audience": "poblacion_objetivo",
        "service_type": "servicio",
        "sector": "sector",
    },
)
REGISTER_CATEGORY = _vocabulary(
    [
        *register_public.SEX_CATEGORIES,
        *Audience.choices,
        *ServiceType.choices,
        *register_public.SECTOR_CATEGORIES,
    ],
    {
        "women": "mujeres",
        "men": "hombres",
        "unspecified": "no_especificado",
        "public_servants": "personas_servidoras_publicas",
        "general": "poblacion_general",
        "reeducation": "servicios_reeducativos",
        "psychological": "atencion_psicologica",
        "legal": "asesoria_juridica",
        "medical": "atencion_medica",
        "social_work": "trabajo_social",
        "shelter": "refugio",
        "phone_line": "linea_telefonica",
        "empowerment": "empoderamiento_economico",
        "other": "otro_servicio",
        "government": "sector_publico",
        "civil_society": "sociedad_civil",
        "academia": "academia",
        "private": "sector_privado",
        "other_sectors": "otros_sectores",
    },
)

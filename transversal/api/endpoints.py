"""The REST API (django-ninja): public reads without a token, tenant reads and report writes
with one. Every operation declares its auth; ``routing.declared_patterns`` turns that into the
@public/@protected marks the URLconf walker checks."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema
from pydantic import create_model

from transversal.accounts.access import EDIT, scope_for
from transversal.agreements.access import get_agreement_for_user
from transversal.agreements.selectors import visible_agreements
from transversal.api import errors, selectors
from transversal.api.auth import OPTIONAL_SECURITY, token_optional, token_required
from transversal.api.docs import SiteDocs
from transversal.api.errors import Error
from transversal.api.schemas import (
    AgreementFilters,
    AgreementOut,
    DraftIn,
    EvaluationFilters,
    EvaluationOut,
    FindingFilters,
    FindingOut,
    GoalOut,
    HarmonizationFilters,
    HarmonizationOut,
    ImprovementActionFilters,
    ImprovementActionOut,
    IndicatorFilters,
    IndicatorOut,
    InstitutionFilters,
    InstitutionOut,
    PeriodOut,
    PlanFilters,
    PlanItemOut,
    PlanOut,
    ResolutionFilters,
    ResolutionOut,
    SessionFilters,
    SessionOut,
    StateOut,
    SubmitIn,
    SystemFilters,
    SystemOut,
    UpdateFilters,
    UpdateOut,
    WorkProgrammeDetailOut,
    WorkProgrammeFilters,
    WorkProgrammeOut,
)
from transversal.coordination.api_selectors import (
    members_on,
    public_sessions,
    public_systems,
    status_condition,
)
from transversal.core.access import not_found
from transversal.followup.models import FollowUp
from transversal.harmonization.api_selectors import public_provisions
from transversal.improvement.api_selectors import public_findings
from transversal.institutions.models import Institution
from transversal.monitoring.access import (
    get_indicator_for_user,
    get_period_for_user,
    get_update_for_user,
)
from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.selectors import indicators_for
from transversal.monitoring.services import update_save, update_submit
from transversal.planning.access import get_plan_for_user
from transversal.planning.selectors import visible_plans
from transversal.territory.models import State
from transversal.workprogrammes.access import readable_programmes
from transversal.workprogrammes.api_selectors import with_detail, with_figures
from transversal.workprogrammes.selectors import closure_checklist, stage_history

DESCRIPTION = """
Datos abiertos y de seguimiento de Transversal.

**Autenticación.** Las lecturas públicas (planes publicados, convenios firmados, vigentes o
concluidos, indicadores públicos con sus valores aprobados, sistemas de coordinación con sus
sesiones y acuerdos, evaluaciones con sus hallazgos y aspectos susceptibles de mejora) no
requieren token. Con
`Authorization: Bearer <token>` (créelo en `/api/v1/tokens/`) se ven además los datos de las
instituciones de la persona; los de otras entidades responden 404, igual que lo inexistente.
Los programas de trabajo (`/work-programmes`) solo se leen con token.
Un token inválido, revocado o vencido responde 401 aunque la operación sea pública. Tras
demasiados intentos con tokens no válidos desde una misma dirección, todo token enviado desde
ella responde 429 (`too_many_requests`) hasta que termine la ventana que indica `Retry-After`
(en segundos); las peticiones sin token no se limitan. Los tokens se revocan al cambiar o
restablecer la contraseña y cuando la persona deja de ser integrante de todas sus instituciones.

**Paginación.** Las listas aceptan `limit` (1 a 200, 50 por omisión) y `offset` (0 a 1,000,000) y
responden `{"count", "limit", "offset", "items"}`; un `offset` más allá del final da una página
vacía, un valor fuera de rango da 422. Los filtros desconocidos se ignoran. `updated_since` es una
fecha y hora ISO 8601 (RFC 3339, p. ej. `2025-01-31T00:00:00Z`; sin zona horaria se entiende UTC):
cualquier otra cosa, como un número, da 422.

**Números de entrada.** Un número va como número JSON (múltiplo de 0.0001) o como texto decimal
escrito tal cual (`"60.5"`, `"-3"`: punto decimal, hasta 14 dígitos enteros y 4 decimales, sin
espacios, separadores ni exponente). Para «sin dato» envíe `null` u omita el campo: el texto vacío
`""` no es un número y da 422, como lo dice el esquema.

**Errores.** Toda respuesta 4xx/5xx tiene la forma `Error`: `detail` (mensaje en español),
`code` (`not_authenticated`, `forbidden`, `not_found`, `conflict`, `invalid`, `malformed_json`,
`invalid_request`, `method_not_allowed`, `too_many_requests`, `payload_too_large`, `uri_too_long`,
`server_error`) y `errors` (campo y mensaje). 400: reglas del dominio o JSON mal formado; 422: tipos
o formatos de los parámetros; 409: otra persona guardó antes (vuelva a leer la versión); 413: un
cuerpo de más de 256 KB (se rechaza sin leerlo); 414: una consulta (lo que sigue a `?`) de más de
2,048 caracteres. Cada operación declara las respuestas que puede dar.

**Números.** Los decimales se devuelven como texto. Sin ser integrante de la institución
responsable, las desagregaciones de conteos pasan por la misma regla que el portal y los datos
abiertos (`/datos/`): un valor desagregado mayor que cero y menor que el umbral
`OPEN_DATA_MIN_COUNT` (5 por omisión) se suprime (`value: null`, `suppressed: true`), y con él los
valores necesarios para que ninguno pueda obtenerse restando del total. Lo público es solo la
revisión aprobada vigente.
"""

api = NinjaAPI(
    title="Transversal API",
    version="1",
    urls_namespace="api",
    description=DESCRIPTION,
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=SiteDocs(),
)
errors.install(api)

MAX_LIMIT = 200


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Elementos por página (máximo 200)")
    offset: int = Field(0, ge=0, le=1_000_000, description="Elementos que se saltan")


def page_of(item: type[Schema]) -> type[Schema]:
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),
    )


def paginate(queryset: QuerySet, page: PageIn, transform=None) -> dict:
    items = list(queryset[page.offset : page.offset + page.limit])
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [transform(item) for item in items] if transform else items,
    }


def _errors(*codes: int) -> dict:
    # 401 and 429 on every operation: any of them may be called with a token; 414 from
    # routing.MAX_QUERY_LENGTH and 422 from the parameters' types, on every one too.
    return {code: Error for code in (*codes, 401, 414, 422, 429, 500)}


def public_read(
    path: str, response, *, tags: list[str], summary: str, description: str | None = None
):
    """A GET anyone may call; a token widens what it shows."""
    return api.get(
        path,
        response=response,
        auth=token_optional,
        openapi_extra=OPTIONAL_SECURITY,
        tags=tags,
        summary=summary,
        description=description,
    )


PlanCode = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,80}$")]
PeriodLabel = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,12}$")]


# Territory and institutions --------------------------------------------------------------


@public_read(
    "/states",
    {200: page_of(StateOut), **_errors()},
    tags=["territorio"],
    summary="Entidades federativas",
)
def list_states(request: HttpRequest, page: Query[PageIn]):
    return paginate(State.objects.order_by("code"), page)


@public_read(
    "/institutions",
    {200: page_of(InstitutionOut), **_errors()},
    tags=["instituciones"],
    summary="Instituciones",
)
def list_institutions(
    request: HttpRequest, page: Query[PageIn], filters: Query[InstitutionFilters]
):
    queryset = (
        Institution.objects.with_names()
        .select_related("municipality")
        .order_by("state__code", "kind", "slug", "pk")
    )
    if filters.state:
        queryset = queryset.filter(state__code=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(operating_status=filters.status)
    if filters.municipality:
        queryset = queryset.filter(municipality__code=filters.municipality)
    return paginate(queryset, page)


InstitutionSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,60}$")]


@public_read(
    "/institutions/{slug}",
    {200: InstitutionOut, **_errors(404)},
    tags=["instituciones"],
    summary="Una institución, con su historial de nombres",
)
def get_institution(request: HttpRequest, slug: InstitutionSlug):
    # The registry is public, like the institution's page.
    institution = (
        Institution.objects.with_names().select_related("municipality").filter(slug=slug).first()
    )
    if institution is None:
        raise not_found()
    return institution


# Plans -----------------------------------------------------------------------------------


@public_read(
    "/plans", {200: page_of(PlanOut), **_errors()}, tags=["planes"], summary="Planes y programas"
)
def list_plans(request: HttpRequest, page: Query[PageIn], filters: Query[PlanFilters]):
    queryset = visible_plans(request.user).order_by(
        "state__code", "kind", "-start_year", "title", "pk"
    )
    if filters.state:
        queryset = queryset.filter(state__code=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return paginate(queryset, page)


@public_read("/plans/{code}", {200: PlanOut, **_errors(404)}, tags=["planes"], summary="Un plan")
def get_plan(request: HttpRequest, code: PlanCode):
    plan, _scope = get_plan_for_user(request.user, code)
    return plan


@public_read(
    "/plans/{code}/items",
    {200: page_of(PlanItemOut), **_errors(404)},
    tags=["planes"],
    summary="Elementos de un plan, en orden",
)
def list_plan_items(request: HttpRequest, code: PlanCode, page: Query[PageIn]):
    plan, _scope = get_plan_for_user(request.user, code)
    return paginate(plan.items.select_related("parent").order_by("order", "pk"), page)


# Agreements ------------------------------------------------------------------------------


@public_read(
    "/agreements",
    {200: page_of(AgreementOut), **_errors()},
    tags=["convenios"],
    summary="Convenios de colaboración",
)
def list_agreements(request: HttpRequest, page: Query[PageIn], filters: Query[AgreementFilters]):
    queryset = visible_agreements(scope_for(request.user)).select_related(
        "state", "state_institution"
    )
    queryset = queryset.order_by("state__code", "-valid_from", "title", "pk")
    if filters.state:
        queryset = queryset.filter(state__code=filters.state)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.updated_since:
        queryset = queryset.filter(updated_at__gte=filters.updated_since)
    return paginate(queryset, page)


@public_read(
    "/agreements/{code}",
    {200: AgreementOut, **_errors(404)},
    tags=["convenios"],
    summary="Un convenio",
)
def get_agreement(request: HttpRequest, code: uuid.UUID):
    agreement, _scope = get_agreement_for_user(request.user, code)
    return agreement


@public_read(
    "/agreements/{code}/goals",
    {200: page_of(GoalOut), **_errors(404)},
    tags=["convenios"],
    summary="Metas de un convenio",
)
def list_agreement_goals(request: HttpRequest, code: uuid.UUID, page: Query[PageIn]):
    agreement, _scope = get_agreement_for_user(request.user, code)
    return paginate(agreement.goals.order_by("number", "pk"), page)


# Indicators, periods and updates ---------------------------------------------------------


@public_read(
    "/indicators",
    {200: page_of(IndicatorOut), **_errors()},
    tags=["indicadores"],
    summary="Indicadores",
)
def list_indicators(request: HttpRequest, page: Query[PageIn], filters: Query[IndicatorFilters]):
    queryset = indicators_for(scope_for(request.user)).order_by("owner__slug", "name", "pk")
    queryset = _filtered(
        queryset,
        filters,
        (
            ("state", "owner__state__code"),
            ("owner", "owner__slug"),
            ("frequency", "frequency"),
            ("kind", "kind"),
            ("measure", "measure"),
            ("public", "is_public"),
            ("updated_since", "updated_at__gte"),
        ),
    )
    return paginate(queryset, page)


@public_read(
    "/indicators/{code}",
    {200: IndicatorOut, **_errors(404)},
    tags=["indicadores"],
    summary="Un indicador con su ficha técnica",
)
def get_indicator(request: HttpRequest, code: uuid.UUID):
    indicator, _scope = get_indicator_for_user(request.user, str(code))
    return indicator


@public_read(
    "/indicators/{code}/periods",
    {200: page_of(PeriodOut), **_errors(404)},
    tags=["indicadores"],
    summary="Calendario de reporte con metas y último valor aprobado",
)
def list_indicator_periods(request: HttpRequest, code: uuid.UUID, page: Query[PageIn]):
    indicator, _scope = get_indicator_for_user(request.user, str(code))
    return paginate(selectors.periods_with_approved(indicator), page)


@public_read(
    "/updates",
    {200: page_of(UpdateOut), **_errors()},
    tags=["avances"],
    summary="Reportes de avance (los aprobados de indicadores públicos, más los propios con token)",
)
def list_updates(request: HttpRequest, page: Query[PageIn], filters: Query[UpdateFilters]):
    scope = scope_for(request.user)
    queryset = selectors.updates_for(scope).order_by(
        "period__indicator__code", "period__start", "-revision", "pk"
    )
    queryset = _filtered(
        queryset,
        filters,
        (
            ("state", "period__indicator__owner__state__code"),
            ("indicator", "period__indicator__code"),
            ("status", "status"),
            ("current", "is_current"),
            ("updated_since", "updated_at__gte"),
        ),
    )
    return paginate(queryset, page, lambda update: selectors.update_as_seen_by(scope, update))


@public_read(
    "/updates/{code}",
    {200: UpdateOut, **_errors(404)},
    tags=["avances"],
    summary="Un reporte de avance",
)
def get_update(request: HttpRequest, code: uuid.UUID):
    scope = scope_for(request.user)
    update = selectors.updates_for(scope).filter(code=code).first()
    if update is None:
        raise not_found()
    return selectors.update_as_seen_by(scope, update)


# Coordination systems, sessions and acuerdos ------------------------------------------------

COORDINATION = """Los sistemas de coordinación, sus sesiones (programadas, celebradas o
canceladas) y sus acuerdos son públicos: se leen sin token y un token no agrega ni quita nada,
salvo los vínculos de un acuerdo con elementos de plan, metas e indicadores, que se listan cuando
quien consulta puede verlos (los publicados para todos; con token, también los de sus
instituciones). No se publican nombres de personas (la persona responsable de un acuerdo, quienes
representan a las integrantes en una sesión), el orden del día, las notas, las evidencias ni el
acta firmada, solo si existe."""


@public_read(
    "/systems",
    {200: page_of(SystemOut), **_errors()},
    tags=["coordinación"],
    summary="Sistemas de coordinación, con sus integrantes de hoy",
    description=COORDINATION,
)
def list_systems(request: HttpRequest, page: Query[PageIn], filters: Query[SystemFilters]):
    queryset = public_systems().prefetch_related(members_on(timezone.localdate()))
    queryset = _filtered(
        queryset,
        filters,
        (("state", "state__code"), ("topic", "topic"), ("level", "level")),
    )
    return paginate(queryset, page)


@public_read(
    "/systems/{code}",
    {200: SystemOut, **_errors(404)},
    tags=["coordinación"],
    summary="Un sistema de coordinación",
    description=COORDINATION,
)
def get_system(request: HttpRequest, code: uuid.UUID):
    system = (
        public_systems().prefetch_related(members_on(timezone.localdate())).filter(code=code)
    ).first()
    if system is None:
        raise not_found()
    return system


@public_read(
    "/sessions",
    {200: page_of(SessionOut), **_errors()},
    tags=["coordinación"],
    summary="Sesiones de los sistemas, con asistencia y quórum",
    description=COORDINATION,
)
def list_sessions(request: HttpRequest, page: Query[PageIn], filters: Query[SessionFilters]):
    queryset = public_sessions()
    queryset = _filtered(
        queryset,
        filters,
        (
            ("state", "system__state__code"),
            ("system", "system__code"),
            ("year", "year"),
            ("kind", "kind"),
            ("status", "status"),
        ),
    )
    return paginate(queryset, page)


@public_read(
    "/sessions/{code}",
    {200: SessionOut, **_errors(404)},
    tags=["coordinación"],
    summary="Una sesión",
    description=COORDINATION,
)
def get_session(request: HttpRequest, code: uuid.UUID):
    session = public_sessions().filter(code=code).first()
    if session is None:
        raise not_found()
    return session


@public_read(
    "/resolutions",
    {200: page_of(ResolutionOut), **_errors()},
    tags=["coordinación"],
    summary="Acuerdos de las sesiones, con su estado y sus vínculos",
    description=COORDINATION,
)
def list_resolutions(request: HttpRequest, page: Query[PageIn], filters: Query[ResolutionFilters]):
    today = timezone.localdate()
    queryset = selectors.resolutions_for(request.user, scope_for(request.user), today)
    queryset = _filtered(
        queryset,
        filters,
        (
            ("state", "session__system__state__code"),
            ("system", "session__system__code"),
            ("session", "session__code"),
        ),
    )
    if filters.status is not None:
        queryset = queryset.filter(status_condition(filters.status, today))
    if filters.responsible is not None:
        shared = FollowUp.co_owners.through.objects.filter(institution__slug=filters.responsible)
        queryset = queryset.filter(
            Q(followup__owner__slug=filters.responsible)
            | Q(followup_id__in=shared.values("followup_id"))
        )
    return paginate(queryset, page)


@public_read(
    "/resolutions/{code}",
    {200: ResolutionOut, **_errors(404)},
    tags=["coordinación"],
    summary="Un acuerdo",
    description=COORDINATION,
)
def get_resolution(request: HttpRequest, code: uuid.UUID):
    today = timezone.localdate()
    resolution = (
        selectors.resolutions_for(request.user, scope_for(request.user), today)
        .filter(code=code)
        .first()
    )
    if resolution is None:
        raise not_found()
    return resolution


# Improvement: evaluations, findings and ASM ---------------------------------------------------

IMPROVEMENT = """Las evaluaciones, los hallazgos y los aspectos susceptibles de mejora (ASM) son
públicos: se leen sin token y un token no agrega ni quita nada, salvo los planes, metas e
indicadores que cubre una evaluación, que se listan cuando quien consulta puede verlos (los
publicados para todos; con token, también los de sus instituciones). Se publican los hallazgos que
una persona aceptó o descartó (con el motivo del descarte); no los que el sistema propuso y nadie
ha decidido aún, ni los que se refieren a un indicador que no es público, ni los ASM que los
atienden. No se publican nombres de personas (la persona responsable de un ASM, quien decidió un
hallazgo o verificó un ASM), las notas, las evidencias ni el informe de la evaluación, solo si
existe."""


def _filtered(queryset: QuerySet, filters: Schema, lookups: tuple[tuple[str, str], ...]):
    for name, lookup in lookups:
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{lookup: value})
    return queryset


@public_read(
    "/evaluations",
    {200: page_of(EvaluationOut), **_errors()},
    tags=["mejora"],
    summary="Evaluaciones, con sus hallazgos contados",
    description=IMPROVEMENT,
)
def list_evaluations(request: HttpRequest, page: Query[PageIn], filters: Query[EvaluationFilters]):
    queryset = selectors.evaluations_for(request.user, scope_for(request.user))
    lookups = (
        ("state", "institution__state__code"),
        ("institution", "institution__slug"),
        ("year", "year"),
        ("kind", "kind"),
    )
    return paginate(_filtered(queryset, filters, lookups), page)


@public_read(
    "/evaluations/{code}",
    {200: EvaluationOut, **_errors(404)},
    tags=["mejora"],
    summary="Una evaluación",
    description=IMPROVEMENT,
)
def get_evaluation(request: HttpRequest, code: uuid.UUID):
    queryset = selectors.evaluations_for(request.user, scope_for(request.user))
    evaluation = queryset.filter(code=code).first()
    if evaluation is None:
        raise not_found()
    return evaluation


@public_read(
    "/findings",
    {200: page_of(FindingOut), **_errors()},
    tags=["mejora"],
    summary="Hallazgos aceptados o descartados",
    description=IMPROVEMENT,
)
def list_findings(request: HttpRequest, page: Query[PageIn], filters: Query[FindingFilters]):
    lookups = (
        ("state", "institution__state__code"),
        ("institution", "institution__slug"),
        ("year", "year"),
        ("source", "source"),
        ("status", "status"),
        ("evaluation", "evaluation__code"),
    )
    return paginate(_filtered(public_findings(), filters, lookups), page)


@public_read(
    "/findings/{code}",
    {200: FindingOut, **_errors(404)},
    tags=["mejora"],
    summary="Un hallazgo",
    description=IMPROVEMENT,
)
def get_finding(request: HttpRequest, code: uuid.UUID):
    finding = public_findings().filter(code=code).first()
    if finding is None:
        raise not_found()
    return finding


@public_read(
    "/improvement-actions",
    {200: page_of(ImprovementActionOut), **_errors()},
    tags=["mejora"],
    summary="Aspectos susceptibles de mejora, con su estado y si están vencidos",
    description=IMPROVEMENT,
)
def list_improvement_actions(
    request: HttpRequest, page: Query[PageIn], filters: Query[ImprovementActionFilters]
):
    queryset = selectors.actions_public(timezone.localdate())
    lookups = (
        ("state", "finding__institution__state__code"),
        ("institution", "finding__institution__slug"),
        ("year", "finding__year"),
        ("finding", "finding__code"),
        ("classification", "kind"),
        ("priority", "priority"),
        ("status", "followup__status"),
        ("overdue", "overdue"),
    )
    queryset = _filtered(queryset, filters, lookups)
    if filters.responsible is not None:
        shared = FollowUp.co_owners.through.objects.filter(institution__slug=filters.responsible)
        queryset = queryset.filter(
            Q(followup__owner__slug=filters.responsible)
            | Q(followup_id__in=shared.values("followup_id"))
        )
    return paginate(queryset, page)


@public_read(
    "/improvement-actions/{code}",
    {200: ImprovementActionOut, **_errors(404)},
    tags=["mejora"],
    summary="Un aspecto susceptible de mejora",
    description=IMPROVEMENT,
)
def get_improvement_action(request: HttpRequest, code: uuid.UUID):
    action = selectors.actions_public(timezone.localdate()).filter(code=code).first()
    if action is None:
        raise not_found()
    return action


# Work programmes: the convenio's yearly cycle ------------------------------------------------

WORK_PROGRAMMES = """Los programas anuales de trabajo de los convenios, sus metas, recursos por
fuente, informes trimestrales, observaciones y cierre son datos de las instituciones: requieren un
token y se ven los de las entidades de las instituciones de la persona (todos, para la institución
nacional); los de otra entidad responden 404, igual que lo inexistente. Los datos abiertos
(`/datos/programas.csv`, `/datos/programas-metas.csv`) publican, sin token, las cifras de los
programas que ya salieron de elaboración. No se publican nombres de personas (quién observó,
atendió, envió, revisó, subió el acta o cerró), ni los archivos de cierre, solo su nombre y su
huella SHA-256."""


def tenant_read(
    path: str, response, *, tags: list[str], summary: str, description: str | None = None
):
    """A GET that needs a token: it reads the caller's institutions' data only."""
    return api.get(
        path,
        response=response,
        auth=token_required,
        tags=tags,
        summary=summary,
        description=description,
    )


@tenant_read(
    "/work-programmes",
    {200: page_of(WorkProgrammeOut), **_errors()},
    tags=["programas de trabajo"],
    summary="Programas anuales de trabajo, con sus metas, informes y recursos por fuente",
    description=WORK_PROGRAMMES,
)
def list_work_programmes(
    request: HttpRequest, page: Query[PageIn], filters: Query[WorkProgrammeFilters]
):
    queryset = with_figures(readable_programmes(scope_for(request.user))).order_by(
        "agreement__state__code", "-year", "agreement__code", "pk"
    )
    lookups = (("state", "agreement__state__code"), ("year", "year"), ("stage", "stage"))
    return paginate(_filtered(queryset, filters, lookups), page)


@tenant_read(
    "/work-programmes/{code}",
    {200: WorkProgrammeDetailOut, **_errors(404)},
    tags=["programas de trabajo"],
    summary="Un programa de trabajo: metas, recursos, informes, observaciones y cierre",
    description=WORK_PROGRAMMES,
)
def get_work_programme(request: HttpRequest, code: uuid.UUID):
    programme = with_detail(readable_programmes(scope_for(request.user))).filter(code=code).first()
    if programme is None:
        raise not_found()
    programme.checklist = closure_checklist(programme)
    programme.stages = stage_history(programme)
    return programme


# Writes: the same services as the pages ----------------------------------------------------


@api.put(
    "/indicators/{code}/periods/{label}/draft",
    auth=token_required,
    tags=["avances"],
    response={200: UpdateOut, **_errors(400, 403, 404, 409, 413)},
    summary="Crear o editar el borrador del reporte de un periodo",
)
def save_draft(request: HttpRequest, code: uuid.UUID, label: PeriodLabel, data: DraftIn):
    period, _scope = get_period_for_user(request.user, str(code), label, EDIT)
    update = update_save(
        actor=request.user,
        period=period,
        expected_version=data.expected_version,
        value=data.value,
        numerator=data.numerator,
        denominator=data.denominator,
        narrative=data.narrative,
        breakdown=data.breakdown,
        disaggregation_note=data.disaggregation_note,
    )
    return selectors.update_as_seen_by(scope_for(request.user), _reload(update))


@api.post(
    "/updates/{code}/submit",
    auth=token_required,
    tags=["avances"],
    response={200: UpdateOut, **_errors(400, 403, 404, 409, 413)},
    summary="Enviar un borrador a revisión",
)
def submit_update(request: HttpRequest, code: uuid.UUID, data: SubmitIn):
    update, scope = get_update_for_user(request.user, str(code), EDIT)
    update = update_submit(
        actor=request.user, update=update, expected_version=data.expected_version
    )
    return selectors.update_as_seen_by(scope, _reload(update))


def _reload(update: ProgressUpdate) -> ProgressUpdate:
    return (
        ProgressUpdate.objects.select_related("period__indicator__owner__state")
        .prefetch_related("breakdown")
        .get(pk=update.pk)
    )


# Legal harmonization ----------------------------------------------------------------------

HARMONIZATION = """La matriz de armonización legislativa: cada disposición de referencia, con su
fuente federal fechada, y una celda por entidad. El estado de una celda se publica solo si cita su
fuente (instrumento estatal y artículo, o periódico oficial y fecha de publicación); sin ella la
celda se publica como `sin_verificar`, sin estado ni partes de la cita. Pública, sin token."""


@public_read(
    "/harmonization",
    {200: page_of(HarmonizationOut), **_errors()},
    tags=["armonización"],
    summary="Disposiciones de referencia, con la celda de cada entidad",
    description=HARMONIZATION,
)
def list_harmonization(
    request: HttpRequest, page: Query[PageIn], filters: Query[HarmonizationFilters]
):
    return paginate(
        public_provisions(
            provision=filters.provision,
            state=filters.state,
            status=filters.status.value if filters.status else None,
        ),
        page,
    )


# Gender statistics, and the registers' entries and public aggregates (their own modules,
# registered on import) -------------------------------------------------------------------
from transversal.api import registers as _registers  # noqa: E402, F401
from transversal.api import statistics as _statistics  # noqa: E402, F401

"""Demo plans: the national frameworks (PROIGUALDAD 2020-2024 and the Programa Sectorial de las
Mujeres 2025-2030, from ``national_frameworks``), Zacatecas' PED 2022-2027 (policy 2.10) read from
the seed through the upload code path, Durango's institutional programme, and a few
alignments. Idempotent; everything goes through the services with actor None.

Choice: the PED is issued by the Government of Zacatecas, which is not an institution
in Transversal; it is kept by Zacatecas' women's institute (``institution``) and
``issuer_name`` records the issuing government.
"""

from __future__ import annotations

from transversal.institutions import demo as institutions_demo
from transversal.institutions.models import Institution
from transversal.institutions.services import institution_update_profile
from transversal.planning import national_frameworks
from transversal.planning.ingest import (
    DraftItem,
    DraftPlan,
    extract_text,
    parse_plan,
    parse_profile,
)
from transversal.planning.ingest.seeds import find_seed
from transversal.planning.models import Plan, PlanItem, PlanKind, PlanStatus
from transversal.planning.services import (
    active_alignments,
    alignment_create,
    national_frameworks_load,
    plan_create_from_draft,
    plan_publish,
)

PROIGUALDAD = national_frameworks.PROIGUALDAD.code
SECTORIAL = national_frameworks.SECTORIAL_MUJERES.code
PED_ZACATECAS = "ped-zacatecas-2022-2027"
DURANGO_PROGRAM = "programa-institucional-iem-durango"

# The six priority objectives, summarised in our own words.
PROIGUALDAD_OBJECTIVES = [text for _number, text in national_frameworks.PROIGUALDAD.objectives]


def _published(plan: Plan) -> Plan:
    if plan.status == PlanStatus.DRAFT:
        plan = plan_publish(actor=None, plan=plan)
    return plan


def _link(plan_from: str, code_from: str, plan_to: str, code_to: str, note: str, log) -> None:
    source = (
        PlanItem.objects.filter(plan__code=plan_from, code=code_from).select_related("plan").first()
    )
    target = (
        PlanItem.objects.filter(plan__code=plan_to, code=code_to).select_related("plan").first()
    )
    if source is None or target is None:
        return
    if active_alignments().filter(from_item=source, to_item=target).exists():
        return
    alignment_create(actor=None, from_item=source, to_item=target, note=note)
    log(f"  alineación {plan_from} {code_from} → {plan_to} {code_to}")


def load(log) -> None:
    _durango_profile_from_seed(log)
    for code in national_frameworks_load(actor=None):
        log(f"Plan nacional: {code}")

    zacatecas = Institution.objects.filter(slug="semujer-zacatecas").first()
    seed = find_seed("004_")
    if (
        seed is not None
        and zacatecas is not None
        and not Plan.objects.filter(code=PED_ZACATECAS).exists()
    ):
        data = seed.read_bytes()
        extracted = extract_text(data, seed.name)  # the same path as an upload
        draft = parse_plan(extracted.text, extracted.footnotes)
        plan = plan_create_from_draft(
            actor=None,
            institution=zacatecas,
            kind=PlanKind.PED,
            draft=draft,
            source=data,
            source_name="ped-zacatecas-2022-2027-politica-2.10.txt",
            code=PED_ZACATECAS,
            title="Plan Estatal de Desarrollo de Zacatecas 2022-2027 (política pública 2.10)",
            issuer_name="Gobierno del Estado de Zacatecas",
        )
        _published(plan)
        log("Plan: PED Zacatecas 2022-2027, política 2.10")

    durango = Institution.objects.filter(slug="iem-durango").first()
    profile_seed = find_seed("002_")
    if (
        profile_seed is not None
        and durango is not None
        and not Plan.objects.filter(code=DURANGO_PROGRAM).exists()
    ):
        profile = parse_profile(extract_text(profile_seed.read_bytes(), profile_seed.name).text)
        if profile.objectives:
            draft = DraftPlan(
                "Programa institucional",
                None,
                None,
                [
                    DraftItem(code=str(n), level="objective", text=text)
                    for n, text in enumerate(profile.objectives, 1)
                ],
            )
            plan = plan_create_from_draft(
                actor=None,
                institution=durango,
                kind=PlanKind.INSTITUTIONAL_PROGRAM,
                draft=draft,
                code=DURANGO_PROGRAM,
                title="Objetivos institucionales del Instituto Estatal de las Mujeres de Durango",
            )
            _published(plan)
            log("Plan: objetivos institucionales de Durango")

    _link(
        PED_ZACATECAS,
        "2.10.3",
        PROIGUALDAD,
        "4",
        "Protección y atención a víctimas de violencia.",
        log,
    )
    _link(PED_ZACATECAS, "2.10.1", PROIGUALDAD, "1", "Empoderamiento económico.", log)
    _link(PED_ZACATECAS, "2.10.6", PROIGUALDAD, "5", "Participación y liderazgos de mujeres.", log)
    _link(DURANGO_PROGRAM, "2", PROIGUALDAD, "5", "Políticas de igualdad y empoderamiento.", log)
    _link(DURANGO_PROGRAM, "1", PROIGUALDAD, "1", "Acceso a bienes y servicios.", log)
    # The same plans under the framework in force since 2025.
    _link(
        PED_ZACATECAS,
        "2.10.3",
        SECTORIAL,
        "3",
        "Atención a mujeres en situación de violencia.",
        log,
    )
    _link(PED_ZACATECAS, "2.10.6", SECTORIAL, "6", "Participación y liderazgos de mujeres.", log)
    _link(DURANGO_PROGRAM, "2", SECTORIAL, "1", "Políticas de igualdad y transversalidad.", log)


def _durango_profile_from_seed(log) -> None:
    """Mission, vision and objectives come from seed 002 through the ingestion parser, when
    present."""
    durango = Institution.objects.get(slug=institutions_demo.DURANGO)
    if durango.mission:
        return
    path = find_seed("002_")
    if path is None:
        log(
            "Sin la carpeta de documentos fuente: el perfil de Durango muestra solo los hechos "
            "registrados."
        )
        return
    profile = parse_profile(path.read_text(encoding="utf-8"))
    institution_update_profile(
        actor=None,
        institution=durango,
        mission=profile.mission or "",
        vision=profile.vision or "",
        objectives=list(profile.objectives),
    )
    log(f"Durango: misión, visión y {len(profile.objectives)} objetivos leídos de {path.name}.")

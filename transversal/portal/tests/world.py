"""A small country for portal tests: public data next to private data marked with
distinctive strings, so a test can prove the private part never leaks."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from transversal.agreements.models import Agreement, Commitment, Goal
from transversal.api.tests import coordination_world, improvement_world, programmes_world
from transversal.monitoring.models import Evidence, Indicator
from transversal.monitoring.services import (
    comment_add,
    evidence_add,
    periods_generate,
    targets_update,
    update_return,
    update_save,
    update_submit,
)
from transversal.monitoring.tests.factories import (
    approve_all_levels,
    indicator_with_calendar,
    period,
    second_pair_of_eyes,
)
from transversal.planning.models import Plan, PlanItem, PlanStatus
from transversal.registers.tests import public_world as registers_world

# What must never reach the public, as text a test can search for.
SECRETS = {
    "draft value": "654321",
    "submitted value": "432198",
    "returned value": "876543",
    "private indicator value": "111222",
    "draft narrative": "MARCA-NARRATIVA-BORRADOR",
    "submitted narrative": "MARCA-NARRATIVA-ENVIADA",
    "review comment": "MARCA-OBSERVACION-REVISION",
    "return comment": "MARCA-DEVOLUCION-REVISION",
    "private indicator": "MARCA-INDICADOR-PRIVADO",
    "draft agreement": "MARCA-CONVENIO-BORRADOR",
    "draft agreement goal": "MARCA-META-BORRADOR",
    "draft agreement commitment": "MARCA-COMPROMISO-BORRADOR",
    "draft plan": "MARCA-PLAN-BORRADOR",
    "draft plan item": "MARCA-ELEMENTO-BORRADOR",
    "private evidence": "marca-evidencia-privada",
    "evidence of an unapproved report": "marca-evidencia-enviada",
    # People's names on an acuerdo and an attendance list: the coordination files give neither.
    "acuerdo responsible person": coordination_world.PERSON,
    "session representative": coordination_world.REPRESENTATIVE,
    # An ASM's responsible person, who dismissed a finding, a note, an evaluation's report, and
    # findings about a private indicator with their ASM: the improvement files give none.
    "asm responsible person": improvement_world.PERSON,
    "finding decided by": improvement_world.DECIDER,
    "asm note": improvement_world.NOTE,
    "evaluation report": improvement_world.REPORT,
    "finding about a private indicator": improvement_world.PRIVATE_FINDING,
    "finding about a private period": improvement_world.PRIVATE_PERIOD_FINDING,
    "asm of an unpublished finding": improvement_world.PRIVATE_ASM,
    # Who observed or sent a work programme, an observation, a draft report's narrative and the
    # closing minutes: the programme files give figures only.
    "programme observer": programmes_world.OBSERVER,
    "programme sender": programmes_world.SENDER,
    "programme observation": programmes_world.OBSERVATION,
    "programme draft narrative": programmes_world.DRAFT_NARRATIVE,
    "programme closing minutes": programmes_world.MINUTES,
}
HYPERLINK = '=HYPERLINK("http://malicioso.example","clic")'


def pdf(width: int = 300) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=width, height=300)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class World:
    state_slug: str
    institution: object
    plan: Plan
    draft_plan: Plan
    agreement: Agreement
    draft_agreement: Agreement
    indicator: Indicator
    private_indicator: Indicator
    public_evidence: Evidence
    private_evidence: Evidence
    unapproved_evidence: Evidence
    coordination: coordination_world.CoordinationWorld
    improvement: improvement_world.ImprovementWorld
    programmes: programmes_world.ProgrammesWorld


def build_world(durango, national) -> World:
    plan = Plan.objects.create(
        code="ped-durango-2023-2028",
        kind="ped",
        title="Plan Estatal de Desarrollo de Durango",
        institution=durango,
        state=durango.state,
        start_year=2023,
        end_year=2028,
        status=PlanStatus.PUBLISHED,
    )
    axis = PlanItem.objects.create(
        plan=plan, level="axis", code="2", text="Igualdad sustantiva", order=1
    )
    PlanItem.objects.create(
        plan=plan,
        parent=axis,
        level="objective",
        code="2.1",
        depth=1,
        order=2,
        text="Transversalizar la perspectiva de género",
    )
    draft_plan = Plan.objects.create(
        code="plan-borrador",
        kind="state_equality_program",
        state=durango.state,
        title=SECRETS["draft plan"],
        institution=durango,
        status=PlanStatus.DRAFT,
    )
    PlanItem.objects.create(
        plan=draft_plan, level="axis", code="1", text=SECRETS["draft plan item"], order=1
    )

    agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        round="IP-321",
        title="Convenio de colaboración Durango 2025",
        status="in_force",
        signed_on=dt.date(2025, 2, 3),
        valid_from=dt.date(2025, 2, 3),
        valid_to=dt.date(2025, 12, 31),
        purpose="Impulsar la igualdad sustantiva en la administración estatal.",
        emphasis_areas=["economic_empowerment", "violence_prevention"],
    )
    goal = Goal.objects.create(
        agreement=agreement,
        number=1,
        description="Capacitar al personal estatal",
        due_date=dt.date(2025, 12, 31),
    )
    Goal.objects.create(agreement=agreement, number=2, description=HYPERLINK)
    Commitment.objects.create(
        agreement=agreement, party="national", number=1, text="Brindar asistencia técnica"
    )
    Commitment.objects.create(
        agreement=agreement, party="state", number=1, text="Reportar avances trimestrales"
    )
    draft_agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        title=SECRETS["draft agreement"],
        status="draft",
    )
    draft_goal = Goal.objects.create(
        agreement=draft_agreement, number=1, description=SECRETS["draft agreement goal"]
    )
    Commitment.objects.create(
        agreement=draft_agreement,
        party="state",
        number=1,
        text=SECRETS["draft agreement commitment"],
    )

    indicator = indicator_with_calendar(
        durango,
        name="Personas capacitadas en igualdad sustantiva",
        is_public=True,
        disaggregations=["age"],
    )
    indicator.goals.add(goal, draft_goal)
    indicator.plan_items.add(axis)

    # 2025-T1 approved with a breakdown, public and private evidence, and a review comment.
    first = update_save(
        actor=None,
        period=period(indicator, "2025-T1"),
        expected_version=None,
        value=Decimal(95),
        narrative="Se impartieron 6 talleres en 4 municipios.",
        breakdown={"sex": {"women": Decimal(90), "men": Decimal(3), "unspecified": Decimal(2)}},
    )
    public_evidence = evidence_add(
        actor=None,
        update=first,
        upload=io.BytesIO(pdf(300)),
        filename="lista-de-asistencia.pdf",
        is_public=True,
    )
    private_evidence = evidence_add(
        actor=None,
        update=first,
        upload=io.BytesIO(pdf(301)),
        filename=f"{SECRETS['private evidence']}.pdf",
        is_public=False,
    )
    first.refresh_from_db()
    first = update_submit(actor=None, update=first, expected_version=first.version)
    comment_add(actor=None, update=first, text=SECRETS["review comment"])
    approve_all_levels(actor=second_pair_of_eyes(), update=first)

    # 2025-T2 submitted (with public evidence), 2025-T3 returned, 2025-T4 draft.
    second = update_save(
        actor=None,
        period=period(indicator, "2025-T2"),
        expected_version=None,
        value=Decimal(SECRETS["submitted value"]),
        narrative=SECRETS["submitted narrative"],
    )
    unapproved_evidence = evidence_add(
        actor=None,
        update=second,
        upload=io.BytesIO(pdf(302)),
        filename=f"{SECRETS['evidence of an unapproved report']}.pdf",
        is_public=True,
    )
    update_submit(actor=None, update=second, expected_version=second.version)
    third = update_save(
        actor=None,
        period=period(indicator, "2025-T3"),
        expected_version=None,
        value=Decimal(SECRETS["returned value"]),
    )
    third = update_submit(actor=None, update=third, expected_version=third.version)
    update_return(actor=None, update=third, comment=SECRETS["return comment"])
    update_save(
        actor=None,
        period=period(indicator, "2025-T4"),
        expected_version=None,
        value=Decimal(SECRETS["draft value"]),
        narrative=SECRETS["draft narrative"],
    )

    private_indicator = indicator_with_calendar(
        durango, name=SECRETS["private indicator"], is_public=False
    )
    private_indicator.goals.add(goal)
    approve(private_indicator, "2025-T1", Decimal(SECRETS["private indicator value"]))
    from transversal.conftest import make_institution

    zacatecas = make_institution("semujer-zacatecas-test", "32", "Secretaría de las Mujeres")
    links = coordination_world.Links(
        public_indicator=indicator,
        private_indicator=private_indicator,
        public_goal=goal,
        draft_goal=draft_goal,
        published_item=axis,
        draft_item=draft_plan.items.get(),
    )
    coordination = coordination_world.build(durango, zacatecas, national, links)
    improvement = improvement_world.build(
        durango, zacatecas, national, links, resolution=coordination.fulfilled
    )
    registers_world.one_of_each(durango)
    registers_world.one_of_each(national)

    return World(
        state_slug="durango",
        institution=durango,
        plan=plan,
        draft_plan=draft_plan,
        agreement=agreement,
        draft_agreement=draft_agreement,
        indicator=indicator,
        private_indicator=private_indicator,
        public_evidence=public_evidence,
        private_evidence=private_evidence,
        unapproved_evidence=unapproved_evidence,
        coordination=coordination,
        improvement=improvement,
        programmes=programmes_world.build(durango, zacatecas, national),
    )


def approve(indicator, label: str, value: Decimal, breakdown=None):
    update = update_save(
        actor=None,
        period=period(indicator, label),
        expected_version=None,
        value=value,
        breakdown=breakdown,
    )
    update = update_submit(actor=None, update=update, expected_version=update.version)
    return approve_all_levels(actor=second_pair_of_eyes(), update=update)


def grow(world: World, durango, national, step: int) -> None:
    """More rows in every relation the pages and files read, for query-count tests."""
    plan_items = [
        PlanItem(
            plan=world.plan,
            level="strategy",
            code=f"2.1.{step}{n}",
            text=f"Estrategia {step}{n}",
            order=10 + n,
        )
        for n in range(3)
    ]
    PlanItem.objects.bulk_create(plan_items)
    for n in range(3):
        number = 10 * step + n
        Goal.objects.create(
            agreement=world.agreement, number=number, description=f"Meta adicional {number}"
        )
        Commitment.objects.create(
            agreement=world.agreement, party="state", number=number, text=f"Compromiso {number}"
        )
    Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        title=f"Convenio adicional {step}",
        status="concluded",
    )
    Plan.objects.create(
        code=f"programa-{step}",
        kind="institutional_program",
        title=f"Programa {step}",
        institution=durango,
        state=durango.state,
        status=PlanStatus.ARCHIVED,
    )
    extra = indicator_with_calendar(durango, name=f"Indicador adicional {step}", is_public=True)
    extra.goals.add(world.agreement.goals.first())
    approve(extra, "2025-T1", Decimal(80), {"sex": {"women": Decimal(40), "men": Decimal(40)}})
    year = 2025 - step  # past years: a period is reported once it has ended
    periods_generate(
        actor=None, indicator=world.indicator, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    targets_update(
        actor=None,
        indicator=world.indicator,
        targets={f"{year}-T{q}": Decimal(100) for q in range(1, 5)},
    )
    for quarter in (1, 2):
        update = approve(
            world.indicator,
            f"{year}-T{quarter}",
            Decimal(97),
            {"sex": {"women": Decimal(50), "men": Decimal(47)}},
        )
        evidence_add_public(update)
    coordination_world.grow(durango, 2, f"p{step}")
    improvement_world.grow(durango, 2, f"p{step}")
    programmes_world.grow(national, durango, 2, f"p{step}")
    registers_world.grow(durango, 3, step)


def evidence_add_public(update) -> None:
    # Evidence is added to drafts only; for approved rows in growth data the model is written
    # directly.
    from django.core.files.base import ContentFile

    evidence = Evidence(
        update=update,
        original_name=f"evidencia-{update.pk}.pdf",
        kind="pdf",
        extension="pdf",
        mime_type="application/pdf",
        size=10,
        sha256=f"{update.pk:064d}",
        is_public=True,
    )
    evidence.file.save("evidencia", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()

from __future__ import annotations

from transversal.planning.ingest import DraftItem, DraftPlan
from transversal.planning.models import PlanKind
from transversal.planning.services import plan_create_from_draft, plan_publish


def make_plan(
    institution,
    kind=PlanKind.INSTITUTIONAL_PROGRAM,
    *,
    codes=("1", "2"),
    texts=None,
    publish=False,
    title="Programa de prueba",
):
    texts = texts or {}
    items = [
        DraftItem(code=c, level="objective", text=texts.get(c, f"Objetivo {c} de igualdad"))
        for c in codes
    ]
    plan = plan_create_from_draft(
        actor=None,
        institution=institution,
        kind=kind,
        title=title,
        draft=DraftPlan(title, 2020, 2024, items),
    )
    return plan_publish(actor=None, plan=plan) if publish else plan


def generated_plan(institution, size: int):
    """A tree of ``size`` items: objectives with strategies with action lines."""
    roots, count, n = [], 0, 0
    while count < size:
        n += 1
        objective = DraftItem(code=str(n), level="objective", text=f"Objetivo {n}")
        count += 1
        for s in range(1, 5):
            if count >= size:
                break
            strategy = DraftItem(code=f"{n}.{s}", level="strategy", text=f"Estrategia {n}.{s}")
            count += 1
            for a in range(1, 4):
                if count >= size:
                    break
                strategy.children.append(
                    DraftItem(code=f"{n}.{s}.{a}", level="action_line", text=f"Línea {n}.{s}.{a}")
                )
                count += 1
            objective.children.append(strategy)
        roots.append(objective)
    return plan_create_from_draft(
        actor=None,
        institution=institution,
        kind=PlanKind.INSTITUTIONAL_PROGRAM,
        title=f"Plan de {size}",
        draft=DraftPlan("x", 2020, 2024, roots),
    )


def make_indicator(owner, *items, name="Mujeres capacitadas", goals=(), is_public=True):
    """An indicator of ``owner`` measuring the plan ``items`` and agreement ``goals``."""
    from transversal.monitoring.services import indicator_create

    indicator = indicator_create(
        actor=None,
        owner=owner,
        goals=goals,
        name=name,
        unit="personas",
        measure="count",
        frequency="quarterly",
        direction="ascending",
        is_public=is_public,
    )
    indicator.plan_items.add(*items)
    return indicator


def make_goals(national, institution, *descriptions, signed=True, title="Convenio de coordinación"):
    """Goals of one agreement between ``national`` and ``institution``, signed (public) or draft."""
    import datetime as dt

    from transversal.agreements.models import AgreementStatus
    from transversal.agreements.services import agreement_create, agreement_transition, goal_add

    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=title,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    if signed:
        agreement_transition(
            actor=None,
            agreement=agreement,
            to_status=AgreementStatus.SIGNED,
            on=dt.date(2025, 1, 2),
        )
    return [
        goal_add(actor=None, agreement=agreement, number=n, description=text)
        for n, text in enumerate(descriptions, start=1)
    ]


# An institutional profile as institutes write them (our own text).
PROFILE = [
    "Perfil del Instituto Estatal de las Mujeres",
    "El Instituto Estatal de las Mujeres se creó por el Decreto No. 145, publicado el 3 de "
    "marzo de 2005 en el Periódico Oficial del Estado.",
    "Misión",
    "Coordinar las políticas de igualdad sustantiva entre mujeres y hombres en el estado.",
    "Visión",
    "Ser la institución que garantiza a las mujeres el ejercicio pleno de sus derechos.",
    "Nuestros objetivos institucionales son:",
    "1. Capacitar al personal del servicio público en perspectiva de género.",
    "2. Prevenir la violencia contra las mujeres y las niñas.",
]


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A DOCX with one paragraph per string."""
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""Demo agreements: the IP-321 framework with Durango and Zacatecas.

The framework (round IP-321, the five emphasis areas, what the national
institute commits to) follows seed 000, told in our own words. Everything
else (dates, goals, figures) is invented for demonstration: the records carry
``is_synthetic`` and the screens say "dato sintético". Idempotent: each piece
is created only when missing, always through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transversal.agreements.models import (
    Agreement,
    AgreementStatus,
    EmphasisArea,
    Modality,
    Party,
    TechnicalAssistance,
)
from transversal.agreements.services import (
    agreement_create,
    agreement_transition,
    assistance_record,
    commitment_add,
    goal_add,
)
from transversal.institutions.models import Institution, InstitutionKind

ROUND = "IP-321"

PURPOSE = (
    "Que la institución nacional y la instancia de las mujeres de la entidad trabajen de manera "
    "coordinada para que la perspectiva de género se incorpore en la planeación y en los programas "
    "del gobierno estatal y de los municipios, y para que los sistemas estatales de igualdad y de "
    "atención a la violencia contra las mujeres funcionen y participen en el sistema nacional."
)

NATIONAL_COMMITMENTS = (
    (
        "Acompañar y asesorar técnicamente a la entidad para que cumpla el objeto del convenio y "
        "los compromisos que asumió en él.",
        "",
    ),
    (
        "Apoyar a la entidad y a sus municipios para reforzar los mecanismos con que incorporan la "
        "perspectiva de género en su gestión, dando prioridad a las cinco áreas de énfasis de este "
        "convenio.",
        "",
    ),
)

# Invented goals, shown as synthetic.
GOALS = (
    (
        1,
        "Contar con un programa estatal para la igualdad alineado al plan estatal de desarrollo.",
        dt.date(2016, 12, 31),
        EmphasisArea.DISCRIMINATION_VIOLENCE,
    ),
    (
        2,
        "Capacitar en planeación con perspectiva de género al personal de las instancias "
        "municipales de las mujeres.",
        dt.date(2017, 6, 30),
        EmphasisArea.HUMAN_DEVELOPMENT,
    ),
    (
        3,
        "Publicar cada trimestre las cifras del registro estatal de casos de violencia contra las "
        "mujeres.",
        dt.date(2017, 12, 31),
        EmphasisArea.VIOLENCE_PREVENTION,
    ),
)

STATES = (
    # slug, short name, synthetic validity, final status
    (
        "iem-durango",
        "Durango",
        (dt.date(2015, 3, 1), dt.date(2018, 11, 30)),
        AgreementStatus.IN_FORCE,
    ),
    ("semujer-zacatecas", "Zacatecas", (None, None), AgreementStatus.DRAFT),
)

ASSISTANCE = {
    "iem-durango": [
        dict(
            topic="Taller de presupuestos con perspectiva de género",
            area=EmphasisArea.ECONOMIC_EMPOWERMENT,
            modality=Modality.VIRTUAL,
            date=dt.date(2015, 9, 15),
            hours=Decimal("12"),
            participants_women=18,
            participants_men=6,
            participants_other=0,
            outcome=(
                "Las áreas de planeación identificaron programas susceptibles de etiquetar "
                "recursos."
            ),
        ),
        dict(
            topic="Asesoría para instalar el sistema estatal para la igualdad",
            area=EmphasisArea.POLITICAL_PARTICIPATION,
            modality=Modality.IN_PERSON,
            date=dt.date(2016, 2, 10),
            hours=Decimal("6.5"),
            participants_women=9,
            participants_men=4,
            participants_other=1,
            outcome="",
        ),
    ],
}


def load(log) -> None:
    national = Institution.objects.filter(kind=InstitutionKind.NATIONAL).first()
    if national is None:
        return
    for slug, name, (valid_from, valid_to), final_status in STATES:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            continue
        agreement = _agreement(national, institution, name, valid_from, valid_to, log)
        _commitments(agreement)
        _goals(agreement)
        _advance(agreement, final_status, valid_from)
        _assistance(agreement, national, ASSISTANCE.get(slug, []))


def _agreement(national, institution, name, valid_from, valid_to, log) -> Agreement:
    agreement = Agreement.objects.filter(
        state_institution=institution, round=ROUND, is_synthetic=True
    ).first()
    if agreement is None:
        agreement = agreement_create(
            actor=None,
            national_institution=national,
            state_institution=institution,
            title=f"Convenio de colaboración {ROUND} con {name}",
            round=ROUND,
            valid_from=valid_from,
            valid_to=valid_to,
            purpose=PURPOSE,
            emphasis_areas=EmphasisArea.values,
            is_synthetic=True,
        )
        log(f"Convenios: {agreement.title} (dato sintético).")
    return agreement


def _commitments(agreement: Agreement) -> None:
    existing = set(
        agreement.commitments.filter(party=Party.NATIONAL).values_list("number", flat=True)
    )
    for number, (text, area) in enumerate(NATIONAL_COMMITMENTS, start=1):
        if number not in existing:
            commitment_add(
                actor=None,
                agreement=agreement,
                party=Party.NATIONAL,
                number=number,
                text=text,
                area=area,
            )


def _goals(agreement: Agreement) -> None:
    existing = set(agreement.goals.values_list("number", flat=True))
    for number, description, due_date, area in GOALS:
        if number not in existing:
            goal_add(
                actor=None,
                agreement=agreement,
                number=number,
                description=description,
                due_date=due_date,
                area=area,
                is_synthetic=True,
            )


def _advance(agreement: Agreement, final_status: str, start) -> None:
    """Walk the status forward to the demo's final status, with dates marked synthetic."""
    path = [AgreementStatus.SIGNED, AgreementStatus.IN_FORCE]
    if final_status == AgreementStatus.DRAFT:
        return
    for target in path[: path.index(final_status) + 1]:
        agreement.refresh_from_db()
        order = [AgreementStatus.DRAFT, *path]
        if order.index(agreement.status) >= order.index(target):
            continue
        on = start - dt.timedelta(days=14) if target == AgreementStatus.SIGNED else start
        agreement_transition(
            actor=None,
            agreement=agreement,
            to_status=target,
            on=on,
            note="Fecha sintética de demostración.",
        )


def _assistance(agreement: Agreement, national, records) -> None:
    for record in records:
        if TechnicalAssistance.objects.filter(agreement=agreement, topic=record["topic"]).exists():
            continue
        assistance_record(
            actor=None,
            agreement=agreement,
            recipient=agreement.state_institution,
            provider_institution=national,
            is_synthetic=True,
            **record,
        )

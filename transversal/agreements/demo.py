"""Demo agreements: an IP-321 convenio with each of the 32 state institutes.

The framework (round IP-321, the five emphasis areas, what the national
institute commits to) follows seed 000, told in our own words. Everything
else (dates, goals, figures) is invented for demonstration: the records carry
``is_synthetic`` and the screens say "dato sintético". Idempotent: each piece
is created only when missing, always through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

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
        EmphasisArea.DISCRIMINATION_VIOLENCE,
    ),
    (
        2,
        "Capacitar en planeación con perspectiva de género al personal de las instancias "
        "municipales de las mujeres.",
        EmphasisArea.HUMAN_DEVELOPMENT,
    ),
    (
        3,
        "Publicar cada trimestre las cifras del registro estatal de casos de violencia contra las "
        "mujeres.",
        EmphasisArea.VIOLENCE_PREVENTION,
    ),
)

DRAFT_STATES = ("32",)  # Zacatecas negotiates its convenio: no dates, no reporting calendar
SIGNED_STATES = ("31",)  # signed, in force from next year
CONCLUDED_STATES = ("03", "12", "19", "27")  # ended last year; the conclusion is recorded
ENDED_UNRECORDED = ("06",)  # ended last year; nobody recorded it, the dates say concluded


def schedule(code: str, today: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    """Synthetic validity and the last stage recorded for a state's convenio, relative to
    ``today`` so the mix stays realistic whenever the demo is loaded: most in force for three
    years now, a few concluded, one draft without dates, one signed that starts next year."""
    year = today.year
    if code in DRAFT_STATES:
        return None, None, AgreementStatus.DRAFT
    if code in SIGNED_STATES:
        return dt.date(year + 1, 3, 1), dt.date(year + 3, 12, 31), AgreementStatus.SIGNED
    if code in CONCLUDED_STATES:
        return dt.date(year - 4, 1, 1), dt.date(year - 1, 12, 31), AgreementStatus.CONCLUDED
    if code in ENDED_UNRECORDED:
        return dt.date(year - 4, 1, 1), dt.date(year - 1, 12, 31), AgreementStatus.IN_FORCE
    month = 1 + 2 * (int(code) % 4)  # staggered starts: January, March, May or July
    end = dt.date(year + 1 + int(code) % 2, 12, 31)
    return dt.date(year - 3, month, 1), end, AgreementStatus.IN_FORCE


def _assistance_records(start: dt.date) -> list[dict]:
    """Durango's technical assistance, dated within its convenio (dates are synthetic)."""
    return [
        dict(
            topic="Taller de presupuestos con perspectiva de género",
            area=EmphasisArea.ECONOMIC_EMPOWERMENT,
            modality=Modality.VIRTUAL,
            date=start + dt.timedelta(days=200),
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
            date=start + dt.timedelta(days=340),
            hours=Decimal("6.5"),
            participants_women=9,
            participants_men=4,
            participants_other=1,
            outcome="",
        ),
    ]


def load(log) -> None:
    national = Institution.objects.filter(kind=InstitutionKind.NATIONAL).first()
    if national is None:
        return
    today = timezone.localdate()
    institutes = Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).select_related("state")
    created = 0
    for institution in institutes.order_by("state__code"):
        valid_from, valid_to, final_status = schedule(institution.state.code, today)
        agreement, new = _agreement(national, institution, valid_from, valid_to)
        created += new
        _commitments(agreement)
        _goals(agreement)
        _advance(agreement, final_status, valid_from, valid_to)
        if institution.slug == "iem-durango" and valid_from is not None:
            _assistance(agreement, national, _assistance_records(valid_from))
    if created:
        log(f"Convenios {ROUND} (dato sintético): {created}.")


def _agreement(national, institution, valid_from, valid_to) -> tuple[Agreement, bool]:
    agreement = Agreement.objects.filter(
        state_institution=institution, round=ROUND, is_synthetic=True
    ).first()
    if agreement is not None:
        return agreement, False
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=f"Convenio de colaboración {ROUND} con {institution.state.short_name}",
        round=ROUND,
        valid_from=valid_from,
        valid_to=valid_to,
        purpose=PURPOSE,
        emphasis_areas=EmphasisArea.values,
        is_synthetic=True,
    )
    return agreement, True


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


def goal_due_dates(agreement: Agreement) -> list[dt.date | None]:
    """The three goals fall due after the first year, halfway and at the end of the convenio; a
    draft without dates has none yet."""
    start, end = agreement.valid_from, agreement.valid_to
    if start is None or end is None:
        return [None, None, None]
    return [dt.date(start.year + 1, 12, 31), dt.date(start.year + 2, 6, 30), end]


def _goals(agreement: Agreement) -> None:
    existing = set(agreement.goals.values_list("number", flat=True))
    for (number, description, area), due_date in zip(GOALS, goal_due_dates(agreement), strict=True):
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


ORDER = [
    AgreementStatus.DRAFT,
    AgreementStatus.SIGNED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.CONCLUDED,
]


def _advance(agreement: Agreement, final_status: str, start, end) -> None:
    """Walk the recorded stage forward to the demo's final one, with dates marked synthetic:
    signed two weeks before the start, in force on the start, concluded the day after the end."""
    on = {
        AgreementStatus.SIGNED: start - dt.timedelta(days=14) if start else None,
        AgreementStatus.IN_FORCE: start,
        AgreementStatus.CONCLUDED: end + dt.timedelta(days=1) if end else None,
    }
    for target in ORDER[1 : ORDER.index(final_status) + 1]:
        if ORDER.index(agreement.status) >= ORDER.index(target):
            continue
        agreement_transition(
            actor=None,
            agreement=agreement,
            to_status=target,
            on=on[target],
            note="Fecha sintética de demostración.",
        )
        agreement.status = target


def _assistance(agreement: Agreement, national, records) -> None:
    done = set(
        TechnicalAssistance.objects.filter(agreement=agreement).values_list("topic", flat=True)
    )
    for record in records:
        if record["topic"] in done:
            continue
        assistance_record(
            actor=None,
            agreement=agreement,
            recipient=agreement.state_institution,
            provider_institution=national,
            is_synthetic=True,
            **record,
        )

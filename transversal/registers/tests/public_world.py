"""Register entries for the tests of the public outputs (portal page, open data, API).

Entries are made straight on the models (the services have their own tests): what matters here
is what the public outputs read. Every name carries PRIVATE and every note NOTE, so a test can
check that no row-level text reaches a public output (nor a note any output).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transversal.registers.models import (
    REGISTER_MODELS,
    AffirmativeAction,
    ParticipationMechanism,
    RegisterEntry,
    ServiceCount,
    TrainingEvent,
)

PRIVATE = "Texto-interno-del-registro"
NOTE = "Observacion-interna-del-registro"  # in every entry's notes, never served


def _sexes(women: int, men: int, unspecified: int) -> dict:
    return {"women": women, "men": men, "sex_unspecified": unspecified}


def training(
    institution,
    *,
    women: int = 10,
    men: int = 5,
    unspecified: int = 0,
    end: dt.date = dt.date(2025, 3, 20),
    audience: str = "public_servants",
    synthetic: bool = False,
    name: str = "",
) -> TrainingEvent:
    return TrainingEvent.objects.create(
        institution=institution,
        name=name or f"Taller {PRIVATE}",
        topic="Igualdad sustantiva",
        audience=audience,
        modality="in_person",
        hours=Decimal(4),
        start=end - dt.timedelta(days=1),
        end=end,
        organiser="Instituto",
        notes=NOTE,
        is_synthetic=synthetic,
        **_sexes(women, men, unspecified),
    )


def affirmative(
    institution,
    *,
    women: int = 20,
    men: int = 0,
    unspecified: int = 0,
    end: dt.date = dt.date(2025, 6, 30),
    synthetic: bool = False,
) -> AffirmativeAction:
    return AffirmativeAction.objects.create(
        institution=institution,
        name=f"Becas {PRIVATE}",
        legal_basis="Ley estatal, art. 5",
        target_group="Mujeres jefas de familia",
        start=dt.date(end.year, 1, 1),
        end=end,
        resources=Decimal("1000.00"),
        notes=NOTE,
        is_synthetic=synthetic,
        **_sexes(women, men, unspecified),
    )


def participation(
    institution,
    *,
    women: int = 8,
    men: int = 4,
    unspecified: int = 0,
    year: int = 2025,
    sectors: tuple[int, int, int, int, int] | None = None,
    synthetic: bool = False,
    name: str = "",
) -> ParticipationMechanism:
    total = women + men + unspecified
    government, civil, academia, private, other = sectors or (total, 0, 0, 0, 0)
    return ParticipationMechanism.objects.create(
        institution=institution,
        name=name or f"Consejo {PRIVATE} {year}",
        mechanism_kind="council",
        year=year,
        members_government=government,
        members_civil_society=civil,
        members_academia=academia,
        members_private=private,
        members_other=other,
        sessions_held=3,
        agreements_reached=2,
        notes=NOTE,
        is_synthetic=synthetic,
        **_sexes(women, men, unspecified),
    )


def service(
    institution,
    *,
    women: int = 30,
    men: int = 0,
    unspecified: int = 0,
    month: dt.date = dt.date(2025, 2, 1),
    service_type: str = "legal",
    synthetic: bool = False,
) -> ServiceCount:
    return ServiceCount.objects.create(
        institution=institution,
        month=month,
        service_type=service_type,
        attentions=women + men + unspecified + 5,
        notes=NOTE,
        is_synthetic=synthetic,
        **_sexes(women, men, unspecified),
    )


MAKERS = {
    "training": training,
    "affirmative": affirmative,
    "participation": participation,
    "service": service,
}


def one_of_each(institution, **counts) -> dict[str, RegisterEntry]:
    return {register: MAKERS[register](institution, **counts) for register in REGISTER_MODELS}


def grow(institution, count: int, step: int) -> None:
    """``count`` (up to 12) more entries of each register, all counted in year 2010 + ``step``,
    in several categories: for the query-count tests."""
    year = 2010 + step
    for index in range(count):
        training(
            institution,
            end=dt.date(year, 1 + index, 10),
            audience=("public_servants", "general", "reeducation")[index % 3],
            name=f"Taller {step}-{index}",
        )
        affirmative(institution, end=dt.date(year, 1 + index, 20))
        participation(institution, year=year, name=f"Red {step}-{index}")
        service(
            institution,
            month=dt.date(year, 1 + index, 1),
            service_type=("legal", "medical", "shelter")[index % 3],
            synthetic=True,
        )

"""Demo institutions: the 32 state women's institutes and a few municipal instances.

The state institutes are the real records of the reference module
(``state_institutes.py``), registered through ``state_institutes_load`` like
``manage.py load_state_institutes`` does. The municipal instances are invented:
the repository ships only Durango's and Zacatecas's municipalities (the INEGI
extract ``load_municipalities --sample`` reads), so only those states get them,
and their source says "dato sintético". Durango's mission, vision and objectives
are read from the seed document by the planning demo, which owns the ingestion.
"""

from __future__ import annotations

import hashlib

from transversal.institutions.models import Institution, InstitutionKind
from transversal.institutions.services import institution_register, state_institutes_load
from transversal.territory.catalogue import (
    SAMPLE_FILE,
    SAMPLE_SOURCE,
    municipal_catalogue_load,
    read_catalogue,
)
from transversal.territory.models import Municipality, State

DURANGO = "iem-durango"
ZACATECAS = "semujer-zacatecas"

SAMPLE_STATES = ("10", "32")  # the states of the shipped INEGI extract
IMMS_PER_STATE = 3
IMM_SOURCE = "Registro de demostración (dato sintético): no es una instancia registrada."


def load(log) -> None:
    _municipalities(log)
    report = state_institutes_load(actor=None)
    if report.created:
        log(f"Instancias estatales de las mujeres registradas: {len(report.created)}.")
    _municipal_instances(log)


def _municipalities(log) -> None:
    """The shipped extract, once: a second catalogue load would record another load."""
    if Municipality.objects.filter(state__code__in=SAMPLE_STATES).exists():
        return
    data = SAMPLE_FILE.read_bytes()
    report = municipal_catalogue_load(
        actor=None,
        rows=read_catalogue(data, SAMPLE_FILE.name),
        file_name=SAMPLE_FILE.name,
        source=SAMPLE_SOURCE,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    log(f"Municipios: {len(report.added)} del extracto de INEGI (Durango y Zacatecas).")


def _municipal_instances(log) -> None:
    """A few invented IMMs in each state whose municipalities are loaded (the first few in INEGI
    order)."""
    taken = set(
        Institution.objects.filter(kind=InstitutionKind.MUNICIPAL_IMM).values_list(
            "municipality_id", flat=True
        )
    )
    created = 0
    for state in State.objects.order_by("code"):
        municipalities = list(
            Municipality.objects.filter(state=state, is_active=True).order_by("code")[
                :IMMS_PER_STATE
            ]
        )
        for municipality in municipalities:
            if municipality.pk in taken:
                continue
            institution_register(
                actor=None,
                kind=InstitutionKind.MUNICIPAL_IMM,
                state=state,
                municipality=municipality,
                name=f"Instancia Municipal de las Mujeres de {municipality.name}",
                slug=f"imm-{municipality.code}",
                source=IMM_SOURCE,
            )
            created += 1
    if created:
        log(f"Instancias municipales de las mujeres (dato sintético): {created}.")

"""Demo institutions: Durango's and Zacatecas' women's institutes.

Facts only (names, decree, dates). Durango's mission, vision and objectives
are read from the seed document by the planning demo, which owns the ingestion.
"""

from __future__ import annotations

import datetime as dt

from transversal.institutions.models import Institution, InstitutionKind, LegalForm, NameChange
from transversal.institutions.services import (
    institution_create,
    institution_name_add,
)
from transversal.territory.models import State

DURANGO = "iem-durango"
ZACATECAS = "semujer-zacatecas"


def load(log) -> None:
    if not Institution.objects.filter(slug=DURANGO).exists():
        durango = institution_create(
            actor=None,
            slug=DURANGO,
            kind=InstitutionKind.STATE_IMEF,
            state=State.objects.get(code="10"),
            name="Instituto de la Mujer Duranguense",
            name_valid_from=dt.date(2000, 6, 18),
            creation_instrument="Ley que crea el Instituto de la Mujer Duranguense",
            creation_number="298",
            creation_date=dt.date(2000, 6, 18),
            creation_gazette="Periódico Oficial del Gobierno del Estado de Durango",
        )
        institution_name_add(
            actor=None,
            institution=durango,
            name="Instituto Estatal de las Mujeres",
            acronym="IEM",
        )
        log("Durango: Instituto Estatal de las Mujeres (antes Instituto de la Mujer Duranguense).")
    if not Institution.objects.filter(slug=ZACATECAS).exists():
        zacatecas = institution_create(
            actor=None,
            slug=ZACATECAS,
            kind=InstitutionKind.STATE_IMEF,
            state=State.objects.get(code="32"),
            name="Instituto para las Mujeres Zacatecanas",
            acronym="INMUZA",
        )
        institution_name_add(
            actor=None,
            institution=zacatecas,
            name="Secretaría de las Mujeres",
            acronym="SEMUJER",
            change=NameChange.TRANSFORMATION,
            legal_form=LegalForm.CENTRALIZED,
        )
        log("Zacatecas: Secretaría de las Mujeres (antes Instituto para las Mujeres Zacatecanas).")

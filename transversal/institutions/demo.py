"""Demo institutions: Durango's and Zacatecas' women's institutes.

Facts only (names, decree, dates). Durango's mission, vision and objectives
are read from the seed document when ../shared/seeds/ is present.
"""

from __future__ import annotations

import datetime as dt

from transversal.institutions.models import Institution, InstitutionKind
from transversal.institutions.services import (
    institution_create,
    institution_name_add,
    institution_update_profile,
)
from transversal.territory.models import State

DURANGO = "iem-durango"
ZACATECAS = "semujer-zacatecas"


def load(log) -> None:
    if not Institution.objects.filter(slug=DURANGO).exists():
        durango = institution_create(
            actor=None, slug=DURANGO, kind=InstitutionKind.STATE_IMEF, state=State.objects.get(code="10"),
            name="Instituto de la Mujer Duranguense", name_valid_from=dt.date(2000, 6, 18),
            creation_instrument="Ley que crea el Instituto de la Mujer Duranguense",
            creation_number="298", creation_date=dt.date(2000, 6, 18),
            creation_gazette="Periódico Oficial del Gobierno del Estado de Durango",
        )
        institution_name_add(
            actor=None, institution=durango, name="Instituto Estatal de las Mujeres", acronym="IEM",
        )
        log("Durango: Instituto Estatal de las Mujeres (antes Instituto de la Mujer Duranguense).")
    if not Institution.objects.filter(slug=ZACATECAS).exists():
        zacatecas = institution_create(
            actor=None, slug=ZACATECAS, kind=InstitutionKind.STATE_IMEF, state=State.objects.get(code="32"),
            name="Instituto para las Mujeres Zacatecanas", acronym="INMUZA",
        )
        institution_name_add(
            actor=None, institution=zacatecas, name="Secretaría de las Mujeres", acronym="SEMUJER",
            legal_form="Dependencia de la administración pública centralizada del Estado",
        )
        log("Zacatecas: Secretaría de las Mujeres (antes Instituto para las Mujeres Zacatecanas).")
    _durango_profile_from_seed(log)


def _durango_profile_from_seed(log) -> None:
    """Mission, vision and objectives come from seed 002 through the ingestion parser, when present."""
    durango = Institution.objects.get(slug=DURANGO)
    if durango.mission:
        return
    try:
        from transversal.planning.ingest import parse_profile
        from transversal.planning.ingest.seeds import find_seed
    except ImportError:  # the planning app is not installed in this build
        return
    path = find_seed("002_")
    if path is None:
        log("Sin la carpeta de documentos fuente: el perfil de Durango muestra solo los hechos registrados.")
        return
    profile = parse_profile(path.read_text(encoding="utf-8"))
    institution_update_profile(
        actor=None, institution=durango, mission=profile.mission or "", vision=profile.vision or "",
        objectives=list(profile.objectives),
    )
    log(f"Durango: misión, visión y {len(profile.objectives)} objetivos leídos de {path.name}.")

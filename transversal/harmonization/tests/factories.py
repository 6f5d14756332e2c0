"""Small builders for the harmonization tests."""

from __future__ import annotations

import datetime as dt

from transversal.harmonization.models import Cell, Provision, Topic
from transversal.harmonization.services import provision_add


def provision(slug: str = "violencia-politica", *, order: int = 1) -> Provision:
    return provision_add(
        actor=None,
        slug=slug,
        title="Violencia política contra las mujeres en razón de género",
        topic=Topic.POLITICAL_VIOLENCE,
        federal_source="Decreto de reforma en materia de violencia política (LGAMVLV y otras)",
        federal_article="Artículo 20 Bis",
        dof_date=dt.date(2020, 4, 13),
        order=order,
    )


def cell(prov: Provision, state_code: str = "10") -> Cell:
    return Cell.objects.select_related("provision", "state").get(
        provision=prov, state__code=state_code
    )


CITED = {
    "status": "armonizada",
    "instrument": "Ley de las Mujeres para una Vida sin Violencia",
    "article": "Artículo 6",
    "gazette": "Periódico Oficial del Gobierno del Estado",
    "published_on": dt.date(2021, 3, 4),
    "url": "https://example.org/po/2021-03-04.pdf",
    "notes": "",
}

"""Demo harmonization matrix: the catalogue of reference provisions, each citing its real federal
source with its date in the Diario Oficial de la Federación, and an invented status for each of
the 32 states (``is_synthetic``: shown «dato sintético» wherever it appears). About half the
cells cite an invented state gazette and date, marked «dato sintético» in its own text, so the
demo shows a status with its source; the others cite nothing and read «sin verificar», as any
uncited cell does. Idempotent: a provision already in the catalogue is left as it is.

Dates not verified are left empty rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from transversal.harmonization import services
from transversal.harmonization.models import Cell, Provision, Status, Topic

LAWS = "https://www.diputados.gob.mx/LeyesBiblio/index.htm"  # the Chamber's list of federal laws

# slug, title, topic, federal source, article, DOF date, description
CATALOGUE = [
    (
        "ley-igualdad",
        "Ley estatal para la igualdad entre mujeres y hombres",
        Topic.EQUALITY_LAW,
        "Ley General para la Igualdad entre Mujeres y Hombres (hoy Ley General para la Igualdad "
        "Sustantiva entre Mujeres y Hombres, DOF 15/01/2026)",
        "",
        dt.date(2006, 8, 2),
        "La entidad cuenta con su ley de igualdad, congruente con la ley general.",
    ),
    (
        "ley-acceso",
        "Ley estatal de acceso de las mujeres a una vida libre de violencia",
        Topic.VIOLENCE_LAW,
        "Ley General de Acceso de las Mujeres a una Vida Libre de Violencia (hoy «de Violencias»)",
        "",
        dt.date(2007, 2, 1),
        "La entidad cuenta con su ley de acceso, congruente con la ley general.",
    ),
    (
        "feminicidio",
        "Feminicidio tipificado como delito",
        Topic.FEMINICIDE,
        "Código Penal Federal",
        "Artículo 325",
        dt.date(2012, 6, 14),
        "El código penal de la entidad tipifica el feminicidio.",
    ),
    (
        "violencia-politica",
        "Violencia política contra las mujeres en razón de género",
        Topic.POLITICAL_VIOLENCE,
        "Decreto de reformas en materia de violencia política contra las mujeres en razón de "
        "género (Ley General de Acceso y otras leyes)",
        "Ley General de Acceso, artículos 20 Bis y 20 Ter",
        dt.date(2020, 4, 13),
        "La legislación de la entidad define y sanciona la violencia política en razón de género.",
    ),
    (
        "violencia-digital",
        "Violencia digital (Ley Olimpia)",
        Topic.DIGITAL_VIOLENCE,
        "Decreto de reformas a la Ley General de Acceso y al Código Penal Federal en materia de "
        "violencia digital",
        "",
        dt.date(2021, 6, 1),
        "La legislación de la entidad reconoce y sanciona la violencia digital.",
    ),
    (
        "regla-3-de-3",
        "Regla «3 de 3» contra la violencia",
        Topic.THREE_OF_THREE,
        "Decreto de reforma a la Constitución Política de los Estados Unidos Mexicanos "
        "(«3 de 3 contra la violencia»)",
        "Artículo 38",
        dt.date(2023, 5, 29),
        "La legislación de la entidad impide ocupar cargos públicos a personas deudoras "
        "alimentarias o sentenciadas por violencia familiar, de género o sexual.",
    ),
    (
        "matrimonio-infantil",
        "Prohibición del matrimonio infantil",
        Topic.CHILD_MARRIAGE,
        "Decreto de reforma al Código Civil Federal (edad mínima para contraer matrimonio)",
        "",
        dt.date(2019, 6, 3),
        "El código civil o familiar de la entidad fija en 18 años la edad mínima para "
        "contraer matrimonio, sin dispensas.",
    ),
    (
        "programa-igualdad",
        "Programa estatal para la igualdad entre mujeres y hombres",
        Topic.EQUALITY_PROGRAMME,
        "Ley General para la Igualdad entre Mujeres y Hombres (hoy «Sustantiva»)",
        "",
        dt.date(2006, 8, 2),
        "La entidad publicó su programa estatal de igualdad vigente.",
    ),
    (
        "programa-violencia",
        "Programa estatal para prevenir, atender, sancionar y erradicar la violencia contra "
        "las mujeres",
        Topic.VIOLENCE_PROGRAMME,
        "Ley General de Acceso de las Mujeres a una Vida Libre de Violencia (hoy «Violencias»)",
        "",
        dt.date(2007, 2, 1),
        "La entidad publicó su programa estatal contra la violencia vigente.",
    ),
]

# How far along each kind of provision plausibly is (invented): harmonized, partial, pending.
SPREAD = {
    Topic.EQUALITY_LAW: (90, 8),
    Topic.VIOLENCE_LAW: (92, 7),
    Topic.FEMINICIDE: (85, 12),
    Topic.POLITICAL_VIOLENCE: (70, 20),
    Topic.DIGITAL_VIOLENCE: (75, 15),
    Topic.THREE_OF_THREE: (40, 25),
    Topic.CHILD_MARRIAGE: (85, 10),
    Topic.EQUALITY_PROGRAMME: (55, 20),
    Topic.VIOLENCE_PROGRAMME: (60, 20),
}


def synthetic_status(slug: str, state_code: str, topic: str) -> str:
    """A stable invented status for one cell (the same on every load)."""
    roll = int(hashlib.sha256(f"{slug}:{state_code}".encode()).hexdigest()[:6], 16) % 100
    harmonized, partial = SPREAD.get(topic, (50, 20))
    if roll < harmonized:
        return Status.HARMONIZED
    if roll < harmonized + partial:
        return Status.PARTIAL
    return Status.PENDING


CITED_SHARE = 50  # percent of the demo cells that carry an invented citation
SYNTHETIC_GAZETTE = "Periódico Oficial del Estado (dato sintético)"


def synthetic_citation(slug: str, state_code: str, dof_date: dt.date | None) -> dict:
    """An invented, marked gazette and date for about half the cells (stable on every load);
    an empty citation for the others."""
    digest = hashlib.sha256(f"citation:{slug}:{state_code}".encode()).hexdigest()
    if int(digest[:4], 16) % 100 >= CITED_SHARE:
        return {}
    start = dof_date or dt.date(2008, 1, 1)
    # After the federal source, within five years, and never past 2025.
    published = min(start + dt.timedelta(days=30 + int(digest[4:8], 16) % 1800), LAST_DATE)
    return {"gazette": SYNTHETIC_GAZETTE, "published_on": published}


LAST_DATE = dt.date(2025, 12, 31)


def load(log) -> None:
    existing = set(Provision.objects.values_list("slug", flat=True))
    added = 0
    for order, (slug, title, topic, source, article, date, description) in enumerate(CATALOGUE):
        if slug in existing:
            continue
        provision = services.provision_add(
            actor=None,
            slug=slug,
            title=title,
            topic=topic,
            federal_source=source,
            federal_article=article,
            dof_date=date,
            url=LAWS,
            description=description,
            order=(order + 1) * 10,
        )
        cells = Cell.objects.filter(provision=provision).select_related("provision", "state")
        for cell in cells:
            services.cell_set(
                actor=None,
                cell=cell,
                status=synthetic_status(slug, cell.state.code, topic),
                is_synthetic=True,
                **synthetic_citation(slug, cell.state.code, date),
            )
        added += 1
    log(
        f"Armonización: {added} disposiciones de referencia, estados de las entidades "
        "sintéticos (la mitad con una cita inventada; los demás, sin verificar)."
    )

"""Demo gender statistics: four context indicators for the 32 states, all invented
("dato sintético" on screen), each naming the survey or census such a figure comes from.

The figures are plausible in size, never official: they are drawn from a fixed seed per
indicator, state and year, so every load gives the same numbers. Rates and averages carry a
synthetic coefficient of variation (a few states above 15 % and 30 %, to show the precision
flags) and a published national row; the count has no national row, so its national figure is
the sum of the 32 states. Idempotent: an indicator that already exists is left as it is.
"""

from __future__ import annotations

import random
from decimal import Decimal

from transversal.genderstats import services
from transversal.genderstats.models import ContextIndicator, StatSource, StatValue
from transversal.territory.models import State

NOTE = "Cifras sintéticas de demostración: no provienen del tabulado de la fuente citada."

SOURCES = {
    "enoe": (
        "ENOE",
        "INEGI",
        "Trimestral",
        2024,
        "https://www.inegi.org.mx/programas/enoe/15ymas/",
    ),
    "enut-2019": ("ENUT", "INEGI", "2019", 2019, "https://www.inegi.org.mx/programas/enut/2019/"),
    "censo-2020": (
        "Censo de Población y Vivienda",
        "INEGI",
        "2020",
        2020,
        "https://www.inegi.org.mx/programas/ccpv/2020/",
    ),
}

# slug, name, unit, source, measure, direction, years, (women, men) centre, spread, cv centre
INDICATORS = [
    (
        "tasa-participacion-economica",
        "Tasa de participación económica de la población de 15 años y más",
        "Porcentaje",
        "enoe",
        "tasa",
        "negative",
        (2020, 2022, 2024),
        (44.0, 76.0),
        6.0,
        4.0,
    ),
    (
        "ingreso-promedio-trabajo",
        "Ingreso promedio mensual por trabajo de la población ocupada",
        "Pesos mensuales",
        "enoe",
        "promedio",
        "negative",
        (2022, 2024),
        (6900.0, 8700.0),
        1500.0,
        14.0,
    ),
    (
        "horas-trabajo-no-remunerado",
        "Horas semanales de trabajo no remunerado en el hogar",
        "Horas a la semana",
        "enut-2019",
        "promedio",
        "positive",
        (2019,),
        (39.0, 15.0),
        4.0,
        6.0,
    ),
    (
        "poblacion-analfabeta",
        "Población de 15 años y más que no sabe leer ni escribir",
        "Personas",
        "censo-2020",
        "conteo",
        "positive",
        (2020,),
        (60000.0, 38000.0),
        40000.0,
        0.0,
    ),
]


def _source(slug: str) -> StatSource:
    found = StatSource.objects.filter(slug=slug).first()
    if found:
        return found
    name, publisher, edition, year, url = SOURCES[slug]
    return services.source_save(
        actor=None,
        slug=slug,
        name=name,
        publisher=publisher,
        edition=edition,
        year=year,
        table="",
        url=url,
    )


def _figure(rng: random.Random, centre: float, spread: float, measure: str) -> Decimal:
    value = max(centre + rng.uniform(-spread, spread), 0)
    if measure == "conteo":
        return Decimal(int(value))
    if measure == "tasa":
        value = min(value, 99.0)
    return Decimal(f"{value:.1f}")


def _cv(rng: random.Random, centre: float) -> Decimal | None:
    if not centre:
        return None
    # Mostly precise; one state in eight moderate, one in twenty low.
    draw = rng.random()
    cv = centre * rng.uniform(0.6, 1.4)
    if draw > 0.95:
        cv = rng.uniform(31, 40)
    elif draw > 0.85:
        cv = rng.uniform(16, 29)
    return Decimal(f"{cv:.1f}")


def _values(indicator: ContextIndicator, spec, states) -> list[StatValue]:
    slug, _n, _u, _s, measure, _d, years, (women, men), spread, cv_centre = spec
    rows = []
    for year in years:
        rng = random.Random(f"{slug}-{year}")
        for state in [*states, None]:
            if state is None and measure == "conteo":
                continue  # the national count is the sum of the states
            pair = {}
            for sex, centre in (("mujeres", women), ("hombres", men)):
                drift = (year - years[0]) * 0.4 if measure == "tasa" and sex == "mujeres" else 0
                pair[sex] = _figure(rng, centre + drift, spread, measure)
                rows.append(
                    StatValue(
                        indicator=indicator,
                        year=year,
                        state=state,
                        sex=sex,
                        value=pair[sex],
                        cv=_cv(rng, cv_centre) if state is not None else _cv(rng, 1.0),
                        is_synthetic=True,
                    )
                )
            if measure == "conteo":
                rows.append(
                    StatValue(
                        indicator=indicator,
                        year=year,
                        state=state,
                        sex="total",
                        value=pair["mujeres"] + pair["hombres"],
                        is_synthetic=True,
                    )
                )
    return rows


def load(log) -> None:
    existing = set(ContextIndicator.objects.values_list("slug", flat=True))
    states = list(State.objects.order_by("code"))
    added = 0
    for spec in INDICATORS:
        slug, name, unit, source, measure, direction = spec[:6]
        if slug in existing:
            continue
        indicator = services.indicator_save(
            actor=None,
            slug=slug,
            name=name,
            unit=unit,
            description=NOTE,
            source=_source(source),
            measure=measure,
            direction=direction,
            is_synthetic=True,
        )
        StatValue.objects.bulk_create(_values(indicator, spec, states))
        added += 1
    log(f"Estadísticas de género: {added} indicadores de contexto sintéticos")

"""/statistics: the gender statistics by indicator, year, state and sex, with the gap, ratio,
femininity index and precision computed. Public, without a token. Registered on the API when
``endpoints`` is imported (its last line)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Query, Schema

from transversal.api.endpoints import PageIn, _errors, page_of, public_read
from transversal.genderstats import gaps
from transversal.genderstats import selectors as stats

STATISTICS = """Indicadores de contexto de fuentes oficiales (encuesta o registro, edición, año y
tabulado), por entidad federativa (`state` 00 para la cifra nacional), sexo y año, con un grupo de
edad opcional. `gap` es mujeres − hombres en la unidad del indicador; `ratio`, mujeres / hombres;
`femininity_index`, mujeres por cada 100 hombres (solo en conteos). `precision` sigue los rangos
del INEGI para el coeficiente de variación (alta hasta 15 %, moderada hasta 30 %, baja después),
o se estima del intervalo al 90 % cuando la fuente no da el coeficiente; la brecha toma la de su
cifra menos precisa. Pública, sin token."""


class Precision(StrEnum):
    HIGH = gaps.HIGH
    MODERATE = gaps.MODERATE
    LOW = gaps.LOW
    UNKNOWN = "no_reportada"


class StatisticsFilters(Schema):
    indicator: str | None = Field(
        None, pattern=r"^[-a-zA-Z0-9_]{1,80}$", description="Clave del indicador de contexto"
    )
    state: str | None = Field(
        None,
        pattern=r"^(0[0-9]|[12][0-9]|3[0-2])$",
        description="Clave INEGI, 01 a 32; 00 para las cifras nacionales",
    )
    year: int | None = Field(None, ge=1900, le=2100, description="Año de la cifra")


class SourceOut(Schema):
    name: str
    publisher: str
    edition: str
    year: int
    table: str
    url: str


class StatisticOut(Schema):
    indicator: str
    indicator_name: str
    unit: str
    measure: str
    gap_reading: str
    source: SourceOut
    year: int
    state: str = Field(description="Clave INEGI; 00 para la cifra nacional")
    state_name: str
    age_group: str
    women: Decimal | None
    men: Decimal | None
    total: Decimal | None
    gap: Decimal | None
    ratio: Decimal | None
    femininity_index: Decimal | None
    precision: Precision
    is_synthetic: bool


def _out(cell) -> dict:
    indicator = cell.indicator
    return {
        "indicator": indicator.slug,
        "indicator_name": indicator.name,
        "unit": indicator.unit,
        "measure": indicator.measure,
        "gap_reading": indicator.direction,
        "source": indicator.source,
        "year": cell.year,
        "state": cell.state.code if cell.state else "00",
        "state_name": cell.state.short_name if cell.state else "Nacional",
        "age_group": cell.age_group,
        "women": cell.women_value,
        "men": cell.men_value,
        "total": cell.total_value,
        "gap": cell.gap,
        "ratio": cell.ratio,
        "femininity_index": cell.femininity_index,
        "precision": cell.precision or Precision.UNKNOWN.value,
        "is_synthetic": cell.is_synthetic or indicator.is_synthetic,
    }


@public_read(
    "/statistics",
    {200: page_of(StatisticOut), **_errors()},
    tags=["estadísticas de género"],
    summary="Estadísticas de género por indicador, año, entidad y sexo, con la brecha",
    description=STATISTICS,
)
def list_statistics(request: HttpRequest, page: Query[PageIn], filters: Query[StatisticsFilters]):
    # Queries: the values with their states (1) and the indicators with their sources (1).
    cells = stats.flat_rows(
        indicator=filters.indicator or "", state=filters.state or "", year=filters.year
    )
    window = cells[page.offset : page.offset + page.limit]
    return {
        "count": len(cells),
        "limit": page.limit,
        "offset": page.offset,
        "items": [_out(cell) for cell in window],
    }

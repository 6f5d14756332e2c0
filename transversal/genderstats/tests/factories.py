"""Small builders for the gender-statistics tests."""

from __future__ import annotations

from decimal import Decimal

from transversal.genderstats.models import ContextIndicator, StatSource, StatValue
from transversal.territory.models import State


def make_source(slug: str = "endireh-2021") -> StatSource:
    return StatSource.objects.create(
        slug=slug,
        name="ENDIREH",
        publisher="INEGI",
        edition="2021",
        year=2021,
        table="Cuadro 1.1",
        url="https://www.inegi.org.mx/programas/endireh/2021/",
    )


def make_indicator(
    slug: str = "violencia-total",
    *,
    measure: str = "porcentaje",
    unit: str = "Porcentaje",
    direction: str = "positive",
    source: StatSource | None = None,
    is_synthetic: bool = False,
) -> ContextIndicator:
    return ContextIndicator.objects.create(
        slug=slug,
        name=f"Indicador {slug}",
        unit=unit,
        source=source or make_source(f"fuente-{slug}"),
        measure=measure,
        direction=direction,
        is_synthetic=is_synthetic,
    )


def put(indicator, year, state_code, sex, value, **extra) -> StatValue:
    state = State.objects.get(code=state_code) if state_code else None
    return StatValue.objects.create(
        indicator=indicator, year=year, state=state, sex=sex, value=Decimal(str(value)), **extra
    )


def csv_file(lines: list[str], name: str = "estadisticas.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


HEADER = "indicador,anio,clave_entidad,sexo,grupo_edad,valor,unidad,fuente,cv,li,ls"

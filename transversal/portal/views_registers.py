"""The registers on the public portal: per register, what each state's institutions recorded in a
year (entries, people by sex and by the register's own category), through the one small-count
rule of :mod:`transversal.registers.public`, and a tile map of the people counted by state.
Read-only, no sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from transversal.core.access import public
from transversal.core.templatetags.transversal import format_mx
from transversal.portal import selectors
from transversal.portal.datasets import REGISTER_DATASETS
from transversal.registers import public as registers
from transversal.registers.models import PEOPLE_WORDS, REGISTER_MODELS, RegisterKind
from transversal.territory.tiles import in_map_order

NATIONAL_SLUG = "nacional"
# The map's classes (the dashboards' single-hue scale) and their words: colour never speaks alone.
LEVELS = {
    0: ("level-0", gettext_lazy("sin registros")),
    1: ("level-1", gettext_lazy("menos personas")),
    2: ("level-2", gettext_lazy("nivel intermedio")),
    3: ("level-3", gettext_lazy("más personas")),
}


def _year(request: HttpRequest, years: list[int]) -> int | None:
    value = request.GET.get("anio", "")
    if value.isdigit() and int(value) in years:
        return int(value)
    return years[0] if years else None


def _levels(people: dict[str, int]) -> dict[str, int]:
    """Three levels by the states' order from the fewest to the most people counted."""
    ordered = sorted((code for code, n in people.items() if n > 0), key=lambda c: (people[c], c))
    last = max(len(ordered) - 1, 1)
    return {code: 1 + round(2 * index / last) for index, code in enumerate(ordered)}


def _tiles(aggregates, states: dict, register: str, year: int) -> list[dict]:
    people = {a.state: a.people for a in aggregates if a.state != registers.NATIONAL}
    levels = _levels(people)
    base = reverse("portal:registers")
    tiles = []
    for slug, state in states.items():
        css, label = LEVELS[levels.get(state.code, 0)]
        count = people.get(state.code)
        tiles.append(
            {
                "state": state,
                "url": f"{base}?anio={year}&entidad={slug}&mapa={register}",
                "css": css,
                "figure": format_mx(count) if count is not None else "—",
                "label": label,
            }
        )
    return in_map_order(tiles)


def _section(register: str, aggregates, names: dict[str, str]) -> dict:
    dimension = registers.DIMENSIONS[register]
    rows = [
        {
            "aggregate": aggregate,
            "place": names.get(aggregate.state, aggregate.state),
            "sex": aggregate.of(registers.SEX),
            "other": aggregate.of(dimension.key) if dimension else [],
        }
        for aggregate in aggregates
    ]
    return {
        "key": register,
        "title": RegisterKind(register).label,
        "entries_label": registers.ENTRY_LABELS[register],
        "people_label": PEOPLE_WORDS[register],
        "dimension": dimension,
        "dataset": REGISTER_DATASETS[register][0],
        "rows": rows,
    }


@require_GET
@public
def registers_page(request: HttpRequest) -> HttpResponse:
    # Queries: the states (1), the years with entries (one per register) and each register's
    # grouped aggregates (one per register): nine whatever the number of entries.
    by_slug = selectors.states_by_slug()
    slugs = {state.code: slug for slug, state in by_slug.items()}
    names = {state.code: state.short_name for state in by_slug.values()}
    names[registers.NATIONAL] = _("Institución nacional")
    years = registers.public_years()
    year = _year(request, years)
    chosen_slug = request.GET.get("entidad", "")[:40]
    if chosen_slug == NATIONAL_SLUG:
        chosen = registers.NATIONAL
    else:
        state = by_slug.get(chosen_slug)
        chosen = state.code if state else None
        chosen_slug = chosen_slug if state else ""
    map_register = request.GET.get("mapa", "")
    if map_register not in REGISTER_MODELS:
        map_register = RegisterKind.TRAINING.value
    sections, tiles = [], []
    if year is not None:
        for register in REGISTER_MODELS:
            aggregates = registers.public_aggregates(register, year=year)
            if register == map_register:
                tiles = _tiles(aggregates, by_slug, register, year)
            shown = [a for a in aggregates if chosen is None or a.state == chosen]
            sections.append(_section(register, shown, names))
    return render(
        request,
        "portal/registers.html",
        {
            "years": years,
            "year": year,
            "states": sorted(by_slug.items(), key=lambda item: item[1].short_name),
            "national_slug": NATIONAL_SLUG,
            "chosen_slug": chosen_slug,
            "chosen_name": names.get(chosen, "") if chosen else "",
            "sections": sections,
            "tiles": tiles,
            "levels": [LEVELS[n] for n in (3, 2, 1, 0)],
            "map_register": map_register,
            "map_title": RegisterKind(map_register).label,
            "registers": [(key, RegisterKind(key).label) for key in REGISTER_MODELS],
            "slugs": slugs,
            "min_count": selectors.min_count(),
            "any_synthetic": any(
                row["aggregate"].is_synthetic for section in sections for row in section["rows"]
            ),
        },
    )

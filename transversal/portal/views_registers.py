"""The registers on the public portal: per register, what each state's institutions recorded in a
year (entries, people by sex and by the register's own category), through the one small-count
rule of :mod:`transversal.registers.public`, and a tile map of the people counted by state.
Read-only, no sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from transversal.core.access import public
from transversal.core.templatetags.transversal import format_mx
from transversal.portal import selectors
from transversal.portal.datasets import REGISTER_DATASETS
from transversal.registers import public as registers
from transversal.registers.models import PEOPLE_WORDS, REGISTER_MODELS, RegisterKind
from transversal.territory.tiles import in_map_order

NATIONAL_SLUG = "nacional"
MAX_NAMED = 8  # the map's note names up to this many states with invented figures, else counts
SMALL = -1  # the class of a small count: said to be one, outside the scale's levels
# The map's classes (the dashboards' single-hue scale) and their words: colour never speaks alone.
LEVELS = {
    0: ("level-0", gettext_lazy("sin registros")),
    1: ("level-1", gettext_lazy("menos personas")),
    2: ("level-2", gettext_lazy("nivel intermedio")),
    3: ("level-3", gettext_lazy("más personas")),
    SMALL: ("level-small", gettext_lazy("conteo pequeño")),
}


def _year(request: HttpRequest, years: list[int]) -> int | None:
    value = request.GET.get("anio", "")
    if value.isdigit() and int(value) in years:
        return int(value)
    return years[0] if years else None


def map_classes(people: dict[str, int], threshold: int) -> dict[str, int]:
    """Each state's class on the map, the one classification of its tiles and legend.

    0 for nobody counted; ``SMALL`` for a small count (1 to ``threshold`` − 1, whose breakdown
    by sex the small-count rule suppresses whole): it takes no level. The others get three
    levels by their place from the fewest to the most people (a quarter, the middle half, a
    quarter: 8, 16 and 8 of 32 without ties), equal counts in the lower one's level, so that
    each level covers figures no other level does (and the split moves: see ``map_split``)."""
    classes = {code: 0 if n == 0 else SMALL for code, n in people.items() if n < threshold}
    ordered = sorted(n for n in people.values() if n >= threshold)
    last = max(len(ordered) - 1, 1)
    level_of: dict[int, int] = {}
    for index, n in enumerate(ordered):
        level_of.setdefault(n, 1 + round(2 * index / last))
    classes.update({code: level_of[n] for code, n in people.items() if n >= threshold})
    return classes


def map_legend(
    classes: dict[str, int], people: dict[str, int], threshold: int, states: int
) -> list[tuple[str, str]]:
    """The legend of ``classes`` over ``states`` tiles: each class's swatch and its line, with
    the figures it covers (the lowest and highest of its states) and how many states it has."""
    lines = []
    for level in (3, 2, 1, SMALL, 0):
        css, label = LEVELS[level]
        figures = sorted(people[code] for code, c in classes.items() if c == level)
        n = states - sum(1 for c in classes.values() if c != 0) if level == 0 else len(figures)
        count = ngettext("%(n)s entidad", "%(n)s entidades", n) % {"n": format_mx(n)}
        if level == 0:
            line = _("%(label)s (%(count)s)") % {"label": label, "count": count}
        elif level == SMALL:
            line = _(
                "%(label)s: de 1 a %(high)s personas, sin nivel: su desagregación por sexo "
                "se suprime (%(count)s)"
            ) % {"label": label, "high": format_mx(threshold - 1), "count": count}
        elif not figures:
            line = _("%(label)s: ninguna entidad") % {"label": label}
        elif figures[0] == figures[-1]:
            line = _("%(label)s: %(figure)s personas (%(count)s)") % {
                "label": label,
                "figure": format_mx(figures[0]),
                "count": count,
            }
        else:
            line = _("%(label)s: de %(low)s a %(high)s personas (%(count)s)") % {
                "label": label,
                "low": format_mx(figures[0]),
                "high": format_mx(figures[-1]),
                "count": count,
            }
        lines.append((css, line))
    return lines


def map_split(classes: dict[str, int], threshold: int) -> str:
    """How many states each level has this year, said beside the rule (ties make it other than
    a quarter, a half and a quarter): the same counts as the legend's lines."""
    low, middle, high = (sum(1 for c in classes.values() if c == level) for level in (1, 2, 3))
    if not low + middle + high:
        return _("Este año ninguna entidad tiene %(n)s personas o más: ninguna tiene nivel.") % {
            "n": format_mx(threshold)
        }
    return _(
        "Este año: %(low)s en «menos personas», %(middle)s en «nivel intermedio» y %(high)s en "
        "«más personas»."
    ) % {
        "low": ngettext("%(n)s entidad", "%(n)s entidades", low) % {"n": format_mx(low)},
        "middle": format_mx(middle),
        "high": format_mx(high),
    }


def _listed(names: list[str]) -> str:
    """«Durango», «Durango y Zacatecas», «Colima, Durango y Zacatecas»."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s y %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _tiles(
    people: dict[str, int], classes: dict[str, int], states: dict, register: str, year: int
) -> list[dict]:
    base = reverse("portal:registers")
    tiles = []
    for slug, state in states.items():
        css, label = LEVELS[classes.get(state.code, 0)]
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
    sections, tiles, legend, split = [], [], [], ""
    map_synthetic, map_all_synthetic, synthetic_places = 0, False, ""
    threshold = selectors.min_count()
    if year is not None:
        for register in REGISTER_MODELS:
            aggregates = registers.public_aggregates(register, year=year)
            if register == map_register:
                people = {a.state: a.people for a in aggregates if a.state != registers.NATIONAL}
                classes = map_classes(people, threshold)
                tiles = _tiles(people, classes, by_slug, register, year)
                legend = map_legend(classes, people, threshold, len(by_slug))
                split = map_split(classes, threshold)
                # The states whose figure on the map counts invented entries.
                shown_on_map = [a for a in aggregates if a.state != registers.NATIONAL]
                synthetic = sorted(names[a.state] for a in shown_on_map if a.is_synthetic)
                map_synthetic = len(synthetic)
                map_all_synthetic = map_synthetic == len(shown_on_map)
                synthetic_places = _listed(synthetic) if map_synthetic <= MAX_NAMED else ""
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
            "legend": legend,
            "map_split": split,
            "map_synthetic": map_synthetic,
            "map_all_synthetic": map_all_synthetic,
            "map_synthetic_places": synthetic_places,
            "map_register": map_register,
            "map_title": RegisterKind(map_register).label,
            "registers": [(key, RegisterKind(key).label) for key in REGISTER_MODELS],
            "slugs": slugs,
            "min_count": threshold,
            "any_synthetic": any(
                row["aggregate"].is_synthetic for section in sections for row in section["rows"]
            ),
        },
    )

"""Public pages of the gender statistics: the indicators, one indicator by state (a map of the
gap, a table and a state's series) and a state's gaps beside its plan targets and convenio
indicators that cite them. Read-only, no sign-in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from transversal.core.access import public
from transversal.core.templatetags.transversal import format_mx
from transversal.genderstats import gaps
from transversal.genderstats import selectors as stats
from transversal.genderstats.charts import sex_series_spec
from transversal.genderstats.models import ContextIndicator
from transversal.portal import selectors
from transversal.territory.tiles import in_map_order

# The map's classes (the dashboards' single-hue scale) and the words that go with them: the
# colour never speaks alone. Lazy: read at import, they must follow each visitor's language.
LEVELS = {
    0: ("level-0", gettext_lazy("sin dato")),
    1: ("level-1", gettext_lazy("brecha menor")),
    2: ("level-2", gettext_lazy("brecha intermedia")),
    3: ("level-3", gettext_lazy("brecha mayor")),
}


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("anio", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None


@require_GET
@public
def statistics(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/statistics_index.html",
        {"indicators": list(stats.indicators().filter(value_count__gt=0))},
    )


def _levels(rows, direction: str) -> dict[str, int]:
    """Three levels of the disadvantage (or of the gap's size, when its sign says nothing), by
    the states' order from the least to the most unfavourable gap."""
    scores = {}
    for cell in rows:
        score = gaps.disadvantage(cell.gap, direction)
        if score is not None:
            scores[cell.state.code] = abs(score) if direction == "neutral" else score
    ordered = sorted(scores, key=lambda code: (scores[code], code))
    last = max(len(ordered) - 1, 1)
    # Spread from the least to the most unfavourable: with two states they are 1 and 3.
    return {code: 1 + round(2 * index / last) for index, code in enumerate(ordered)}


def _tiles(table, slugs: dict) -> list[dict]:
    levels = _levels(table.rows, table.indicator.direction)
    tiles = []
    for cell in table.rows:
        css, label = LEVELS[levels.get(cell.state.code, 0)]
        url = reverse("portal:statistic", args=[table.indicator.slug])
        tiles.append(
            {
                "state": cell.state,
                "url": f"{url}?entidad={slugs[cell.state.code]}#serie",
                "css": css,
                "figure": format_mx(cell.gap) if cell.gap is not None else "—",
                "label": label,
            }
        )
    return in_map_order(tiles)


def _legend(table) -> list[tuple[str, str, int]]:
    """Each level with how many states fall in it, so the legend states the cut-offs."""
    levels = _levels(table.rows, table.indicator.direction)
    counts = dict.fromkeys(LEVELS, 0)
    for cell in table.rows:
        counts[levels.get(cell.state.code, 0)] += 1
    return [(*LEVELS[n], counts[n]) for n in (3, 2, 1, 0)]


@require_GET
@public
def statistic(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = ContextIndicator.objects.select_related("source").filter(slug=slug[:80]).first()
    if indicator is None:
        raise Http404(_("No hay un indicador de contexto con esa clave."))
    table = stats.state_table(indicator, _year(request), request.GET.get("grupo", "")[:40])
    by_slug = selectors.states_by_slug()
    slugs = {state.code: key for key, state in by_slug.items()}
    chosen = by_slug.get(request.GET.get("entidad", ""))
    for cell in table.rows:
        cell.slug = slugs[cell.state.code]
    points = stats.series(indicator, chosen, table.age_group)
    place = chosen.short_name if chosen else _("Nacional")
    return render(
        request,
        "portal/statistics_indicator.html",
        {
            "indicator": indicator,
            "table": table,
            "tiles": _tiles(table, slugs),
            "levels": _legend(table),
            "slugs": slugs,
            "states": by_slug,
            "chosen": chosen,
            "chosen_slug": slugs.get(chosen.code, "") if chosen else "",
            "place": place,
            "points": points,
            "spec": sex_series_spec(
                points,
                unit=indicator.unit,
                title=_("%(name)s: %(place)s") % {"name": indicator.name, "place": place},
            ),
            "any_synthetic": indicator.is_synthetic or any(c.is_synthetic for c in table.rows),
        },
    )


@require_GET
@public
def state_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    state = selectors.states_by_slug().get(slug)
    if state is None:
        raise Http404(
            _("No existe una entidad federativa con la clave «%(slug)s».") % {"slug": slug[:40]}
        )
    cells = stats.state_gaps(state)
    cited = [cell.indicator.pk for cell in cells]
    items = (
        selectors.public_plan_items()
        .filter(baseline_source__in=cited, plan__state=state)
        .select_related("plan")
        .order_by("plan__title", "order", "pk")
    )
    indicators = (
        selectors.public_indicators()
        .filter(baseline_source__in=cited, owner__state=state)
        .order_by("name", "pk")
    )
    items_by, indicators_by = {}, {}
    for item in items:
        items_by.setdefault(item.baseline_source_id, []).append(item)
    for indicator in indicators:
        indicators_by.setdefault(indicator.baseline_source_id, []).append(indicator)
    for cell in cells:
        cell.plan_items = items_by.get(cell.indicator.pk, [])
        cell.convenio_indicators = indicators_by.get(cell.indicator.pk, [])
    return render(
        request,
        "portal/statistics_state.html",
        {
            "state": state,
            "slug": slug,
            "cells": cells,
            "any_synthetic": any(c.is_synthetic or c.indicator.is_synthetic for c in cells),
        },
    )

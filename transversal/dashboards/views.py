"""Dashboards: the national tile-grid map of the 32 states, a state's dashboard, an indicator's
charts.

Access: the national dashboard is for national coordinators; a state member who
opens it is sent to their own state's dashboard (the figures of other states
are not theirs to see), someone with no membership gets 403. A state dashboard
is for the members of that state's institutions and national coordinators;
everyone else gets 404 (missing and forbidden look alike).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext
from django.views.decorators.http import require_GET

from transversal.accounts.access import (
    READ,
    Scope,
    authorize,
    can_read,
    get_readable_state,
    scope_for,
)
from transversal.agreements.models import EmphasisArea
from transversal.agreements.selectors import agreement_rounds
from transversal.audit.stamp import cached
from transversal.coordination.selectors import state_coordination, state_systems_year
from transversal.core import lights
from transversal.core.access import protected
from transversal.core.pagination import PAGE_PARAM, page_query, paginate
from transversal.core.templatetags.transversal import light_tag, mx_percent
from transversal.core.urlbuild import url_builder
from transversal.dashboards import selectors
from transversal.dashboards.forms import MEASURE_CHOICES, DashboardFilterForm
from transversal.improvement.report_selectors import state_institute
from transversal.improvement.selectors import cycle
from transversal.monitoring import charts, periods, queue, rules
from transversal.monitoring.access import get_indicator_for_user
from transversal.territory.models import State
from transversal.territory.tiles import in_map_order
from transversal.workprogrammes import board
from transversal.workprogrammes.models import Stage


def _legend(rows) -> list[tuple[str, str, str]]:
    # The rule texts come from monitoring.rules with the thresholds filled in.
    return [(colour, lights.label(colour), rule) for colour, _label, rule in rows]


def _stage_legend() -> list[tuple[str, str]]:
    return [
        ("level-0", _("Sin programa del año")),
        (
            "level-1",
            _("En elaboración, propuesta, observada o corregida: aún sin validación nacional"),
        ),
        ("level-2", _("Validada o en ejecución")),
        ("level-3", _("Cerrada")),
    ]


def _stage_short() -> dict[str, str]:
    """What a tile prints for each stage (the legend spells them out)."""
    return {
        board.NO_PROGRAMME: "—",
        Stage.DRAFT: pgettext("etapa abreviada", "Elab."),
        Stage.PROPOSED: pgettext("etapa abreviada", "Prop."),
        Stage.OBSERVED: pgettext("etapa abreviada", "Obs."),
        Stage.CORRECTED: pgettext("etapa abreviada", "Corr."),
        Stage.VALIDATED: pgettext("etapa abreviada", "Val."),
        Stage.IN_EXECUTION: pgettext("etapa abreviada", "Ejec."),
        Stage.CLOSED: pgettext("etapa abreviada", "Cerr."),
    }


def _stage_key() -> str:
    """The abbreviations of the tiles, spelled out once for the legend."""
    short = _stage_short()
    return "; ".join(f"{short[stage]} {board.stage_label(stage).lower()}" for stage in short)


def _stage_tile(stage: str, short: dict[str, str]) -> dict:
    return {
        "figure": short[stage],
        "label": board.stage_label(stage),
        "css": selectors.stage_level(stage),
    }


def _count_legend(measure: str) -> list[tuple[str, str]]:
    if measure == selectors.MEASURE_STAGE:
        return _stage_legend()
    if measure == selectors.MEASURE_ON_TIME:
        return [
            ("level-0", _("Sin acuerdos en el año o sin sistema registrado")),
            ("level-1", _("Menos de 50 % cumplidos a tiempo")),
            ("level-2", _("De 50 % a menos de 80 % cumplidos a tiempo")),
            ("level-3", _("80 % o más cumplidos a tiempo")),
        ]
    nouns = {
        selectors.MEASURE_PENDING: _("reportes por revisar"),
        selectors.MEASURE_ASM_OVERDUE: _("ASM vencidos"),
    }
    noun = nouns.get(measure) or _("reportes vencidos")
    return [
        ("level-0", _("Ninguno")),
        ("level-1", _("De 1 a 5 %(noun)s") % {"noun": noun}),
        ("level-2", _("De 6 a 20 %(noun)s") % {"noun": noun}),
        ("level-3", _("Más de 20 %(noun)s") % {"noun": noun}),
    ]


def _tile(
    row: selectors.StateRow,
    measure: str,
    coordination: selectors.CoordinationYear,
    improvement: selectors.ImprovementYear,
    stages: dict[int, str],
    short: dict[str, str],
) -> dict:
    """What one tile shows for the chosen measure: a figure, a text label and a css class."""
    if measure == selectors.MEASURE_STAGE:
        return _stage_tile(stages.get(row.state.pk, board.NO_PROGRAMME), short)
    if measure == selectors.MEASURE_ASM_OVERDUE:
        number = improvement.of(row.state.pk).asm_overdue
        return {
            "figure": f"{number:,}",
            "label": ngettext("ASM vencido", "ASM vencidos", number),
            "css": selectors.count_level(number),
        }
    if measure == selectors.MEASURE_ON_TIME:
        percent = coordination.of(row.state.pk).on_time_percent
        if percent is not None:
            label = _("a tiempo")
        elif row.state.pk in coordination.with_systems:
            label = _("sin acuerdos")
        else:
            label = _("sin sistema")
        return {
            "figure": mx_percent(percent),
            "label": label,
            "css": selectors.on_time_level(percent),
        }
    if measure == selectors.MEASURE_GREEN:
        rollup = row.rollup
        share = rollup.share_green
        return {
            "figure": "—" if share is None else f"{rules.format_number(share, 1)} %",
            "label": lights.label(rollup.colour),
            "css": f"light-{rollup.colour}",
        }
    number = row.pending if measure == selectors.MEASURE_PENDING else row.overdue
    label = (
        ngettext("por revisar", "por revisar", number)
        if measure == selectors.MEASURE_PENDING
        else npgettext("map tile", "vencido", "vencidos", number)
    )
    return {"figure": f"{number:,}", "label": label, "css": selectors.count_level(number)}


def _light_html() -> dict[str, str]:
    """``{% light colour %}`` for each colour, rendered once per page instead of once per row."""
    return {colour: light_tag(colour) for colour in rules.COLOURS}


def _scope_signature(scope: Scope) -> str:
    """What a cached fragment's visibility depends on: the person's roles, not who they are."""
    roles = ",".join(f"{iid}={role}" for iid, role in sorted(scope.roles.items()))
    return f"{roles}|{','.join(sorted(scope.national_roles))}"


def _filter_key(request: HttpRequest) -> list:
    """The filters as sent (parameters the form ignores are left out of the cache key)."""
    return [(name, request.GET.getlist(name)) for name in DashboardFilterForm.base_fields]


@require_GET
@protected
def national(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.is_national:
        return _redirect_state_member(scope)
    can_review = queue.can_use_queue(scope)
    # The page below the header is the same for every national coordinator with the same roles:
    # rendered once per data stamp, language, day and filters (audit.stamp).
    body, status = cached(
        request,
        "dash-national",
        [_scope_signature(scope), can_review, _filter_key(request)],
        lambda: _national_body(request, can_review),
        keep=lambda value: value[1] == 200,
    )
    return render(request, "dashboards/national.html", {"body": body}, status=status)


def _national_body(request: HttpRequest, can_review: bool) -> tuple[str, int]:
    form = DashboardFilterForm(
        request.GET or None,
        years=selectors.filter_years(),
        rounds=agreement_rounds(scope_for(request.user)),
    )
    filters = form.filters() if request.GET else selectors.Filters()
    status = 200
    if request.GET and form.errors:
        status = 400
        messages.warning(
            request,
            _(
                "Se ignoraron filtros con un valor no válido: %(fields)s. Se muestran los valores "
                "predeterminados para ellos."
            )
            % {"fields": ", ".join(form.rejected_labels())},
        )
    rows = selectors.national_rows(filters)
    totals = selectors.headline(rows)
    year = filters.year or timezone.localdate().year
    coordination = selectors.coordination_year(year)
    improvement = selectors.improvement_year(year)
    is_stage = filters.measure == selectors.MEASURE_STAGE
    # The stages are read only for their map (one query).
    stages = board.stage_by_state(year) if is_stage else {}
    tiles = _national_tiles(rows, filters.measure, can_review, coordination, improvement, stages)
    context = {
        "form": form,
        "filters": filters,
        "nav_review": can_review,
        "measure_label": dict(MEASURE_CHOICES)[filters.measure],
        "is_green": filters.measure == selectors.MEASURE_GREEN,
        "is_on_time": filters.measure == selectors.MEASURE_ON_TIME,
        "is_asm_overdue": filters.measure == selectors.MEASURE_ASM_OVERDUE,
        "is_stage": is_stage,
        "stage_key": _stage_key() if is_stage else "",
        "programmes_year": year,
        "programmes_url": reverse("dashboards:programmes") + f"?anio={year}",
        "tiles": tiles,
        "map_tiles": in_map_order(tiles),
        "headline": totals,
        "headline_goals": [(c, lights.label(c), totals.goals[c]) for c in rules.COLOURS],
        "legend": _legend(rules.ROLLUP_LEGEND),
        "count_legend": _count_legend(filters.measure),
        "has_synthetic": selectors.has_synthetic_data(),
        "coordination": _national_coordination(request, rows, coordination, filters),
        "improvement": _national_improvement(request, rows, improvement, filters),
    }
    return render_to_string("dashboards/_national_body.html", context), status


def _count(number: int) -> str:
    return f"{number:,}"


def _national_coordination(
    request: HttpRequest,
    rows: list[selectors.StateRow],
    coordination: selectors.CoordinationYear,
    filters: selectors.Filters,
) -> dict:
    """The coordination section: national counters and one row of text per state."""
    state_url = url_builder("dashboards:state")
    # A year chosen in the filters follows the person to the state's panel.
    anchor = (f"?anio={filters.year}" if filters.year else "") + "#h-coordination"
    states = []
    for row in rows:
        figures = coordination.of(row.state.pk)
        states.append(
            {
                "state": row.state,
                "url": state_url(row.state.code) + anchor,
                "has_system": row.state.pk in coordination.with_systems,
                "cells": [
                    _count(n)
                    for n in (
                        figures.sessions_held,
                        figures.sessions_planned,
                        figures.sessions_overdue,
                        figures.acuerdos,
                        figures.acuerdos_overdue,
                        figures.acuerdos_fulfilled,
                    )
                ],
                "on_time": mx_percent(figures.on_time_percent),
            }
        )
    params = request.GET.copy()
    params["medida"] = selectors.MEASURE_ON_TIME
    return {
        "year": coordination.year,
        "total": coordination.total,
        "total_on_time": mx_percent(coordination.total.on_time_percent),
        "states_with_systems": len(coordination.with_systems),
        "states": states,
        "map_url": f"?{params.urlencode()}#h-map",
        "ignores_filters": filters.narrows_goals,
    }


def _national_improvement(
    request: HttpRequest,
    rows: list[selectors.StateRow],
    improvement: selectors.ImprovementYear,
    filters: selectors.Filters,
) -> dict:
    """The model's cycle section: national counters and one row of text per state."""
    state_url = url_builder("dashboards:state")
    # A year chosen in the filters follows the person to the state's cycle panel.
    anchor = (f"?anio={filters.year}" if filters.year else "") + "#h-cycle"
    states = []
    for row in rows:
        figures = improvement.of(row.state.pk)
        states.append(
            {
                "state": row.state,
                "url": state_url(row.state.code) + anchor,
                "cells": [
                    _count(n)
                    for n in (
                        figures.evaluations,
                        figures.findings,
                        figures.asm - figures.asm_cancelled,
                        figures.asm_open,
                        figures.asm_overdue,
                        figures.asm_verified,
                    )
                ],
                "verified": mx_percent(figures.verified_percent),
            }
        )
    params = request.GET.copy()
    params["medida"] = selectors.MEASURE_ASM_OVERDUE
    total = improvement.total
    return {
        "year": improvement.year,
        "total": total,
        "total_verified": mx_percent(total.verified_percent),
        "kept": total.asm - total.asm_cancelled,
        "states_evaluated": improvement.states_evaluated,
        "states": states,
        "map_url": f"?{params.urlencode()}#h-map",
        "ignores_filters": filters.narrows_goals,
    }


def _national_tiles(
    rows: list[selectors.StateRow],
    measure: str,
    can_review: bool,
    coordination: selectors.CoordinationYear,
    improvement: selectors.ImprovementYear,
    stages: dict[int, str],
) -> list[dict]:
    """Everything a tile and a table row print, as text: URLs built without a reverse() per row,
    lights rendered once per colour, figures formatted here instead of by the template."""
    state_url = url_builder("dashboards:state")
    pending_base = (
        reverse("monitoring:review_queue") + "?entidad="
        if can_review
        else reverse("work:list") + "?ver=enviados&entidad="
    )
    overdue_base = reverse("work:list") + "?ver=vencidos&entidad="
    light_html = _light_html()
    short = _stage_short()
    tiles = []
    for row in rows:
        rollup = row.rollup
        code = row.state.code
        tiles.append(
            {
                "row": row,
                "state": row.state,
                "url": state_url(code),
                "light": light_html[rollup.colour],
                "share": "—" if rollup.share_green is None else f"{rollup.share_green} %",
                "cells": [
                    str(n)
                    for n in (
                        row.agreements_in_force,
                        row.goals_total,
                        rollup.green,
                        rollup.yellow,
                        rollup.red,
                        rollup.no_data,
                    )
                ],
                "pending": str(row.pending),
                "pending_url": pending_base + code,
                "overdue": str(row.overdue),
                "overdue_url": overdue_base + code,
                **_tile(row, measure, coordination, improvement, stages, short),
            }
        )
    return tiles


def _redirect_state_member(scope: Scope, query: str = "") -> HttpResponse:
    state = State.objects.filter(pk__in=scope.state_ids).order_by("code").first()
    if state is None:
        raise PermissionDenied(_("El tablero nacional es para la coordinación nacional."))
    return redirect(reverse("dashboards:state", args=[state.code]) + query)


# The national board of the work programmes --------------------------------------------------------


@require_GET
@protected
def programmes(request: HttpRequest) -> HttpResponse:
    """The 32 states' work programmes of a year (``anio``, this year by default): for national
    coordinators, as the national dashboard; a state member is sent to their state's panel."""
    scope = scope_for(request.user)
    year, valid = _coordination_year(request)
    if not scope.is_national:
        return _redirect_state_member(scope, f"?anio={year}#h-programme")
    status = 200
    if not valid:
        status = 400
        messages.warning(
            request,
            _("Se ignoró un año no válido: se muestran los programas de %(year)s.")
            % {"year": year},
        )
    # The same for every national coordinator: once per data stamp, language, day, year and page.
    body = cached(
        request,
        "dash-programmes",
        [_scope_signature(scope), year, request.GET.get(PAGE_PARAM, "")],
        lambda: _programmes_body(request, year),
    )
    context = {"body": body, "year": year}
    return render(request, "dashboards/programmes.html", context, status=status)


def _programmes_body(request: HttpRequest, year: int) -> str:
    """Four queries for the states' rows (board.national_board), two for the page of pending
    observations (their number and the page)."""
    today = timezone.localdate()
    figures = board.national_board(year, today)
    observations = paginate(request, board.pending_of_year(year))
    programme_url = url_builder("workprogrammes:programme")
    state_url = url_builder("dashboards:state")
    short = _stage_short()
    rows, tiles = [], []
    for row in figures.rows:
        state = row.state
        link = programme_url(row.programme.code) if row.programme else ""
        panel = state_url(state.code) + f"?anio={year}#h-programme"
        rows.append(_programme_row(row, link, panel))
        tiles.append({"state": state, "url": link or panel, **_stage_tile(row.stage, short)})
    pending = [
        {
            "item": item,
            "url": programme_url(item.programme.code) + "#observaciones",
            "days": _count(item.days_waiting),
        }
        for item in board.pending_rows(observations.object_list, today)
    ]
    totals = figures.totals
    context = {
        "year": year,
        "years": (year - 1, year + 1),
        "totals": totals,
        "observed": totals.by_stage.get(Stage.OBSERVED, 0),
        "quarters": [
            {"quarter": q, "sent": totals.sent[q], "received": totals.received[q]}
            for q in totals.sent
        ],
        "rows": rows,
        "tiles": tiles,
        "map_tiles": in_map_order(tiles),
        "legend": _stage_legend(),
        "stage_key": _stage_key(),
        "pending": pending,
        "pending_page": observations,
        "page_query": page_query(request),
        "has_synthetic": figures.has_synthetic,
        "list_url": reverse("workprogrammes:list"),
    }
    return render_to_string("dashboards/_programmes_body.html", context)


def _quarter_cells(row: board.StateProgramme, link: str) -> list[dict]:
    reports = link + "#informes" if link else ""
    return [
        {
            "label": cell.label,
            "overdue": cell.overdue,
            "due": cell.due_date.strftime("%d/%m/%Y"),
            "url": reports,
        }
        for cell in row.quarters
    ]


def _programme_row(row: board.StateProgramme, link: str, panel: str) -> dict:
    """One state's row of the board as text, each figure leading to the programme's page."""
    programme = row.programme
    closed = ""
    if row.closed and programme.closed_on:
        closed = _("Sí, el %(date)s") % {"date": programme.closed_on.strftime("%d/%m/%Y")}
    elif row.closed:
        closed = _("Sí")
    elif programme:
        closed = _("No")
    return {
        "state": row.state,
        "panel_url": panel,
        "agreement": row.agreement,
        "url": link,
        "stage": row.stage_label,
        "synthetic": bool(programme and programme.is_synthetic),
        "validated": (_("Sí") if row.validated else _("No")) if programme else "—",
        "quarters": _quarter_cells(row, link),
        "closed": closed or "—",
        "closed_url": link + "#cierre" if link else "",
        "pending": _count(row.pending_observations) if programme else "—",
        "pending_url": link + "#observaciones" if row.pending_observations else "",
        "alert": row.pending_observations > 0 or row.reports_overdue > 0,
    }


def _state_for(request: HttpRequest, code: str) -> tuple[State, Scope]:
    return get_readable_state(request.user, code, State.objects.select_related("summary"))


def _indicator_rows(indicators) -> list[dict]:
    """The indicator table's rows as text: URLs built without a reverse() per row, lights
    rendered once per colour, the charts link's label translated once."""
    detail_url = url_builder("monitoring:detail")
    period_url = url_builder("monitoring:period", 2)
    charts_url = url_builder("dashboards:indicator")
    charts_label = _("Ver gráficas de %(name)s")
    light_html = _light_html()
    rows = []
    for indicator in selectors.with_latest_approved(indicators):
        value, target, label = (
            indicator.latest_value,
            indicator.latest_target,
            indicator.latest_label,
        )
        code = indicator.code
        rows.append(
            {
                "indicator": indicator,
                "detail_url": detail_url(code),
                "charts_url": charts_url(code),
                "charts_label": charts_label % {"name": indicator.name},
                "period_url": period_url(code, label) if label else "",
                "period_display": periods.period_display(label) if label else "",
                "value": "—" if value is None else rules.format_number(value),
                "target": "—" if target is None else rules.format_number(target),
                "progress": "—"
                if indicator.latest_progress is None
                else rules.format_number(indicator.latest_progress, 1),
                "below_baseline": bool(indicator.latest_below_baseline),
                "light": light_html.get(indicator.latest_light, light_html[rules.NO_DATA]),
            }
        )
    return rows


def _agreement_blocks(agreements) -> list[dict]:
    """The agreements section as text: each goal's area named once per page, its indicators
    with their links and lights built without a reverse() or a template tag per indicator."""
    detail_url = url_builder("monitoring:detail")
    light_html = _light_html()
    areas = {value: str(label) for value, label in EmphasisArea.choices}
    blocks = []
    for agreement in agreements:
        goals = [
            {
                "goal": goal,
                "area": areas.get(goal.area, goal.area) if goal.area else "",
                "light": light_html.get(goal.light, light_html[rules.NO_DATA]),
                "indicators": [
                    (
                        detail_url(ind.code),
                        ind.name,
                        light_html.get(ind.light, light_html[rules.NO_DATA]),
                    )
                    for ind in goal.indicators.all()
                ],
            }
            for goal in agreement.goals.all()
        ]
        blocks.append(
            {
                "agreement": agreement,
                "light": light_html.get(agreement.light, light_html[rules.NO_DATA]),
                "goals": goals,
            }
        )
    return blocks


@require_GET
@protected
def state(request: HttpRequest, code: str) -> HttpResponse:
    state, scope = _state_for(request, code)
    can_review = queue.can_use_queue(scope)
    year, valid = _coordination_year(request)
    status = 200
    if not valid:
        status = 400
        messages.warning(
            request,
            _(
                "Se ignoró un año no válido: la coordinación interinstitucional y el ciclo del "
                "modelo se muestran de %(year)s."
            )
            % {"year": year},
        )
    # Below the header the page depends on the state, what this person may see (their roles),
    # the query string (page, year) and the data: rendered once per data stamp (audit.stamp).
    body = cached(
        request,
        "dash-state",
        [state.code, _scope_signature(scope), can_review, request.GET.urlencode(), year],
        lambda: _state_body(request, state, scope, can_review, year),
    )
    return render(request, "dashboards/state.html", {"state": state, "body": body}, status=status)


def _coordination_year(request: HttpRequest) -> tuple[int, bool]:
    """The year of the coordination and cycle panels (``anio``, this year by default) and whether
    the value sent, if any, was a year."""
    this_year = timezone.localdate().year
    value = request.GET.get("anio", "")
    if not value:
        return this_year, True
    if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value), True
    return this_year, False


def _coordination_panel(scope: Scope, state: State, year: int) -> dict:
    """The state's systems, sessions and acuerdos of ``year`` (coordination.selectors: three
    queries), each figure leading to the systems' calendars of that year."""
    today = timezone.localdate()
    figures = state_coordination(year, today, [state.pk]).get(state.pk, selectors.NO_COORDINATION)
    system_url = url_builder("coordination:system")
    calendar = f"?anio={year}#calendar"
    systems = [
        {
            "system": system,
            "url": system_url(system.code) + calendar,
            "cells": [
                _count(n)
                for n in (
                    system.sessions_held,
                    system.sessions_planned,
                    system.sessions_overdue,
                    system.acuerdos,
                    system.acuerdos_overdue,
                    system.acuerdos_fulfilled,
                )
            ],
        }
        for system in state_systems_year(scope, state.pk, year, today)
    ]
    return {
        "year": year,
        "years": (year - 1, year + 1),
        "figures": figures,
        "waiting": figures.acuerdos - figures.acuerdos_open - figures.acuerdos_fulfilled,
        "on_time": mx_percent(figures.on_time_percent),
        "systems": systems,
        # One system: its calendar; several: their table just below the figures.
        "target": systems[0]["url"] if len(systems) == 1 else "#coordination-systems",
    }


def _cycle_panel(scope: Scope, state: State, year: int) -> dict:
    """The four stages of the model of the state's institute in ``year`` (improvement's
    ``cycle``: eight queries, plus the institute with its names). The figures lead to the cycle
    page's stages and to the ASM lists, for those who read the institute; someone from another of
    the state's institutions reads the figures without the links (those pages would be a 404)."""
    # The same institute the state's report speaks of (the first recorded if there were two).
    institute = state_institute(state.pk)
    panel = {"year": year, "years": (year - 1, year + 1), "institute": institute}
    if institute is None:
        return panel
    summary = cycle(institute, year, timezone.localdate())
    readable = can_read(scope, institute)
    page = reverse("improvement:cycle", args=[institute.slug]) + f"?anio={year}"
    lists = reverse("improvement:home") + f"?anio={year}&ver="
    stages = _cycle_stages(summary, page, lists)
    if not readable:
        for stage in stages:
            for figure in stage["figures"]:
                figure["url"] = ""
    improve = summary.improve
    recorded = (
        summary.plans
        or summary.execute["total"]
        or any(summary.verify.values())
        or improve["total"]
        or improve["findings"]
        or improve["proposed"]
    )
    return {
        **panel,
        "recorded": bool(recorded),
        "stages": stages,
        "url": page,
        "readable": readable,
    }


def _programme_panel(scope: Scope, state: State, year: int, agreements) -> dict:
    """The state's work programme of ``year`` (board.state_programme: one query, two more with a
    programme, three when it has observations pending). The figures lead to the programme's
    page for those who read it (the state institute's members and the national institution);
    someone from another of the state's institutions reads the figures, without the links or
    the observations' text."""
    panel = board.state_programme(state, year, timezone.localdate(), agreements)
    row = panel.row
    programme = row.programme
    readable = programme is not None and (
        scope.is_national or programme.agreement.state_institution_id in scope.roles
    )
    link = reverse("workprogrammes:programme", args=[programme.code]) if readable else ""
    agreement = row.agreement
    return {
        "year": year,
        "years": (year - 1, year + 1),
        "row": row,
        "programme": programme,
        "url": link,
        "readable": readable,
        "agreement": agreement,
        "agreement_url": reverse("agreements:detail", args=[agreement.code]) if agreement else "",
        "quarters": _quarter_cells(row, link),
        "observations": [
            {"item": item, "days": _count(item.days_waiting)} for item in panel.observations
        ]
        if readable
        else [],
        "observations_url": link + "#observaciones" if link else "",
        "closure_url": link + "#cierre" if link else "",
    }


def _figure(number: int | str, label: str, url: str, alert: bool = False) -> dict:
    figure = number if isinstance(number, str) else _count(number)
    return {"figure": figure, "label": label, "url": url, "alert": alert}


def _cycle_stages(summary, page: str, lists: str) -> list[dict]:
    """Each stage's figures as text, with the cycle page's section or the ASM list they lead to:
    plan (plans in force, items without alignment), execute (the year's periods approved and
    overdue), verify (the year's evaluations, red indicators), improve (findings, ASM)."""
    execute, verify, improve = summary.execute, summary.verify, summary.improve
    n_plans, gaps, proposed = len(summary.plans), summary.gap_count, improve["proposed"]
    plan = [
        _figure(
            n_plans,
            ngettext(
                "plan o programa vigente en el año",
                "planes y programas vigentes en el año",
                n_plans,
            ),
            page + "#stage-plan",
        )
    ]
    if gaps:
        label = ngettext("elemento sin alineación", "elementos sin alineación", gaps)
        plan.append(_figure(gaps, label, page + "#stage-plan"))
    approved = _("%(part)s de %(whole)s") % {
        "part": _count(execute["approved"]),
        "whole": _count(execute["total"]),
    }
    do = [
        _figure(
            approved,
            ngettext(
                "periodo de reporte que vence en el año, aprobado",
                "periodos de reporte que vencen en el año, aprobados",
                execute["total"],
            ),
            page + "#stage-do",
        ),
        _figure(
            execute["overdue"],
            ngettext(
                "periodo vencido sin reporte enviado",
                "periodos vencidos sin reporte enviado",
                execute["overdue"],
            ),
            page + "#stage-do",
            alert=bool(execute["overdue"]),
        ),
    ]
    check = [
        _figure(
            verify["evaluations"],
            ngettext("evaluación del año", "evaluaciones del año", verify["evaluations"]),
            page + "#stage-check",
        ),
        _figure(
            verify["red"],
            ngettext("indicador en rojo (crítico)", "indicadores en rojo (crítico)", verify["red"]),
            page + "#stage-check",
            alert=bool(verify["red"]),
        ),
    ]
    act = [
        _figure(
            improve["findings"],
            ngettext("hallazgo del año", "hallazgos del año", improve["findings"]),
            page + "#stage-act",
        )
    ]
    if proposed:
        label = ngettext(
            "hallazgo propuesto por decidir", "hallazgos propuestos por decidir", proposed
        )
        act.append(_figure(proposed, label, page + "#stage-act"))
    act += [
        _figure(
            improve["open"],
            ngettext("ASM abierto o en proceso", "ASM abiertos o en proceso", improve["open"]),
            lists + "abiertos#asm",
        ),
        _figure(
            improve["overdue"],
            ngettext("ASM vencido", "ASM vencidos", improve["overdue"]),
            lists + "vencidos#asm",
            alert=bool(improve["overdue"]),
        ),
        _figure(
            improve["done"],
            ngettext(
                "ASM atendido, por verificar", "ASM atendidos, por verificar", improve["done"]
            ),
            page + "#stage-act",
        ),
        _figure(
            improve["verified"],
            ngettext("ASM verificado", "ASM verificados", improve["verified"]),
            lists + "verificados#asm",
        ),
    ]
    return [
        {"name": _("Planear"), "figures": plan},
        {"name": _("Ejecutar"), "figures": do},
        {"name": _("Verificar"), "figures": check},
        {"name": _("Mejorar"), "figures": act},
    ]


def _state_body(
    request: HttpRequest, state: State, scope: Scope, can_review: bool, year: int
) -> str:
    summary = getattr(state, "summary", None)
    counts = {colour: 0 for colour in rules.COLOURS}
    if summary is not None:
        counts = {
            rules.GREEN: summary.goals_green,
            rules.YELLOW: summary.goals_yellow,
            rules.RED: summary.goals_red,
            rules.NO_DATA: summary.goals_no_data,
        }
    rollup = selectors.goal_rollup(counts)
    pending, overdue = selectors.state_counts(state)
    # A state has hundreds of indicators at national scale: 50 a page, with the latest value of
    # each.
    indicator_page = paginate(request, selectors.state_indicators(scope, state))
    agreements = selectors.state_agreements(scope, state)
    context = {
        "state": state,
        "scope": scope,
        "nav_review": can_review,
        "summary_light": summary.light if summary else rules.NO_DATA,
        "summary_label": lights.label(summary.light if summary else rules.NO_DATA),
        "summary_updated": summary.updated_at if summary else None,
        "rollup": rollup,
        "goal_counts": [(c, lights.label(c), counts[c]) for c in rules.COLOURS],
        "legend": _legend(rules.ROLLUP_LEGEND),
        "indicator_legend": _legend(rules.LEGEND),
        "agreements": _agreement_blocks(agreements),
        "indicators": _indicator_rows(indicator_page.object_list),
        "indicator_page": indicator_page,
        "page_query": page_query(request),
        "pending": pending,
        "overdue": overdue,
        "has_synthetic": selectors.has_synthetic_data(state),
        "coordination": _coordination_panel(scope, state, year),
        "cycle": _cycle_panel(scope, state, year),
        "programme": _programme_panel(scope, state, year, agreements),
    }
    return render_to_string("dashboards/_state_body.html", context)


@require_GET
@protected
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code)
    # Dashboards are for members: a public indicator's charts for the public live in the portal.
    authorize(request.user, indicator.owner, READ)
    points = selectors.indicator_points(indicator)
    title = indicator.name
    progress = charts.progress_spec(
        points,
        baseline=indicator.baseline_value,
        unit=indicator.unit,
        title=title,
        description=_(
            "Gráfica de valores aprobados, meta y línea base por periodo; los mismos datos están "
            "en la tabla."
        ),
    )
    context = {
        "indicator": indicator,
        "state": indicator.owner.state,
        "points": points,
        "progress_spec": progress,
        "progress_rows": progress["data"]["values"],
        "baseline": None
        if indicator.baseline_value is None
        else rules.format_number(indicator.baseline_value),
        "breakdowns": selectors.indicator_breakdowns(indicator, unit=indicator.unit, title=title),
        "legend": _legend(rules.legend(indicator.thresholds)),
    }
    return render(request, "dashboards/indicator.html", context)

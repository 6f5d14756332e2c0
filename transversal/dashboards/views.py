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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from transversal.accounts.access import READ, Scope, authorize, get_readable_state, scope_for
from transversal.agreements.selectors import agreement_rounds
from transversal.core import lights
from transversal.core.access import protected
from transversal.core.pagination import page_query, paginate
from transversal.dashboards import selectors
from transversal.dashboards.forms import MEASURE_CHOICES, DashboardFilterForm
from transversal.monitoring import charts, periods, rules
from transversal.monitoring.access import get_indicator_for_user
from transversal.territory.models import State


def _legend(rows) -> list[tuple[str, str, str]]:
    # The rule texts come from monitoring.rules with the thresholds filled in.
    return [(colour, lights.label(colour), rule) for colour, _label, rule in rows]


def _count_legend(measure: str) -> list[tuple[str, str]]:
    noun = (
        _("reportes por revisar")
        if measure == selectors.MEASURE_PENDING
        else _("reportes vencidos")
    )
    return [
        ("level-0", _("Ninguno")),
        ("level-1", _("De 1 a 5 %(noun)s") % {"noun": noun}),
        ("level-2", _("De 6 a 20 %(noun)s") % {"noun": noun}),
        ("level-3", _("Más de 20 %(noun)s") % {"noun": noun}),
    ]


def _tile(row: selectors.StateRow, measure: str) -> dict:
    """What one tile shows for the chosen measure: a figure, a text label and a css class."""
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
        else ngettext("vencido", "vencidos", number)
    )
    return {"figure": f"{number:,}", "label": label, "css": selectors.count_level(number)}


@require_GET
@protected
def national(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.is_national:
        return _redirect_state_member(scope)
    form = DashboardFilterForm(
        request.GET or None, years=selectors.filter_years(), rounds=agreement_rounds(scope)
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
    tiles = [
        {
            "row": row,
            "rollup": row.rollup,
            "rollup_label": lights.label(row.rollup.colour),
            **_tile(row, filters.measure),
        }
        for row in rows
    ]
    totals = selectors.headline(rows)
    context = {
        "form": form,
        "filters": filters,
        "measure_label": dict(MEASURE_CHOICES)[filters.measure],
        "is_green": filters.measure == selectors.MEASURE_GREEN,
        "tiles": tiles,
        "headline": totals,
        "headline_goals": [(c, lights.label(c), totals.goals[c]) for c in rules.COLOURS],
        "legend": _legend(rules.ROLLUP_LEGEND),
        "count_legend": _count_legend(filters.measure),
        "has_synthetic": selectors.has_synthetic_data(),
    }
    return render(request, "dashboards/national.html", context, status=status)


def _redirect_state_member(scope: Scope) -> HttpResponse:
    state = State.objects.filter(pk__in=scope.state_ids).order_by("code").first()
    if state is None:
        raise PermissionDenied(_("El tablero nacional es para la coordinación nacional."))
    return redirect("dashboards:state", code=state.code)


def _state_for(request: HttpRequest, code: str) -> tuple[State, Scope]:
    return get_readable_state(request.user, code, State.objects.select_related("summary"))


def _indicator_row(indicator) -> dict:
    value, target = indicator.latest_value, indicator.latest_target
    return {
        "indicator": indicator,
        "period_label": indicator.latest_label,
        "period_display": periods.period_display(indicator.latest_label)
        if indicator.latest_label
        else "",
        "value": None if value is None else rules.format_number(value),
        "target": None if target is None else rules.format_number(target),
        "progress": None
        if indicator.latest_progress is None
        else rules.format_number(indicator.latest_progress, 1),
        "below_baseline": bool(indicator.latest_below_baseline),
        "light": indicator.latest_light or rules.NO_DATA,
        "light_label": lights.label(indicator.latest_light or rules.NO_DATA),
    }


@require_GET
@protected
def state(request: HttpRequest, code: str) -> HttpResponse:
    state, scope = _state_for(request, code)
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
    context = {
        "state": state,
        "scope": scope,
        "summary_light": summary.light if summary else rules.NO_DATA,
        "summary_label": lights.label(summary.light if summary else rules.NO_DATA),
        "summary_updated": summary.updated_at if summary else None,
        "rollup": rollup,
        "goal_counts": [(c, lights.label(c), counts[c]) for c in rules.COLOURS],
        "legend": _legend(rules.ROLLUP_LEGEND),
        "indicator_legend": _legend(rules.LEGEND),
        "agreements": selectors.state_agreements(scope, state),
        "indicators": [_indicator_row(i) for i in indicator_page.object_list],
        "indicator_page": indicator_page,
        "page_query": page_query(request),
        "pending": pending,
        "overdue": overdue,
        "has_synthetic": selectors.has_synthetic_data(state),
    }
    return render(request, "dashboards/state.html", context)


@require_GET
@protected
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code)
    # Dashboards are for members: a public indicator's charts for the public live in the portal.
    authorize(request.user, indicator.owner, READ)
    points = selectors.indicator_points(indicator)
    title = indicator.name
    progress = charts.progress_spec(
        points, baseline=indicator.baseline_value, unit=indicator.unit, title=title
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

"""SQL floors: the smallest hand-written SQL that returns the figures a page shows.

Each floor reads, with one cursor and plain SQL, what the scenario's page or export
puts in front of a person, and nothing else: no ORM, no templates. A page's time
divided by its floor's says how much the framework, the queries the ORM writes and
the rendering cost above the unavoidable database work. The SQL is portable between
SQLite and PostgreSQL (booleans compared with TRUE/FALSE, dates passed as parameters).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.utils import timezone

# The tables by their Django names (``app_model``).
UPDATES = "monitoring_progressupdate"
PERIODS = "monitoring_reportingperiod"
INDICATORS = "monitoring_indicator"
INDICATOR_GOALS = "monitoring_indicator_goals"
INSTITUTIONS = "institutions_institution"
GOALS = "agreements_goal"
AGREEMENTS = "agreements_agreement"
STATES = "territory_state"
SUMMARIES = "monitoring_statesummary"

PAGE = 50  # rows on a list page, an API page and the review queue

# Submitted current reports, written as the ORM writes the page's filter and as the partial index
# ``update_pending_idx`` is declared: SQLite uses a partial index only when the query's WHERE
# implies the index's, and it cannot tell that ``is_current = TRUE`` implies ``is_current`` (the
# floor once scanned every update, 38 ms at M, where the page read the index in under 1 ms).
PENDING = "{u}is_current AND {u}status = 'submitted'"


def _all(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def national(today: dt.date | None = None) -> dict[str, dict]:
    """Goal lights, agreements in force, pending reviews and overdue periods, per state."""
    today = today or timezone.localdate()
    goals: dict[int, dict[str, int]] = defaultdict(dict)
    for state_id, light, n in _all(
        f"SELECT a.state_id, g.light, COUNT(*) FROM {GOALS} g "
        f"JOIN {AGREEMENTS} a ON a.id = g.agreement_id "
        f"GROUP BY a.state_id, g.light"
    ):
        goals[state_id][light] = n
    in_force = dict(
        _all(
            f"SELECT state_id, COUNT(*) FROM {AGREEMENTS} WHERE status = 'in_force' "
            f"GROUP BY state_id"
        )
    )
    # Pending and overdue are stored per state (StateSummary, as of a day), as the page reads them.
    workload = _all(
        f"SELECT state_id, pending, overdue FROM {SUMMARIES} WHERE counts_on = %s", [today]
    )
    pending = {state_id: n for state_id, n, _o in workload}
    overdue = {state_id: n for state_id, _p, n in workload}
    return {"goals": dict(goals), "in_force": in_force, "pending": pending, "overdue": overdue}


def state(code: str, today: dt.date | None = None) -> dict[str, object]:
    """A state's summary, agreements with goals and their indicators, indicators with their
    latest approved period, pending and overdue counts."""
    today = today or timezone.localdate()
    (state_id,) = _all(f"SELECT id FROM {STATES} WHERE code = %s", [code])[0]
    summary = _all(
        f"SELECT light, goals_green, goals_yellow, goals_red, goals_no_data, pending, overdue "
        f"FROM {SUMMARIES} WHERE state_id = %s",
        [state_id],
    )
    agreements = _all(
        f"SELECT a.id, a.title, g.number, g.light, gi.indicator_id FROM {AGREEMENTS} a "
        f"LEFT JOIN {GOALS} g ON g.agreement_id = a.id "
        f"LEFT JOIN {INDICATOR_GOALS} gi ON gi.goal_id = g.id "
        f"WHERE a.state_id = %s ORDER BY a.valid_from DESC, a.title, g.number",
        [state_id],
    )
    latest = _all(
        f"SELECT ind.id, ind.name, u.value, p.target, p.label, u.light, u.progress "
        f"FROM {INDICATORS} ind "
        f"JOIN {INSTITUTIONS} i ON i.id = ind.owner_id "
        f"LEFT JOIN {UPDATES} u ON u.id = (SELECT u2.id FROM {UPDATES} u2 "
        f"JOIN {PERIODS} p2 ON p2.id = u2.period_id "
        f"  WHERE p2.indicator_id = ind.id AND u2.is_current = TRUE AND u2.status = 'approved' "
        f"  ORDER BY p2.start DESC LIMIT 1) "
        f"LEFT JOIN {PERIODS} p ON p.id = u.period_id WHERE i.state_id = %s "
        f"ORDER BY ind.name, ind.id",
        [state_id],
    )
    # Pending and overdue come with the stored summary, as the page reads them.
    return {"summary": summary, "agreements": agreements, "indicators": latest}


def indicator(pk: int) -> dict[str, object]:
    """The indicator's sheet, its calendar and the goals it measures."""
    row = _all(
        f"SELECT ind.id, ind.name, ind.unit, ind.baseline_value, i.slug FROM {INDICATORS} ind "
        f"JOIN {INSTITUTIONS} i ON i.id = ind.owner_id WHERE ind.id = %s",
        [pk],
    )
    periods = _all(
        f"SELECT label, start, due_date, target, locked FROM {PERIODS} WHERE indicator_id = %s "
        f"ORDER BY start",
        [pk],
    )
    goals = _all(
        f"SELECT g.number, g.description, s.code FROM {INDICATOR_GOALS} gi "
        f"JOIN {GOALS} g ON g.id = gi.goal_id "
        f"JOIN {AGREEMENTS} a ON a.id = g.agreement_id JOIN {STATES} s ON s.id = a.state_id "
        f"WHERE gi.indicator_id = %s ORDER BY s.code, g.number",
        [pk],
    )
    return {"indicator": row, "periods": periods, "goals": goals}


def review_queue() -> dict[str, object]:
    """The first page of submitted current reports, oldest first, with what a row shows, and
    the total."""
    rows = _all(
        f"SELECT u.id, u.submitted_at, p.label, ind.name, i.slug, s.code FROM {UPDATES} u "
        f"JOIN {PERIODS} p ON p.id = u.period_id JOIN {INDICATORS} ind ON ind.id = p.indicator_id "
        f"JOIN {INSTITUTIONS} i ON i.id = ind.owner_id LEFT JOIN {STATES} s ON s.id = i.state_id "
        f"WHERE {PENDING.format(u='u.')} ORDER BY u.submitted_at, u.id LIMIT {PAGE}"
    )
    total = _all(f"SELECT COUNT(*) FROM {UPDATES} WHERE {PENDING.format(u='')}")[0][0]
    return {"rows": rows, "total": total}


def api_updates() -> dict[str, object]:
    """The first API page of updates in the API's order, and the total."""
    rows = _all(
        f"SELECT u.code, u.revision, u.status, u.value, u.numerator, u.denominator, u.light, "
        f"u.progress, u.submitted_at, u.reviewed_at, p.label, ind.code FROM {UPDATES} u "
        f"JOIN {PERIODS} p ON p.id = u.period_id "
        f"JOIN {INDICATORS} ind ON ind.id = p.indicator_id "
        f"ORDER BY ind.code, p.start, u.revision DESC, u.id LIMIT {PAGE}"
    )
    total = _all(f"SELECT COUNT(*) FROM {UPDATES}")[0][0]
    return {"rows": rows, "total": total}


def api_indicators() -> dict[str, object]:
    """The first API page of indicators in the API's order, and the total."""
    rows = _all(
        f"SELECT ind.code, ind.name, ind.unit, ind.measure, ind.frequency, ind.direction, "
        f"ind.baseline_year, ind.baseline_value, ind.light, i.slug FROM {INDICATORS} ind "
        f"JOIN {INSTITUTIONS} i ON i.id = ind.owner_id "
        f"ORDER BY i.slug, ind.name, ind.id LIMIT {PAGE}"
    )
    total = _all(f"SELECT COUNT(*) FROM {INDICATORS}")[0][0]
    return {"rows": rows, "total": total}


def approved_values_csv() -> int:
    """Every row of the approved-values open data set, fetched in batches; returns the row count."""
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ind.code, p.label, u.revision, u.value, u.numerator, u.denominator, p.target, "
            f"u.progress, u.light, u.overachieved, u.narrative, u.reviewed_at, u.is_synthetic "
            f"FROM {UPDATES} u JOIN {PERIODS} p ON p.id = u.period_id "
            f"JOIN {INDICATORS} ind ON ind.id = p.indicator_id "
            f"WHERE u.status = 'approved' AND u.is_current = TRUE AND ind.is_public = TRUE "
            f"ORDER BY ind.code, p.start"
        )
        while batch := cursor.fetchmany(2000):
            rows += len(batch)
    return rows

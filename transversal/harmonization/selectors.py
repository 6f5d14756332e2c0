"""Reads of the harmonization matrix, each a fixed number of queries whatever its size: the
provisions, the states and the cells are read once and arranged in Python."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from transversal.harmonization.models import (
    UNVERIFIED,
    Cell,
    CellProposal,
    ProposalStatus,
    Provision,
    Status,
    Topic,
    status_label,
)
from transversal.territory.models import State

SHOWN_STATUSES = (*Status.values, UNVERIFIED)

# Map tiles: the colour classes of dashboards.css, each with a text label on the tile.
STATUS_CSS = {
    Status.HARMONIZED: "light-green",
    Status.PARTIAL: "light-yellow",
    Status.PENDING: "light-red",
    Status.NOT_APPLICABLE: "level-0",
    UNVERIFIED: "light-no_data",
}


def shown_status(cell: Cell) -> str:
    return cell.shown_status


def legend() -> list[tuple[str, str]]:
    return [(STATUS_CSS[s], status_label(s)) for s in SHOWN_STATUSES]


@dataclass
class Filters:
    topic: str = ""
    status: str = ""
    state: str = ""
    provision: str = ""

    @classmethod
    def from_query(cls, query) -> Filters:
        def pick(name: str, allowed) -> str:
            value = str(query.get(name, "") or "")[:60]
            return value if value in allowed else ""

        states = {f"{n:02d}" for n in range(1, 33)}
        return cls(
            topic=pick("tema", Topic.values),
            status=pick("estado", SHOWN_STATUSES),
            state=pick("entidad", states),
            provision=str(query.get("disposicion", "") or "")[:60],
        )


def active_provisions(filters: Filters | None = None) -> QuerySet[Provision]:
    provisions = Provision.objects.filter(is_active=True)
    if filters and filters.topic:
        provisions = provisions.filter(topic=filters.topic)
    if filters and filters.provision:
        provisions = provisions.filter(slug=filters.provision)
    return provisions.order_by("order", "slug")


def states(filters: Filters | None = None) -> QuerySet[State]:
    found = State.objects.order_by("code")
    if filters and filters.state:
        found = found.filter(code=filters.state)
    return found


@dataclass
class MatrixRow:
    state: State
    cells: list[Cell | None] = field(default_factory=list)


def cells_for(provisions: list[Provision], state_list: list[State]) -> dict[tuple[int, int], Cell]:
    found = Cell.objects.filter(
        provision__in=[p.pk for p in provisions], state__in=[s.pk for s in state_list]
    )
    by_key = {}
    provision_by_pk = {p.pk: p for p in provisions}
    state_by_pk = {s.pk: s for s in state_list}
    for cell in found:
        # The provision and state already read: no query per cell.
        cell.provision = provision_by_pk[cell.provision_id]
        cell.state = state_by_pk[cell.state_id]
        cell.shown = shown_status(cell)
        cell.css = STATUS_CSS[cell.shown]
        by_key[(cell.provision_id, cell.state_id)] = cell
    return by_key


def matrix(filters: Filters) -> tuple[list[Provision], list[MatrixRow]]:
    """Rows of states, a column per provision (three queries). A status filter keeps the
    states with at least one such cell and blanks the others."""
    provisions = list(active_provisions(filters))
    state_list = list(states(filters))
    by_key = cells_for(provisions, state_list)
    rows = []
    for state in state_list:
        cells = [by_key.get((p.pk, state.pk)) for p in provisions]
        if filters.status:
            cells = [c if c is not None and c.shown == filters.status else None for c in cells]
            if not any(cells):
                continue
        rows.append(MatrixRow(state, cells))
    return provisions, rows


def summary(provisions: list[Provision], rows: list[MatrixRow]) -> list[dict]:
    """How many states in each shown status, per provision."""
    counts = []
    for index, provision in enumerate(provisions):
        tally = dict.fromkeys(SHOWN_STATUSES, 0)
        for row in rows:
            cell = row.cells[index]
            if cell is not None:
                tally[cell.shown] += 1
        counts.append({"provision": provision, "counts": [tally[s] for s in SHOWN_STATUSES]})
    return counts


def provision_cells(provision: Provision) -> list[Cell]:
    """The 32 cells of one provision, in state order (two queries)."""
    state_list = list(states())
    by_key = cells_for([provision], state_list)
    return [by_key[(provision.pk, s.pk)] for s in state_list if (provision.pk, s.pk) in by_key]


def state_cells(state: State) -> list[Cell]:
    provisions = list(active_provisions())
    by_key = cells_for(provisions, [state])
    return [by_key[(p.pk, state.pk)] for p in provisions if (p.pk, state.pk) in by_key]


def pending_proposals() -> QuerySet[CellProposal]:
    return (
        CellProposal.objects.filter(decision=ProposalStatus.PROPOSED)
        .select_related("cell__provision", "cell__state", "proposed_by")
        .order_by("created_at", "pk")
    )


def proposals_of_states(state_ids) -> QuerySet[CellProposal]:
    return (
        CellProposal.objects.filter(cell__state__in=list(state_ids))
        .select_related("cell__provision", "cell__state", "proposed_by", "decided_by")
        .order_by("-created_at", "-pk")
    )


def open_proposal_cells(state_ids) -> set[int]:
    return set(
        CellProposal.objects.filter(
            cell__state__in=list(state_ids), decision=ProposalStatus.PROPOSED
        ).values_list("cell_id", flat=True)
    )

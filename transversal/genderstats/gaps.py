"""Pure calculations on gender statistics: gaps, ratios, the femininity index, precision flags,
rankings and the national figure. No database access; the selectors feed them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# INEGI's reading of the coefficient of variation: up to 15 % high precision, above 15 % and up
# to 30 % moderate, above 30 % low.
CV_MODERATE = Decimal("15")
CV_LOW = Decimal("30")
# INEGI publishes 90 % confidence intervals: the half-width is 1.645 standard errors.
Z_90 = Decimal("1.645")
STATES_IN_COUNTRY = 32

HIGH = "alta"
MODERATE = "moderada"
LOW = "baja"
UNKNOWN = ""

PRECISION_LABELS = {
    HIGH: _("precisión alta"),
    MODERATE: _("precisión moderada"),
    LOW: _("precisión baja"),
    UNKNOWN: _("precisión no reportada"),
}
_ORDER = {UNKNOWN: 0, HIGH: 1, MODERATE: 2, LOW: 3}


def gap(women: Decimal | None, men: Decimal | None) -> Decimal | None:
    """Women − men, in the indicator's unit."""
    if women is None or men is None:
        return None
    return women - men


def ratio(women: Decimal | None, men: Decimal | None) -> Decimal | None:
    """Women / men, four decimals; None when the men's figure is zero or missing."""
    if women is None or not men:
        return None
    return (women / men).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def femininity_index(women: Decimal | None, men: Decimal | None) -> Decimal | None:
    """Women per 100 men, one decimal: meaningful for counts of people only."""
    if women is None or not men:
        return None
    return (women * 100 / men).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cv_from_interval(
    value: Decimal | None, low: Decimal | None, high: Decimal | None
) -> Decimal | None:
    """The coefficient of variation (%) a 90 % interval implies: half its width over 1.645,
    over the estimate."""
    if value is None or low is None or high is None or not value:
        return None
    return (high - low) / 2 / Z_90 / abs(value) * 100


def precision(
    cv: Decimal | None, low: Decimal | None = None, high: Decimal | None = None, value=None
) -> str:
    """HIGH, MODERATE or LOW by the coefficient of variation, or by the interval when the source
    gives no coefficient; UNKNOWN when it gives neither."""
    if cv is None:
        cv = cv_from_interval(value, low, high)
    if cv is None:
        return UNKNOWN
    if cv > CV_LOW:
        return LOW
    if cv > CV_MODERATE:
        return MODERATE
    return HIGH


def worst(*levels: str) -> str:
    """The poorer of several precisions (a gap is as precise as its less precise figure)."""
    return max(levels, key=lambda level: _ORDER[level]) if levels else UNKNOWN


@dataclass(frozen=True)
class NationalFigure:
    value: Decimal | None
    how: str  # "published", "synthetic" (an invented national row), "sum" or "" (none)
    note: str


def national_figure(
    published: Decimal | None,
    state_values: Sequence[Decimal],
    *,
    is_count: bool,
    synthetic: bool = False,
) -> NationalFigure:
    """The stored national row when there is one; for counts, the sum of the 32 states when
    all are present; otherwise no figure (a mean of states would misweight them).

    ``synthetic`` says the stored row (or, for a sum, any state's figure) is invented: the note
    then never calls it published."""
    if published is not None:
        if synthetic:
            note = _("cifra nacional inventada para demostración: no es una cifra publicada")
            return NationalFigure(published, "synthetic", str(note))
        return NationalFigure(published, "published", str(_("cifra nacional publicada")))
    if is_count and len(state_values) == STATES_IN_COUNTRY:
        note = (
            _("suma de las 32 entidades (dato sintético)")
            if synthetic
            else _("suma de las 32 entidades")
        )
        return NationalFigure(sum(state_values, Decimal(0)), "sum", str(note))
    if is_count:
        note = _("sin cifra nacional: faltan entidades para sumarla")
    else:
        note = _("sin cifra nacional: la fuente no la publica y no se obtiene sumando entidades")
    return NationalFigure(None, "", str(note))


def disadvantage(gap_value: Decimal | None, direction: str) -> Decimal | None:
    """The gap signed so that larger means a larger disadvantage for women."""
    if gap_value is None:
        return None
    return -gap_value if direction == "negative" else gap_value


def rank_by_gap(gaps: Mapping[str, Decimal | None], direction: str) -> dict[str, int]:
    """Rank 1 is the state where women fare worst (by the indicator's reading of the gap);
    states without a gap get no rank; ties share a rank."""
    scored = [(key, disadvantage(value, direction)) for key, value in gaps.items()]
    present = sorted((s for s in scored if s[1] is not None), key=lambda s: (-s[1], s[0]))
    ranks: dict[str, int] = {}
    previous, rank = None, 0
    for position, (key, score) in enumerate(present, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def by_sex(values: Iterable) -> dict[str, object]:
    """{"mujeres": value, "hombres": value, "total": value} from StatValue-like rows."""
    return {row.sex: row for row in values}

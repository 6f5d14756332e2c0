"""Progress and the traffic light (semáforo) of an indicator, and roll-ups.

Everything here is a pure function of (direction, baseline, target, value,
thresholds); the same rules are shown to users next to every colour.

Direction
    ``ascending``: a higher value is better (e.g. women trained).
    ``descending``: a lower value is better (e.g. days to attend a complaint).

Progress, in percent of the target (rounded to one decimal, half up, before
it is compared with the thresholds, so the colour always agrees with the
number shown). The technical sheet says how a value is compared with its
target (``basis``):

1. ``target`` (the default): the value against the target. With a positive
   target T: ascending, value / T × 100; descending, (2T − value) / T × 100,
   the mirror image: each unit below the target counts as much as a unit above
   it counts for an ascending indicator. (T / value was rejected: it is
   undefined at zero and explodes near it, so 1 case against a target of 10
   would read 1,000 %.) A value of 0 against a target of 10 is 200 %.
   74 against a target of 134 is 55.2 %, whatever the baseline.
2. ``baseline``, only when the sheet says so: with a baseline B and a target T
   better than B (T > B ascending, T < B descending), the share of the planned
   change achieved, (value − B) / (T − B) × 100: the baseline is 0 %, the
   target 100 %. A value worse than the baseline is 0 % and is said to be
   "por debajo de la línea base" (below the baseline), never a negative
   percentage.
3. Otherwise the target is a floor (ascending) or a ceiling (descending):
   progress is 100 % when the value is at least as good as the target, else
   0 %. This covers a target of zero or below ("zero incidents") and, on the
   baseline basis, a target equal to or worse than the baseline (nothing to
   improve: keep the level).

Progress is never negative: what would be below zero is 0 %. No value or no
target gives no progress ("Sin dato"). Absurd percentages are clamped to
999,999.9 %.

Which value is compared (``accumulation``, for targets set per period of a
year): ``period``, the period's own value against its target; ``cumulative``,
the sum of the year's values up to the period against the period's target
(a target to date); ``latest``, the period's value as a level reached (a stock,
never added up). :func:`compared_value` picks it.

Traffic light, with configurable thresholds (defaults 90, 70 and 150):
green ("Aceptable") from the green threshold, yellow ("Con riesgo") from the
yellow threshold, red ("Crítico") below it, "Sin dato" without progress.
Progress above the over-achievement threshold stays green but is flagged: the
target was probably set too low (a planning problem).

The colour vocabulary and the roll-up of many lights into one live in
``transversal.core.lights``, which every app shares; they are imported here so
the indicator rule and its callers keep one import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transversal.core.lights import (  # noqa: F401  (re-exported for the indicator rule's callers)
    COLOURS,
    GREEN,
    LABELS,
    NO_DATA,
    RED,
    ROLLUP_GREEN_SHARE,
    ROLLUP_LEGEND,
    ROLLUP_RED_SHARE,
    YELLOW,
    Rollup,
    format_number,
    rollup,
    rollup_legend,
)

ASCENDING = "ascending"
DESCENDING = "descending"
DIRECTIONS = (ASCENDING, DESCENDING)
DIRECTION_LABELS = {ASCENDING: gettext_lazy("Ascendente"), DESCENDING: gettext_lazy("Descendente")}

BASIS_TARGET = "target"
BASIS_BASELINE = "baseline"
BASES = (BASIS_TARGET, BASIS_BASELINE)

ACCUMULATION_PERIOD = "period"
ACCUMULATION_CUMULATIVE = "cumulative"
ACCUMULATION_LATEST = "latest"
ACCUMULATIONS = (ACCUMULATION_PERIOD, ACCUMULATION_CUMULATIVE, ACCUMULATION_LATEST)

HUNDRED = Decimal(100)
PROGRESS_LIMIT = Decimal("999999.9")
_ONE_DECIMAL = Decimal("0.1")

NumberLike = Decimal | int | str


def _decimal(value: NumberLike) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Thresholds:
    """Percentages of progress: green from ``green``, yellow from ``yellow``,
    over-achievement flagged above ``overachievement``."""

    green: Decimal = Decimal(90)
    yellow: Decimal = Decimal(70)
    overachievement: Decimal = Decimal(150)

    def __post_init__(self) -> None:
        for name in ("green", "yellow", "overachievement"):
            object.__setattr__(self, name, _decimal(getattr(self, name)))
        if not all(t.is_finite() for t in (self.green, self.yellow, self.overachievement)):
            raise ValueError("Los umbrales del semáforo deben ser números.")
        if not self.yellow <= self.green <= self.overachievement:
            raise ValueError(
                "Los umbrales del semáforo deben cumplir amarillo ≤ verde ≤ sobrecumplimiento."
            )


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Light:
    """The traffic light of one indicator in one period."""

    colour: str
    progress: Decimal | None
    overachieved: bool
    label: str
    explanation: str
    below_baseline: bool = False


def compared_value(
    accumulation: str, values_to_date: Iterable[NumberLike | None]
) -> Decimal | None:
    """The value a period's target is compared with, from the values of the same year's
    periods up to and including it, oldest first (``None`` for a period without a value).

    ``cumulative`` adds them up (None when the period itself has no value); ``period`` and
    ``latest`` take the period's own value.
    """
    values = list(values_to_date)
    if accumulation not in ACCUMULATIONS:
        raise ValueError(f"Acumulación desconocida: {accumulation!r}.")
    if not values or values[-1] is None:
        return None
    if accumulation == ACCUMULATION_CUMULATIVE:
        return sum((_decimal(v) for v in values if v is not None), Decimal(0))
    return _decimal(values[-1])


# ---------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------

_RATIO = "ratio"
_FLOOR = "floor"


def progress(
    direction: str,
    baseline: NumberLike | None,
    target: NumberLike | None,
    value: NumberLike | None,
    *,
    basis: str = BASIS_TARGET,
) -> Decimal | None:
    """Percentage of the target achieved (never negative), or None when it cannot be computed.

    See the module docstring for the rules (value against the target, share of the planned
    change from the baseline, floor or ceiling).
    """
    return _progress(direction, baseline, target, value, basis)[0]


def below_baseline(
    direction: str, baseline: NumberLike | None, value: NumberLike | None, basis: str
) -> bool:
    """On the baseline basis, a value worse than the baseline (shown in words, not as -x %)."""
    if basis != BASIS_BASELINE or baseline is None or value is None:
        return False
    base, number = _decimal(baseline), _decimal(value)
    return base.is_finite() and number.is_finite() and _is_better(direction, base, number)


def _progress(
    direction: str,
    baseline: NumberLike | None,
    target: NumberLike | None,
    value: NumberLike | None,
    basis: str = BASIS_TARGET,
) -> tuple[Decimal | None, str]:
    if direction not in DIRECTIONS:
        raise ValueError(f"Sentido de indicador desconocido: {direction!r}.")
    if basis not in BASES:
        raise ValueError(f"Base de comparación desconocida: {basis!r}.")
    if basis == BASIS_TARGET:
        baseline = None
    if value is None or target is None:
        return None, _RATIO
    value, target = _decimal(value), _decimal(target)
    base = None if baseline is None else _decimal(baseline)
    if not all(n.is_finite() for n in (value, target) + ((base,) if base is not None else ())):
        return None, _RATIO
    raw = _raw_progress(direction, base, target, value)
    if raw is None:
        return _floor_progress(direction, target, value), _FLOOR
    return _round(raw), _RATIO


def _raw_progress(
    direction: str, base: Decimal | None, target: Decimal, value: Decimal
) -> Decimal | None:
    """Planned-change or ratio rule; None when the floor rule applies."""
    better = _is_better(direction, target, base) if base is not None else None
    with localcontext() as context:
        # Absurd magnitudes overflow to infinity (clamped later), never raise.
        for signal in list(context.traps):
            context.traps[signal] = False
        if base is not None:
            return (value - base) / (target - base) * HUNDRED if better else None
        if target <= 0:
            return None
        if direction == ASCENDING:
            return value / target * HUNDRED
        return (2 * target - value) / target * HUNDRED


def _is_better(direction: str, candidate: Decimal, reference: Decimal) -> bool:
    return candidate > reference if direction == ASCENDING else candidate < reference


def _floor_progress(direction: str, target: Decimal, value: Decimal) -> Decimal:
    met = value >= target if direction == ASCENDING else value <= target
    return Decimal("100.0") if met else Decimal("0.0")


def _round(raw: Decimal) -> Decimal | None:
    if raw.is_nan():
        return None
    clamped = max(Decimal(0), min(PROGRESS_LIMIT, raw))
    rounded = clamped.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else Decimal("0.0")


# ---------------------------------------------------------------------------
# Traffic light
# ---------------------------------------------------------------------------


def colour_for(progress_value: Decimal | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The colour of a progress percentage."""
    if progress_value is None:
        return NO_DATA
    if progress_value >= thresholds.green:
        return GREEN
    if progress_value >= thresholds.yellow:
        return YELLOW
    return RED


def traffic_light(
    direction: str,
    baseline: NumberLike | None,
    target: NumberLike | None,
    value: NumberLike | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    basis: str = BASIS_TARGET,
) -> Light:
    """Colour, progress, over-achievement flag and a Spanish explanation."""
    pct, rule = _progress(direction, baseline, target, value, basis)
    colour = colour_for(pct, thresholds)
    overachieved = pct is not None and pct > thresholds.overachievement
    below = pct is not None and below_baseline(direction, baseline, value, basis)
    explanation = _explain(pct, rule, colour, overachieved, value, target, thresholds)
    if below:
        explanation = _(
            "Por debajo de la línea base (%(value)s; la línea base es %(baseline)s): %(verdict)s"
        ) % {
            "value": format_number(value),
            "baseline": format_number(baseline),
            "verdict": str(LABELS[colour]).lower() + ".",
        }
    return Light(
        colour=colour,
        progress=pct,
        overachieved=overachieved,
        label=LABELS[colour],
        explanation=explanation,
        below_baseline=below,
    )


def _explain(
    pct: Decimal | None,
    rule: str,
    colour: str,
    overachieved: bool,
    value: NumberLike | None,
    target: NumberLike | None,
    thresholds: Thresholds,
) -> str:
    if pct is None:
        return _explain_no_data(value, target)
    scale = _("verde desde %(green)s %%, amarillo desde %(yellow)s %%") % {
        "green": format_number(thresholds.green),
        "yellow": format_number(thresholds.yellow),
    }
    verdict = f"{str(LABELS[colour]).lower()} ({scale})."
    if rule == _FLOOR:
        met = _("Meta alcanzada") if pct else _("Meta no alcanzada")
        text = _("%(met)s (%(pct)s %%; la meta es un nivel a alcanzar o mantener): %(verdict)s") % {
            "met": met,
            "pct": format_number(pct, 1),
            "verdict": verdict,
        }
    else:
        text = _("Avance de %(pct)s %% de la meta: %(verdict)s") % {
            "pct": format_number(pct, 1),
            "verdict": verdict,
        }
    if overachieved:
        text += " " + _(
            "Supera el %(over)s %% de la meta: revise si la meta se fijó demasiado baja."
        ) % {"over": format_number(thresholds.overachievement)}
    return text


def _explain_no_data(value: NumberLike | None, target: NumberLike | None) -> str:
    if value is None:
        return _("Sin dato: no se ha reportado un valor para este periodo.")
    if target is None:
        return _("Sin dato: el periodo no tiene meta.")
    return _("Sin dato: el avance no puede calcularse con estos valores.")


# ---------------------------------------------------------------------------
# Legend
# ---------------------------------------------------------------------------


def basis_rule(basis: str = BASIS_TARGET) -> str:
    """One sentence, shown with the legend, on how a value is compared with its target."""
    if basis == BASIS_BASELINE:
        return _(
            "El avance es la parte lograda del cambio planeado desde la línea base hasta la "
            "meta; un valor peor que la línea base se muestra como «por debajo de la línea "
            "base», nunca como porcentaje negativo."
        )
    return _(
        "El avance es el valor entre la meta (en indicadores descendentes, cada unidad por "
        "debajo de la meta cuenta como una por encima); nunca es negativo."
    )


def legend(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[tuple[str, str, str]]:
    """(colour, label, rule) rows that explain the traffic light in templates."""
    numbers = {
        "green": format_number(thresholds.green),
        "yellow": format_number(thresholds.yellow),
        "over": format_number(thresholds.overachievement),
    }
    return [
        (
            GREEN,
            str(LABELS[GREEN]),
            _(
                "Avance de %(green)s %% de la meta o más. Arriba de %(over)s %% se señala como "
                "posible meta mal planeada."
            )
            % numbers,
        ),
        (
            YELLOW,
            str(LABELS[YELLOW]),
            _("Avance desde %(yellow)s %% y menor a %(green)s %% de la meta.") % numbers,
        ),
        (RED, str(LABELS[RED]), _("Avance menor a %(yellow)s %% de la meta.") % numbers),
        (
            NO_DATA,
            str(LABELS[NO_DATA]),
            _("No se ha reportado un valor o el periodo no tiene meta."),
        ),
    ]


# Evaluated when used, in the language of the request.
LEGEND = lazy(legend, list)()

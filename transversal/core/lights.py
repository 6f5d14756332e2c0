"""The traffic light (semáforo): its vocabulary and the roll-up rule, for every app.

One place says what a colour is called, how it is shown without colour (an icon
and a text alternative) and how the lights of many items make one light. The
rule that turns an indicator's value and target into a colour lives with the
indicators (``monitoring.rules``); everything that only counts colours is here.

Roll-up (indicator → goal → agreement → state → nation): every item counts
once, items without data are counted but left out of the shares; green when
at least 90 % of the items with data are green, red when more than 30 % of
them are red, yellow otherwise; "Sin dato" when no item has data. Improving one
item never worsens the roll-up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

GREEN = "green"
YELLOW = "yellow"
RED = "red"
NO_DATA = "no_data"
COLOURS = (GREEN, YELLOW, RED, NO_DATA)


class Light(models.TextChoices):
    """A traffic-light colour; always shown with its label, never colour alone."""

    GREEN = GREEN, gettext_lazy("Aceptable")
    YELLOW = YELLOW, gettext_lazy("Con riesgo")
    RED = RED, gettext_lazy("Crítico")
    NO_DATA = NO_DATA, gettext_lazy("Sin dato")


# Shown to people: translated when displayed, Spanish by default.
LABELS = {colour: Light(colour).label for colour in COLOURS}

# A shape per colour, so the light reads in greyscale and for colour-blind people
# (documents print the mark; the stylesheet draws the same shapes).
ICONS = {GREEN: "●", YELLOW: "▲", RED: "■", NO_DATA: "○"}
# Fill for marks and charts; ink for text on white (WCAG AA contrast, as in app.css).
FILL = {GREEN: "#1e7b34", YELLOW: "#c99700", RED: "#b3261e", NO_DATA: "#8a8d91"}
INK = {GREEN: "#1b7a3a", YELLOW: "#8a6100", RED: "#b3261e", NO_DATA: "#5f6368"}


def label(colour: str | None) -> str:
    """The colour's name in the request's language; unknown or empty colours read "Sin dato"."""
    return str(LABELS.get(colour or NO_DATA, LABELS[NO_DATA]))


def text_alternative(colour: str | None) -> str:
    """What a screen reader says for the light: "Semáforo: Con riesgo"."""
    return _("Semáforo: %(label)s") % {"label": label(colour)}


HUNDRED = Decimal(100)
_ONE_DECIMAL = Decimal("0.1")

# Roll-up shares, in percent of the items with data.
ROLLUP_GREEN_SHARE = Decimal(90)
ROLLUP_RED_SHARE = Decimal(30)


def format_number(number: Decimal | int | str, places: int | None = None) -> str:
    """Mexican style: comma for thousands, dot for decimals ("1,234.5").

    With ``places`` None, as many decimals as the number needs ("90", "92.5").
    """
    number = number if isinstance(number, Decimal) else Decimal(str(number))
    text = format(number.normalize(), ",f") if places is None else format(number, f",.{places}f")
    # A figure that rounds to zero reads "0", never "-0" or "-0.0".
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


@dataclass(frozen=True)
class Rollup:
    """Counts per colour and the aggregate colour of a group of items."""

    green: int
    yellow: int
    red: int
    no_data: int
    share_green: Decimal | None
    colour: str
    label: str
    explanation: str

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red + self.no_data

    @property
    def with_data(self) -> int:
        return self.green + self.yellow + self.red


def rollup(
    colours: Iterable[str],
    *,
    green_share: Decimal = ROLLUP_GREEN_SHARE,
    red_share: Decimal = ROLLUP_RED_SHARE,
) -> Rollup:
    """Aggregate colours of indicators (or of goals, agreements, states).

    Green when at least ``green_share`` % of the items with data are green;
    red when more than ``red_share`` % of them are red; yellow otherwise;
    no data when no item has data. Each item weighs the same.
    """
    counts = Counter(colours)
    unknown = set(counts) - set(COLOURS)
    if unknown:
        raise ValueError(f"Colores de semáforo desconocidos: {sorted(unknown)}.")
    with_data = counts[GREEN] + counts[YELLOW] + counts[RED]
    share = _share(counts[GREEN], with_data)
    colour = _rollup_colour(counts, with_data, green_share, red_share)
    return Rollup(
        green=counts[GREEN],
        yellow=counts[YELLOW],
        red=counts[RED],
        no_data=counts[NO_DATA],
        share_green=share,
        colour=colour,
        label=LABELS[colour],
        explanation=_explain_rollup(counts, with_data, share),
    )


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _rollup_colour(
    counts: Counter[str], with_data: int, green_share: Decimal, red_share: Decimal
) -> str:
    # Compare exact fractions (no rounding): green * 100 >= share * with_data.
    if not with_data:
        return NO_DATA
    if counts[GREEN] * HUNDRED >= green_share * with_data:
        return GREEN
    if counts[RED] * HUNDRED > red_share * with_data:
        return RED
    return YELLOW


def _explain_rollup(counts: Counter[str], with_data: int, share: Decimal | None) -> str:
    missing = counts[NO_DATA]
    if share is None:
        return (
            ngettext(
                "El único elemento no tiene dato.",
                "Ninguno de los %(n)s elementos tiene dato.",
                missing,
            )
            % {"n": f"{missing:,}"}
            if missing
            else _("Sin elementos.")
        )
    text = _(
        "%(green)s de %(total)s con dato en verde (%(share)s %%), "
        "%(yellow)s en amarillo y %(red)s en rojo."
    ) % {
        "green": f"{counts[GREEN]:,}",
        "total": f"{with_data:,}",
        "share": format_number(share, 1),
        "yellow": f"{counts[YELLOW]:,}",
        "red": f"{counts[RED]:,}",
    }
    if missing:
        text += " " + _("%(n)s sin dato.") % {"n": f"{missing:,}"}
    return text


def rollup_legend(
    green_share: Decimal = ROLLUP_GREEN_SHARE, red_share: Decimal = ROLLUP_RED_SHARE
) -> list[tuple[str, str, str]]:
    """(colour, label, rule) rows that explain a rolled-up light (goal, agreement, state)."""
    numbers = {"green": format_number(green_share), "red": format_number(red_share)}
    return [
        (
            GREEN,
            label(GREEN),
            _("Al menos %(green)s %% de los elementos con dato están en verde.") % numbers,
        ),
        (
            YELLOW,
            label(YELLOW),
            _("Menos de %(green)s %% en verde y no más de %(red)s %% en rojo.") % numbers,
        ),
        (
            RED,
            label(RED),
            _("Más de %(red)s %% de los elementos con dato están en rojo.") % numbers,
        ),
        (NO_DATA, label(NO_DATA), _("Ningún elemento tiene un avance aprobado.")),
    ]


# Evaluated when used, in the language of the request.
ROLLUP_LEGEND = lazy(rollup_legend, list)()

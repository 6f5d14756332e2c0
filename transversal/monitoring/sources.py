"""Where an indicator's value may come from besides a person typing it.

An app above this one (the registers, whose entries add up to a figure) registers a value
source at start-up (``AppConfig.ready``), since monitoring may not import it. Each source is
three callables that return HTML ("" when they have nothing to say), rendered with the source's
own templates:

- ``sheet(request, indicator, can_write)``: rows for the technical sheet's ``<dl>`` on the
  indicator page (where the value comes from; for editors, where to change that);
- ``period(request, period, current, can_edit)``: a panel beside the period's report form
  (the figure the source gives, and how to propose it as the draft);
- ``reports(request, reports)``: per report of a period (``{report.pk: html}``), what the
  reviewer reads beside it (the rows behind the figure; whether the report still matches them).

Each callable must keep its queries bounded whatever the data (a constant per page, not per
row): the pages that call them have query-count tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class ValueSource:
    key: str
    sheet: Callable[[Any, Any, bool], str]
    period: Callable[[Any, Any, Any, bool], str]
    reports: Callable[[Any, Sequence[Any]], Mapping[int, str]]


_SOURCES: dict[str, ValueSource] = {}


def register_source(source: ValueSource) -> None:
    """Add a value source (registering the same key again replaces it)."""
    _SOURCES[source.key] = source


def _joined(parts) -> SafeString:
    # Each part is HTML its source rendered from a template (autoescaped there).
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308


def sheet_rows(request, indicator, can_write: bool) -> SafeString:
    return _joined(source.sheet(request, indicator, can_write) for source in _SOURCES.values())


def period_panels(request, period, current, can_edit: bool) -> SafeString:
    return _joined(
        source.period(request, period, current, can_edit) for source in _SOURCES.values()
    )


def report_panels(request, reports: Sequence[Any]) -> dict[int, SafeString]:
    """{report pk: the sources' HTML for it}, for the reports that have something."""
    found: dict[int, list[str]] = {}
    if not reports:
        return {}
    for source in _SOURCES.values():
        for pk, html in source.reports(request, reports).items():
            if html:
                found.setdefault(pk, []).append(html)
    return {pk: _joined(parts) for pk, parts in found.items()}

"""Writes to indicators and their calendar; one audit event per call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record, diff, snapshot
from transversal.monitoring import periods
from transversal.monitoring.models import Indicator, ReportingPeriod, validate_value

SHEET_FIELDS = (
    "name", "definition", "formula", "numerator_label", "denominator_label", "unit", "measure",
    "frequency", "dimension", "kind", "mir_level", "direction", "baseline_year", "baseline_value",
    "means_of_verification", "assumptions", "data_source", "threshold_green", "threshold_yellow",
    "threshold_overachievement", "disaggregations", "is_public",
)


def _check_fields(fields: Mapping) -> None:
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")


@transaction.atomic
def indicator_create(*, actor, owner, goals=(), is_synthetic: bool = False, **sheet) -> Indicator:
    _check_fields(sheet)
    indicator = Indicator(owner=owner, is_synthetic=is_synthetic, **sheet)
    indicator.full_clean()
    indicator.save()
    if goals:
        indicator.goals.set(goals)
    audit_record(
        actor=actor, verb="indicator.create", target=indicator, institution=owner,
        changes={key: [None, value] for key, value in snapshot(indicator, SHEET_FIELDS).items() if value not in ("", None, [])},
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, goals=None, **sheet) -> dict:
    _check_fields(sheet)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = snapshot(indicator, SHEET_FIELDS)
    for key, value in sheet.items():
        setattr(indicator, key, value)
    indicator.full_clean()
    changes = diff(before, snapshot(indicator, SHEET_FIELDS))
    if goals is not None:
        old = sorted(str(g) for g in indicator.goals.all())
        new = sorted(str(g) for g in goals)
        if old != new:
            indicator.goals.set(goals)
            changes["goals"] = [old, new]
    if changes:
        indicator.save()
        audit_record(actor=actor, verb="indicator.update", target=indicator, institution=indicator.owner, changes=changes)
    return changes


@transaction.atomic
def periods_generate(*, actor, indicator: Indicator, start: dt.date, end: dt.date, due_days: int = periods.DEFAULT_DUE_DAYS) -> list[ReportingPeriod]:
    """Add the calendar's periods between two dates; existing periods are kept as they are."""
    try:
        specs = periods.generate_periods(indicator.frequency, start, end, due_days=due_days)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    existing = set(indicator.periods.values_list("label", flat=True))
    new = [
        ReportingPeriod(indicator=indicator, label=s.label, start=s.start, end=s.end, due_date=s.due_date)
        for s in specs
        if s.label not in existing
    ]
    if not new:
        return []
    for period in new:
        period.full_clean(exclude=["indicator"])
    created = ReportingPeriod.objects.bulk_create(new)
    audit_record(
        actor=actor, verb="indicator.periods_generate", target=indicator, institution=indicator.owner,
        changes={"periods": [None, [p.label for p in created]]},
    )
    return created


@transaction.atomic
def targets_update(*, actor, indicator: Indicator, targets: Mapping[str, Decimal | None]) -> dict:
    """Set the targets of several periods at once; all valid or nothing is written."""
    rows = {p.label: p for p in indicator.periods.select_for_update().order_by("start")}
    errors: dict[str, list[str]] = {}
    changed: dict[str, list] = {}
    for label, target in targets.items():
        period = rows.get(label)
        if period is None:
            errors.setdefault(label, []).append(_("El periodo %(label)s no está en el calendario del indicador.") % {"label": label})
            continue
        if period.target == target:
            continue
        if period.locked:
            errors.setdefault(label, []).append(_("El periodo %(label)s está cerrado; su meta ya no cambia.") % {"label": label})
            continue
        if target is not None:
            try:
                validate_value(indicator.measure, target, field=label)
            except ValidationError as exc:
                errors.setdefault(label, []).extend(exc.messages)
                continue
        changed[label] = [period.target, target]
        period.target = target
    if errors:
        raise ValidationError(errors)
    if changed:
        ReportingPeriod.objects.bulk_update([rows[label] for label in changed], ["target"])
        audit_record(actor=actor, verb="indicator.targets_update", target=indicator, institution=indicator.owner, changes=changed)
    return changed

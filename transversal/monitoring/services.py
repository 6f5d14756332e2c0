"""Writes to indicators and their calendar; one audit event per call."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.agreements.models import Agreement, Goal
from transversal.audit.services import audit_record, diff, snapshot
from transversal.core.templatetags.transversal import format_mx
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import checked_evidence, evidence_fields, save_with_file
from transversal.monitoring import notifications, periods, rules
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    SUBSET_GROUPS,
    CommentKind,
    DisaggregatedValue,
    Disaggregation,
    Evidence,
    Indicator,
    Measure,
    ProgressUpdate,
    ReportingPeriod,
    ReviewComment,
    StateSummary,
    UpdateStatus,
    validate_value,
)
from transversal.monitoring.queue import approval_refusal, validates_nationally
from transversal.monitoring.selectors import (
    REPORTED_STATUSES,
    light_of,
    overdue_by_state,
    pending_by_state,
    requires_national_validation,
)
from transversal.territory.models import State

SHEET_FIELDS = (
    "name",
    "definition",
    "formula",
    "numerator_label",
    "denominator_label",
    "unit",
    "measure",
    "frequency",
    "dimension",
    "kind",
    "mir_level",
    "direction",
    "progress_basis",
    "accumulation",
    "baseline_year",
    "baseline_value",
    "means_of_verification",
    "assumptions",
    "data_source",
    "threshold_green",
    "threshold_yellow",
    "threshold_overachievement",
    "by_sex",
    "disaggregations",
    "required_disaggregations",
    "evidence_required",
    "early_reporting",
    "national_validation",
    "is_public",
)


def _check_fields(fields: Mapping) -> None:
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")


@transaction.atomic
def indicator_create(
    *, actor: Actor, owner, goals=(), is_synthetic: bool = False, **sheet
) -> Indicator:
    _check_fields(sheet)
    indicator = Indicator(owner=owner, is_synthetic=is_synthetic, **sheet)
    indicator.full_clean()
    indicator.save()
    if goals:
        indicator.goals.set(goals)
    audit_record(
        actor=actor,
        verb="indicator.create",
        target=indicator,
        institution=owner,
        changes={
            key: [None, value]
            for key, value in snapshot(indicator, SHEET_FIELDS).items()
            if value not in ("", None, [])
        },
    )
    return indicator


# What the traffic light of an approved figure depends on: when one changes, lights are redone.
LIGHT_FIELDS = frozenset(
    {
        "direction",
        "progress_basis",
        "accumulation",
        "baseline_value",
        "threshold_green",
        "threshold_yellow",
        "threshold_overachievement",
    }
)


def _as_stored(indicator: Indicator) -> None:
    """Decimals with the places the database keeps, so 40 and 40.0000 are no change."""
    for field in indicator._meta.concrete_fields:
        value = getattr(indicator, field.attname)
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
            places = Decimal(1).scaleb(-field.decimal_places)
            setattr(indicator, field.attname, value.quantize(places))


@transaction.atomic
def indicator_update(*, actor: Actor, indicator: Indicator, goals=None, **sheet) -> dict:
    _check_fields(sheet)
    indicator = Indicator.objects.select_for_update(of=("self",)).get(pk=indicator.pk)
    _as_stored(indicator)
    before = snapshot(indicator, SHEET_FIELDS)
    for key, value in sheet.items():
        setattr(indicator, key, value)
    indicator.full_clean()
    _as_stored(indicator)
    changes = diff(before, snapshot(indicator, SHEET_FIELDS))
    if goals is not None:
        old = sorted(str(g) for g in indicator.goals.all())
        new = sorted(str(g) for g in goals)
        if old != new:
            indicator.goals.set(goals)
            changes["goals"] = [old, new]
    if changes:
        indicator.save()
        audit_record(
            actor=actor,
            verb="indicator.update",
            target=indicator,
            institution=indicator.owner,
            changes=changes,
        )
        if LIGHT_FIELDS & set(changes):
            _lights_redo(indicator)
    return changes


def _lights_redo(indicator: Indicator) -> None:
    """The sheet's rule changed: every approved figure gets its progress and light again,
    then the roll-ups. Derived values, recorded by the sheet change's audit event."""
    approved = ProgressUpdate.objects.filter(
        period__indicator=indicator, status=UpdateStatus.APPROVED
    ).select_related("period")
    for update in approved:
        update.period.indicator = indicator
        light = light_of(update)
        ProgressUpdate.objects.filter(pk=update.pk).update(
            light=light.colour,
            progress=light.progress,
            overachieved=light.overachieved,
            below_baseline=light.below_baseline,
        )
    rollups_refresh(indicator)


@transaction.atomic
def periods_generate(
    *,
    actor: Actor,
    indicator: Indicator,
    start: dt.date,
    end: dt.date,
    due_days: int = periods.DEFAULT_DUE_DAYS,
) -> list[ReportingPeriod]:
    """Add the calendar's periods between two dates; existing periods are kept as they are."""
    try:
        specs = periods.generate_periods(indicator.frequency, start, end, due_days=due_days)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    existing = set(indicator.periods.values_list("label", flat=True))
    new = [
        ReportingPeriod(
            indicator=indicator, label=s.label, start=s.start, end=s.end, due_date=s.due_date
        )
        for s in specs
        if s.label not in existing
    ]
    if not new:
        return []
    for period in new:
        period.full_clean(exclude=["indicator"])
    created = ReportingPeriod.objects.bulk_create(new)
    audit_record(
        actor=actor,
        verb="indicator.periods_generate",
        target=indicator,
        institution=indicator.owner,
        changes={"periods": [None, [p.label for p in created]]},
    )
    today = timezone.localdate()
    _workload_add(indicator, overdue=sum(1 for p in created if p.due_date < today))
    return created


@transaction.atomic
def targets_update(
    *, actor: Actor, indicator: Indicator, targets: Mapping[str, Decimal | None]
) -> dict:
    """Set the targets of several periods at once; all valid or nothing is written."""
    rows = {p.label: p for p in indicator.periods.select_for_update(of=("self",)).order_by("start")}
    errors: dict[str, list[str]] = {}
    changed: dict[str, list] = {}
    for label, target in targets.items():
        period = rows.get(label)
        if period is None:
            errors.setdefault(label, []).append(
                _("El periodo %(label)s no está en el calendario del indicador.") % {"label": label}
            )
            continue
        if period.target == target:
            continue
        if period.locked:
            errors.setdefault(label, []).append(
                _("El periodo %(label)s está cerrado; su meta ya no cambia.") % {"label": label}
            )
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
        audit_record(
            actor=actor,
            verb="indicator.targets_update",
            target=indicator,
            institution=indicator.owner,
            changes=changed,
        )
    return changed


@transaction.atomic
def periods_lock(*, actor: Actor, periods: Iterable[ReportingPeriod], reason: str) -> int:
    """Close reporting periods (a work programme's closure): from then on nothing changes their
    reports, figures, evidence or targets until :func:`period_reopen`. One audit event per period
    closed; periods already closed are left as they are. Returns how many were closed."""
    reason = clean_text(reason, field="reason")
    if isinstance(periods, models.QuerySet):
        ids = periods.values("pk")
    else:
        ids = [period.pk for period in periods]
    rows = list(
        ReportingPeriod.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, locked=False)
        .select_related("indicator__owner")
        .order_by("pk")
    )
    if not rows:
        return 0
    ReportingPeriod.objects.filter(pk__in=[period.pk for period in rows]).update(locked=True)
    for period in rows:
        period.locked = True
        audit_record(
            actor=actor,
            verb="period.lock",
            target=period,
            institution=period.indicator.owner,
            changes={"locked": [False, True]},
            note=reason,
        )
    return len(rows)


@transaction.atomic
def period_reopen(*, actor: Actor, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Open a closed period again, so that its report can be corrected: only the national
    institution's reviewers and admins, and always with the reason on record."""
    reason = clean_text(
        reason, field="reason", required=_("Explique por qué se reabre el periodo.")
    )
    if not validates_nationally(actor):
        raise ValidationError(
            _(
                "Solo una persona con rol de revisión o de administración en la institución "
                "nacional puede reabrir un periodo cerrado."
            )
        )
    period = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("indicator__owner")
        .get(pk=period.pk)
    )
    if not period.locked:
        raise ValidationError(_("El periodo %(p)s no está cerrado.") % {"p": period.display})
    period.locked = False
    period.save(update_fields=["locked"])
    audit_record(
        actor=actor,
        verb="period.reopen",
        target=period,
        institution=period.indicator.owner,
        changes={"locked": [True, False]},
        note=reason,
    )
    return period


# Progress updates and their review ---------------------------------------------------------


class StaleEdit(Exception):
    """Someone saved the update after this person opened it: nothing was written."""

    def __init__(self, current: ProgressUpdate):
        super().__init__(
            _(
                "Otra persona guardó este avance mientras usted lo editaba. Sus cambios no se "
                "guardaron: revise la versión actual y vuelva a capturarlos."
            )
        )
        self.current = current


UPDATE_FIELDS = ("status", "value", "numerator", "denominator", "narrative", "disaggregation_note")


def compute_value(
    measure: str, value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> Decimal | None:
    """A value given directly, or numerator ÷ denominator (× 100 for percentages)."""
    if numerator is None and denominator is None:
        return value
    if numerator is None or denominator is None:
        # The error sits on the missing one, so that field is the one marked invalid.
        missing = "numerator" if numerator is None else "denominator"
        raise ValidationError(
            {missing: _("Capture numerador y denominador, o ninguno de los dos.")}
        )
    if denominator == 0:
        raise ValidationError({"denominator": _("El denominador no puede ser cero.")})
    for name, number in (("numerator", numerator), ("denominator", denominator)):
        if not number.is_finite() or number < 0:
            raise ValidationError(
                {name: _("El numerador y el denominador deben ser números no negativos.")}
            )
    factor = Decimal(100) if measure == Measure.PERCENTAGE else Decimal(1)
    computed = (numerator / denominator * factor).quantize(Decimal("0.0001"))
    if value is not None and abs(value - computed) > Decimal("0.01"):
        raise ValidationError(
            {
                "value": _("El valor no coincide con numerador ÷ denominador (%(v)s).")
                % {"v": format_mx(computed)}
            }
        )
    return computed


def check_breakdown(
    indicator: Indicator,
    total: Decimal | None,
    breakdown: Mapping[str, Mapping[str, Decimal]],
    note: str,
) -> None:
    """Disaggregated values: known dimensions and categories, valid numbers, and for counts
    and amounts, partitions (sex, age, municipality) that add up to the total unless a reason
    is given; population groups never above the total."""
    errors: list[str] = []
    allowed = set(indicator.all_disaggregations)
    additive = indicator.measure in (Measure.COUNT, Measure.AMOUNT)
    for dimension, values in breakdown.items():
        if dimension not in allowed:
            errors.append(
                _("La desagregación «%(d)s» no está prevista en la ficha del indicador.")
                % {"d": dimension}
            )
            continue
        categories = dict(PARTITION_CATEGORIES.get(dimension, ()))
        for category, number in values.items():
            if categories and category not in categories:
                errors.append(
                    _("Categoría desconocida «%(c)s» en %(d)s.")
                    % {"c": category, "d": Disaggregation(dimension).label}
                )
            try:
                validate_value(indicator.measure, number, field=dimension)
            except ValidationError as exc:
                errors.extend(f"{Disaggregation(dimension).label}: {m}" for m in exc.messages)
        if not additive or total is None or not values:
            continue
        label = Disaggregation(dimension).label
        if dimension in SUBSET_GROUPS:
            if any(number > total for number in values.values()):
                errors.append(_("%(d)s no puede ser mayor que el total.") % {"d": label})
        elif sum(values.values()) != total and not note.strip():
            errors.append(
                _(
                    "%(d)s suma %(s)s y el total es %(t)s: corrija los valores o explique por qué "
                    "no coinciden."
                )
                % {"d": label, "s": format_mx(sum(values.values())), "t": format_mx(total)}
            )
    if errors:
        raise ValidationError(errors)


# The codes of update_check's own refusals, so the spreadsheet preview can put each on its column.
PERIOD_LOCKED = "period_locked"
NOT_EDITABLE = "not_editable"
BREAKDOWN = "breakdown"


def _refuse_if_locked(period: ReportingPeriod) -> None:
    """A closed period changes through nothing (figures, status, evidence): one message for
    every service that would change its report."""
    if period.locked:
        raise ValidationError(
            _("El periodo %(p)s está cerrado: ya no recibe reportes.") % {"p": period.display},
            code=PERIOD_LOCKED,
        )


def update_check(
    *,
    period: ReportingPeriod,
    current: ProgressUpdate | None,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    breakdown: Mapping[str, Mapping[str, Decimal]] | None,
    note: str,
) -> Decimal | None:
    """What a draft of ``period`` must pass before it is written; no query, no write.

    ``current`` is the period's current update (None for a first report) and ``period.indicator``
    must be loaded. The period must be open, the current update editable, the value (given
    directly or as numerator ÷ denominator) valid and the breakdown consistent with it. Returns
    the value to store; otherwise raises ValidationError: the period and status refusals carry
    the codes ``PERIOD_LOCKED`` and ``NOT_EDITABLE``, breakdown messages ``BREAKDOWN``, and an
    invalid value and an inconsistent breakdown are reported together. ``update_save`` and the
    spreadsheet preview both call it, so a row is refused with the same messages in both.
    """
    indicator = period.indicator
    _refuse_if_locked(period)
    if current is not None and not current.is_editable:
        raise ValidationError(
            _("El avance está %(s)s y no se puede editar.")
            % {"s": current.get_status_display().lower()},
            code=NOT_EDITABLE,
        )
    computed = compute_value(indicator.measure, value, numerator, denominator)
    value_errors: dict[str, list] = {}
    if computed is not None:
        try:
            validate_value(indicator.measure, computed)
        except ValidationError as exc:
            exc.update_error_dict(value_errors)
    breakdown_errors: list[ValidationError] = []
    try:
        check_breakdown(
            indicator, computed, {d: v for d, v in (breakdown or {}).items() if v}, note
        )
    except ValidationError as exc:
        breakdown_errors = [ValidationError(message, code=BREAKDOWN) for message in exc.messages]
    if value_errors and breakdown_errors:
        raise ValidationError({**value_errors, NON_FIELD_ERRORS: breakdown_errors})
    if value_errors:
        raise ValidationError(value_errors)
    if breakdown_errors:
        raise ValidationError(breakdown_errors)
    return computed


def _current_for_update(period: ReportingPeriod) -> ProgressUpdate | None:
    return (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .filter(period=period, is_current=True)
        .order_by("pk")
        .first()
    )


def _breakdown_snapshot(update: ProgressUpdate) -> dict:
    return {f"{row.dimension}:{row.category}": str(row.value) for row in update.breakdown.all()}


@transaction.atomic
def update_save(
    *,
    actor: Actor,
    period: ReportingPeriod,
    expected_version: int | None,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    narrative: str = "",
    breakdown: Mapping[str, Mapping[str, Decimal]] | None = None,
    disaggregation_note: str = "",
    is_synthetic: bool = False,
) -> ProgressUpdate:
    """Create or edit the draft of a period. ``expected_version`` is the version the form was
    opened with (None for a new update); a mismatch raises StaleEdit and writes nothing. The
    version is compared first, then :func:`update_check` decides whether the draft may be
    written."""
    period = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("indicator__owner")
        .get(pk=period.pk)
    )
    indicator = period.indicator
    current = _current_for_update(period)
    if current is not None and current.version != expected_version:
        raise StaleEdit(current)
    if current is None and expected_version is not None:
        raise StaleEdit(current)  # the update the form was opened on no longer exists
    computed = update_check(
        period=period,
        current=current,
        value=value,
        numerator=numerator,
        denominator=denominator,
        breakdown=breakdown,
        note=disaggregation_note,
    )
    breakdown = {d: v for d, v in (breakdown or {}).items() if v}

    update = current or ProgressUpdate(
        period=period,
        created_by=actor if actor and actor.is_authenticated else None,
        is_synthetic=is_synthetic,
    )
    before = {
        **snapshot(update, UPDATE_FIELDS),
        "breakdown": _breakdown_snapshot(update) if update.pk else {},
    }
    update.value, update.numerator, update.denominator = computed, numerator, denominator
    update.narrative, update.disaggregation_note = narrative.strip(), disaggregation_note.strip()
    update.full_clean(exclude=["period", "created_by", "reviewed_by"])
    if update.pk is None:
        update.save()
    else:
        update.version += 1
        update.save()
        update.breakdown.all().delete()
    DisaggregatedValue.objects.bulk_create(
        DisaggregatedValue(update=update, dimension=dimension, category=category, value=number)
        for dimension, values in breakdown.items()
        for category, number in values.items()
    )
    after = {**snapshot(update, UPDATE_FIELDS), "breakdown": _breakdown_snapshot(update)}
    audit_record(
        actor=actor,
        verb="update.save" if current else "update.create",
        target=update,
        institution=indicator.owner,
        changes=diff(before, after),
    )
    return update


def _lock_update(update: ProgressUpdate) -> ProgressUpdate:
    return (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .select_related("period__indicator__owner")
        .get(pk=update.pk)
    )


def _transition(
    update: ProgressUpdate, *, actor, to: str, verb: str, note: str = "", **fields
) -> ProgressUpdate:
    old = update.status
    update.status = to
    for key, value in fields.items():
        setattr(update, key, value)
    update.version += 1
    update.save()
    audit_record(
        actor=actor,
        verb=verb,
        target=update,
        institution=update.period.indicator.owner,
        changes={"status": [old, to]},
        note=note,
    )
    return update


@transaction.atomic
def update_submit(*, actor: Actor, update: ProgressUpdate, expected_version: int) -> ProgressUpdate:
    update = _lock_update(update)
    if update.version != expected_version:
        raise StaleEdit(update)
    _refuse_if_locked(update.period)
    if not update.is_editable:
        raise ValidationError(_("Solo se envían borradores o avances devueltos."))
    old_status = update.status
    if update.value is None:
        raise ValidationError(_("Capture el valor del periodo antes de enviarlo a revisión."))
    missing = submit_missing(update)
    early = too_early(update.period, timezone.localdate())
    if missing or early:
        raise ValidationError([*([early] if early else []), *missing])
    # A resubmission starts a new review: the earlier reviewer's decision stays in the comments
    # and the audit trail, not on the report as if it still applied.
    update = _transition(
        update,
        actor=actor,
        to=UpdateStatus.SUBMITTED,
        verb="update.submit",
        submitted_at=timezone.now(),
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
        reviewed_by=None,
        reviewed_at=None,
        validated_by=None,
        validated_at=None,
    )
    transaction.on_commit(lambda: notifications.update_submitted(update))
    _workload_moved(update.period, old_status, UpdateStatus.SUBMITTED)
    return update


def too_early(period: ReportingPeriod, today: dt.date) -> str:
    """Why the period's figure may not be sent yet ("" when it may): a period is reported once it
    has ended, unless its sheet allows early reporting."""
    if period.indicator.early_reporting or period.has_ended(today):
        return ""
    return _(
        "El periodo %(period)s termina el %(end)s: su avance podrá enviarse a revisión a partir "
        "del %(first)s. Mientras tanto, guárdelo como borrador."
    ) % {
        "period": period.display,
        "end": period.end.strftime("%d/%m/%Y"),
        "first": (period.end + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
    }


def submit_missing(update: ProgressUpdate) -> list[str]:
    """What the sheet (and the goals the indicator measures) require before a figure can be
    sent to review and this one lacks, each said in Spanish: required breakdowns, evidence."""
    indicator = update.period.indicator
    problems = []
    given = set(update.breakdown.values_list("dimension", flat=True))
    lacking = [
        d
        for d in indicator.all_disaggregations
        if d in set(indicator.required_disaggregations or []) and d not in given
    ]
    if lacking:
        names = ", ".join(str(Disaggregation(d).label) for d in lacking)
        problems.append(
            _("Falta la desagregación que la ficha exige: %(names)s.") % {"names": names}
        )
    goals = list(indicator.goals.filter(evidence_required=True).values_list("number", flat=True))
    if (indicator.evidence_required or goals) and not update.evidence.exists():
        why = (
            _("la ficha del indicador lo exige")
            if indicator.evidence_required
            else _("la meta %(n)s del convenio lo exige") % {"n": ", ".join(map(str, goals))}
        )
        problems.append(
            _("Adjunte al menos un medio de verificación (evidencia): %(why)s.") % {"why": why}
        )
    return problems


@transaction.atomic
def update_save_and_submit(
    *, actor: Actor, period: ReportingPeriod, expected_version: int | None, **figures
) -> ProgressUpdate:
    """Save the figures as the person sees them and send them to review: one action, one
    transaction. When either step is refused nothing is saved, so what is sent is always what
    was on screen (sending from a separate button used to send the last saved figures)."""
    update = update_save(actor=actor, period=period, expected_version=expected_version, **figures)
    return update_submit(actor=actor, update=update, expected_version=update.version)


@dataclasses.dataclass
class BulkSubmit:
    """What a bulk send did: the reports sent, and each refused one with its reasons."""

    sent: list[ProgressUpdate] = dataclasses.field(default_factory=list)
    refused: list[tuple[ProgressUpdate, list[str]]] = dataclasses.field(default_factory=list)


def updates_submit_many(*, actor: Actor, updates: Iterable[ProgressUpdate]) -> BulkSubmit:
    """Send several drafts to review, each through :func:`update_submit` in its own transaction
    (its own checks and audit event): one refused report never holds back the others, and a
    refused one is left exactly as it was. An update carrying ``version_seen`` (the version the
    person was shown) is refused if it changed since."""
    result = BulkSubmit()
    for update in updates:
        try:
            expected = getattr(update, "version_seen", update.version)
            result.sent.append(update_submit(actor=actor, update=update, expected_version=expected))
        except StaleEdit:
            result.refused.append(
                (update, [_("Otra persona lo modificó mientras usted elegía; ábralo y revíselo.")])
            )
        except ValidationError as exc:
            result.refused.append((update, exc.messages))
    return result


@transaction.atomic
def update_return(*, actor: Actor, update: ProgressUpdate, comment: str) -> ProgressUpdate:
    comment = clean_text(
        comment,
        field="comment",
        required=_("Escriba una observación que explique a quien capturó qué corregir."),
    )
    update = _lock_update(update)
    _refuse_if_locked(update.period)
    before = update.status
    if before == UpdateStatus.VALIDATING:
        if not validates_nationally(actor):
            raise ValidationError(
                _(
                    "Este avance espera la validación nacional: solo la institución nacional "
                    "puede devolverlo con observaciones."
                )
            )
    elif before != UpdateStatus.SUBMITTED:
        raise ValidationError(_("Solo se devuelven avances enviados a revisión."))
    ReviewComment.objects.create(update=update, author=actor, kind=CommentKind.RETURN, text=comment)
    update = _transition(
        update,
        actor=actor,
        to=UpdateStatus.RETURNED,
        verb="update.return",
        note=comment,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    transaction.on_commit(lambda: notifications.update_reviewed(update))
    _workload_moved(update.period, before, UpdateStatus.RETURNED)
    return update


_approval_hooks: list[Callable[[ProgressUpdate], None]] = []


def on_approval(hook: Callable[[ProgressUpdate], None]) -> None:
    """Apps above monitoring act on each approval inside its transaction (the improvement app
    proposes a finding for a sustained red light), so both happen or neither."""
    if hook not in _approval_hooks:
        _approval_hooks.append(hook)


@transaction.atomic
def update_approve(*, actor: Actor, update: ProgressUpdate, comment: str = "") -> ProgressUpdate:
    """The state's review. An update whose indicator requires national validation
    (``selectors.requires_national_validation``) approved by someone outside the national
    institution waits ``validating``: it counts nowhere until :func:`update_validate`. Approved
    by a national reviewer or admin, or when one level is enough, it is final."""
    comment = clean_text(comment, field="comment")
    update = _lock_update(update)
    _refuse_if_locked(update.period)
    if update.status != UpdateStatus.SUBMITTED:
        raise ValidationError(_("Solo se aprueban avances enviados a revisión."))
    refusal = approval_refusal(update, actor)  # four eyes, for every role and every caller
    if refusal:
        raise ValidationError(refusal)
    if comment:
        ReviewComment.objects.create(
            update=update, author=actor, kind=CommentKind.APPROVAL, text=comment
        )
    now = timezone.now()
    two_levels = requires_national_validation(update.period.indicator)
    if two_levels and not validates_nationally(actor):
        update = _transition(
            update,
            actor=actor,
            to=UpdateStatus.VALIDATING,
            verb="update.approve",
            note=comment,
            reviewed_by=actor,
            reviewed_at=now,
        )
        _workload_moved(update.period, UpdateStatus.SUBMITTED, UpdateStatus.VALIDATING)
        return update
    # A national reviewer's approval of a two-level figure is also its validation (the last level).
    validated = {"validated_by": actor, "validated_at": now} if two_levels else {}
    return _approval_final(
        update,
        actor=actor,
        verb="update.approve",
        note=comment,
        reviewed_by=actor,
        reviewed_at=now,
        **validated,
    )


@transaction.atomic
def update_validate(*, actor: Actor, update: ProgressUpdate, comment: str = "") -> ProgressUpdate:
    """The national institution's validation of an update its state approved: only then does
    the figure count (light, roll-ups, dashboards, open data). A national reviewer or admin who
    did not capture, edit, submit or approve it at state level (four eyes)."""
    comment = clean_text(comment, field="comment")
    update = _lock_update(update)
    _refuse_if_locked(update.period)
    if update.status != UpdateStatus.VALIDATING:
        raise ValidationError(
            _(
                "Solo se validan avances aprobados por la entidad que esperan la validación "
                "nacional."
            )
        )
    if not validates_nationally(actor):
        raise ValidationError(
            _(
                "La validación nacional la hace una persona con rol de revisión o de "
                "administración en la institución nacional."
            )
        )
    refusal = approval_refusal(update, actor, validation=True)
    if refusal:
        raise ValidationError(refusal)
    if comment:
        ReviewComment.objects.create(
            update=update, author=actor, kind=CommentKind.APPROVAL, text=comment
        )
    now = timezone.now()
    return _approval_final(
        update,
        actor=actor,
        verb="update.validate",
        note=comment,
        validated_by=actor,
        validated_at=now,
    )


def _approval_final(
    update: ProgressUpdate, *, actor: Actor, verb: str, note: str, **fields
) -> ProgressUpdate:
    """The last level of approval, whichever service gives it: the figure gets its light and
    progress and starts counting (roll-ups, the apps' approval hooks, the capturer's notice, the
    state's workload)."""
    before = update.status
    light = light_of(update)
    update = _transition(
        update,
        actor=actor,
        to=UpdateStatus.APPROVED,
        verb=verb,
        note=note,
        light=light.colour,
        progress=light.progress,
        below_baseline=light.below_baseline,
        overachieved=light.overachieved,
        **fields,
    )
    rollups_refresh(update.period.indicator)
    for hook in _approval_hooks:
        hook(update)
    transaction.on_commit(lambda: notifications.update_reviewed(update))
    _workload_moved(update.period, before, UpdateStatus.APPROVED)
    return update


@transaction.atomic
def update_correct(*, actor: Actor, update: ProgressUpdate, reason: str) -> ProgressUpdate:
    """Open a new revision of an approved update; the approved one stays untouched as history."""
    reason = clean_text(reason, field="reason", required=_("Explique el motivo de la corrección."))
    update = _lock_update(update)
    _refuse_if_locked(update.period)
    if update.status != UpdateStatus.APPROVED or not update.is_current:
        raise ValidationError(_("Solo se corrige la revisión aprobada vigente."))
    ProgressUpdate.objects.filter(pk=update.pk).update(is_current=False)
    revision = ProgressUpdate.objects.create(
        period=update.period,
        revision=update.revision + 1,
        status=UpdateStatus.DRAFT,
        value=update.value,
        numerator=update.numerator,
        denominator=update.denominator,
        narrative=update.narrative,
        disaggregation_note=update.disaggregation_note,
        correction_reason=reason,
        created_by=actor,
        is_synthetic=update.is_synthetic,
    )
    DisaggregatedValue.objects.bulk_create(
        DisaggregatedValue(
            update=revision, dimension=row.dimension, category=row.category, value=row.value
        )
        for row in update.breakdown.all()
    )
    ReviewComment.objects.create(
        update=revision, author=actor, kind=CommentKind.CORRECTION, text=reason
    )
    audit_record(
        actor=actor,
        verb="update.correct",
        target=revision,
        institution=update.period.indicator.owner,
        changes={"revision": [update.revision, revision.revision]},
        note=reason,
    )
    _workload_moved(update.period, UpdateStatus.APPROVED, UpdateStatus.DRAFT)
    rollups_refresh(update.period.indicator)  # the period has no current approved figure now
    return revision


@transaction.atomic
def comment_add(*, actor: Actor, update: ProgressUpdate, text: str) -> ReviewComment:
    text = clean_text(text, field="text", required=_("El comentario está vacío."))
    comment = ReviewComment.objects.create(
        update=update, author=actor, kind=CommentKind.COMMENT, text=text
    )
    audit_record(
        actor=actor,
        verb="update.comment",
        target=update,
        institution=update.period.indicator.owner,
        changes={"comment": [None, comment.text]},
    )
    return comment


@transaction.atomic
def evidence_add(
    *,
    actor: Actor,
    update: ProgressUpdate,
    upload,
    filename: str,
    description: str = "",
    is_public: bool = False,
) -> Evidence:
    """Attach a file after checking it by content; the same file twice on one update is refused."""
    update = _lock_update(update)
    _refuse_if_locked(update.period)
    if not update.is_editable:
        raise ValidationError(_("Solo se agregan evidencias a borradores o avances devueltos."))
    info = checked_evidence(upload, filename)
    twin = update.evidence.filter(sha256=info.sha256).first()
    if twin is not None:
        raise ValidationError(
            {
                "file": _("Este archivo ya está adjunto a este avance como «%(name)s».")
                % {"name": twin.original_name}
            }
        )
    evidence = Evidence(
        update=update,
        **evidence_fields(info),
        description=description.strip(),
        is_public=is_public,
        uploaded_by=actor if actor and actor.is_authenticated else None,
    )
    save_with_file(evidence, upload, exclude=["update", "uploaded_by"])
    audit_record(
        actor=actor,
        verb="update.evidence_add",
        target=update,
        institution=update.period.indicator.owner,
        changes={"evidence": [None, f"{info.filename} ({info.sha256[:12]})"]},
    )
    return evidence


def evidence_twins(evidence: Evidence):
    """Other evidence rows with the same content in the same institution (the same file uploaded
    again)."""
    return Evidence.objects.filter(
        sha256=evidence.sha256,
        update__period__indicator__owner=evidence.update.period.indicator.owner,
    ).exclude(pk=evidence.pk)


# Roll-ups: stored on approval, read by dashboards without recomputation -------------------


@transaction.atomic
def workload_refresh(
    *, state_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> None:
    """Store each state's updates waiting for review and overdue periods in ``StateSummary``
    (all states, or ``state_ids``), as of ``today``: the national dashboard reads 32 rows
    instead of counting over every period. Run daily by ``send_reminders`` (periods cross their
    due date) and by the dashboards when the stored counts are not of today; in between, the
    services that submit, review, correct and generate periods move the counts by their known
    difference (``_workload_moved``). Derived figures: no audit event.
    """

    today = today or timezone.localdate()
    ids = sorted(
        State.objects.values_list("pk", flat=True) if state_ids is None else set(state_ids)
    )
    if not ids:
        return
    missing = set(ids) - set(
        StateSummary.objects.filter(state_id__in=ids).values_list("state_id", flat=True)
    )
    for state_id in missing:  # normally created by a migration; a flushed test database has none
        StateSummary.objects.get_or_create(state_id=state_id)
    list(StateSummary.objects.select_for_update().filter(state_id__in=ids).order_by("state_id"))
    periods_of = ReportingPeriod.objects.filter(indicator__owner__state_id__in=ids)
    pending, overdue = pending_by_state(periods_of), overdue_by_state(periods_of, today)
    for state_id in ids:
        StateSummary.objects.filter(state_id=state_id).update(
            pending=pending.get(state_id, 0), overdue=overdue.get(state_id, 0), counts_on=today
        )


def _workload_add(indicator: Indicator, *, pending: int = 0, overdue: int = 0) -> None:
    """Move the state's stored workload counts by a known difference, in the writer's own
    transaction: one UPDATE of one row instead of a recount of the state's periods (which held the
    write lock for the length of the count). Counts not of today are left alone: the first read
    recounts them (``dashboards.selectors.stored_workload``), so a difference is never added to a
    stale figure."""
    state_id = indicator.owner.state_id
    if state_id is None or not (pending or overdue):
        return
    StateSummary.objects.filter(state_id=state_id, counts_on=timezone.localdate()).update(
        pending=models.F("pending") + pending, overdue=models.F("overdue") + overdue
    )


def _workload_moved(period: ReportingPeriod, before: str | None, after: str | None) -> None:
    """The difference one report's status change makes to its state's counts: waiting for review
    is ``submitted`` (one waiting for national validation is no longer the state's to review);
    overdue is a period past its due date without a report sent (``selectors.overdue_by_state``:
    submitted, validating or approved)."""
    sent = REPORTED_STATUSES
    pending = (after == UpdateStatus.SUBMITTED) - (before == UpdateStatus.SUBMITTED)
    overdue = 0
    if period.due_date < timezone.localdate():
        overdue = (after not in sent) - (before not in sent)
    _workload_add(period.indicator, pending=pending, overdue=overdue)


def rollups_refresh(indicator: Indicator) -> None:
    """Indicator ← its latest approved period; goal ← its indicators; agreement ← its goals;
    state ← the goals of its agreements. A handful of aggregate queries, whatever the data size."""

    latest = (
        ProgressUpdate.objects.filter(
            period__indicator=indicator, is_current=True, status=UpdateStatus.APPROVED
        )
        .order_by("-period__start")
        .values_list("pk", "light")
        .first()
    )
    now = timezone.now()
    Indicator.objects.filter(pk=indicator.pk).update(
        light=latest[1] if latest else rules.NO_DATA,
        latest_approved_id=latest[0] if latest else None,
        light_updated_at=now,
    )
    goal_ids = list(indicator.goals.values_list("pk", flat=True))
    for goal_id in goal_ids:
        colours = Indicator.objects.filter(goals=goal_id).values_list("light", flat=True)
        Goal.objects.filter(pk=goal_id).update(
            light=rules.rollup(colours).colour, light_updated_at=now
        )
    agreement_ids = set(Goal.objects.filter(pk__in=goal_ids).values_list("agreement_id", flat=True))
    for agreement_id in agreement_ids:
        colours = Goal.objects.filter(agreement_id=agreement_id).values_list("light", flat=True)
        Agreement.objects.filter(pk=agreement_id).update(
            light=rules.rollup(colours).colour, light_updated_at=now
        )
    state_ids = set(
        Agreement.objects.filter(pk__in=agreement_ids).values_list("state_id", flat=True)
    )
    for state_id in state_ids:
        summary = rules.rollup(
            Goal.objects.filter(agreement__state_id=state_id).values_list("light", flat=True)
        )
        StateSummary.objects.update_or_create(
            state_id=state_id,
            defaults={
                "light": summary.colour,
                "goals_green": summary.green,
                "goals_yellow": summary.yellow,
                "goals_red": summary.red,
                "goals_no_data": summary.no_data,
            },
        )


def indicator_baseline_source_set(*, actor: Actor, indicator: Indicator, source) -> dict:
    """Cite an official statistic (a ``genderstats.ContextIndicator``, or None to stop citing
    one) as the source of the indicator's baseline; the public state page shows the link."""
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update(of=("self",)).get(pk=indicator.pk)
        before = indicator.baseline_source
        if (before.pk if before else None) == (source.pk if source else None):
            return {}
        indicator.baseline_source = source
        indicator.save(update_fields=["baseline_source"])
        changes = {
            "baseline_source": [str(before) if before else None, str(source) if source else None]
        }
        audit_record(
            actor=actor,
            verb="indicator.update",
            target=indicator,
            institution=indicator.owner,
            changes=changes,
        )
    return changes

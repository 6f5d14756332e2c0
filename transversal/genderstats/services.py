"""Writes of gender statistics: the catalogue of sources and indicators, and the import of
values. Each write is atomic and leaves one audit event; an import is all or nothing.

An import's preview is a ``StatImport`` row, as the registers' preview is a session entry: a
file with problems keeps nothing (``ImportRefused`` carries its problems to the page), a
preview is applied once or discarded, and one nobody applied is removed once it is older than
the imports' shared lifetime (``core.uploads.PENDING_SECONDS``, ``imports_expire``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record, audit_record_many
from transversal.core.cells import Problem
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import safe_filename
from transversal.genderstats import importing
from transversal.genderstats.models import (
    ContextIndicator,
    ImportStatus,
    StatImport,
    StatSource,
    StatValue,
    preview_cutoff,
)
from transversal.territory.models import State

SOURCE_FIELDS = ("slug", "name", "publisher", "edition", "year", "table", "url")
INDICATOR_FIELDS = ("slug", "name", "unit", "description", "measure", "direction", "is_synthetic")
VALUE_FIELDS = ("value", "cv", "ci_low", "ci_high")


def _person(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _clean(obj, fields, data) -> dict:
    """Set the given fields, texts cleaned (NUL bytes, endless texts); the changes made."""
    changes = {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = clean_text(value, field=name)
        before = getattr(obj, name)
        if before != value:
            changes[name] = [before, value]
            setattr(obj, name, value)
    return changes


def source_save(*, actor: Actor, source: StatSource | None = None, **data) -> StatSource:
    """Create a source, or change one; None-free: the changed fields are audited."""
    creating = source is None
    source = source or StatSource()
    changes = _clean(source, SOURCE_FIELDS, data)
    if not creating and not changes:
        return source
    source.full_clean()
    with transaction.atomic():
        source.save()
        audit_record(
            actor=actor,
            verb="statsource.create" if creating else "statsource.update",
            target=source,
            changes=changes,
        )
    return source


def indicator_save(
    *, actor: Actor, indicator: ContextIndicator | None = None, **data
) -> ContextIndicator:
    creating = indicator is None
    indicator = indicator or ContextIndicator()
    changes = _clean(indicator, INDICATOR_FIELDS, data)
    if "source" in data and (creating or indicator.source_id != data["source"].pk):
        changes["source"] = [
            None if creating else str(indicator.source),
            str(data["source"]),
        ]
        indicator.source = data["source"]
    if not creating and not changes:
        return indicator
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        audit_record(
            actor=actor,
            verb="contextindicator.create" if creating else "contextindicator.update",
            target=indicator,
            changes=changes,
        )
    return indicator


class ImportRefused(ValidationError):
    """A file with problems: nothing was kept. ``problems`` name each row and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            _("El archivo tiene problemas; no se guardó nada. Corríjalo y vuelva a subirlo.")
        )


def import_preview(*, actor: Actor, upload, filename: str) -> StatImport:
    """Read and check the file; keep its rows for the preview. Values are not touched. A file
    that cannot be read raises ValidationError, one with problems ImportRefused: neither leaves
    a row nor a file."""
    try:
        checked = importing.check(importing.read_upload(upload, filename))
    except importing.FileRejected as exc:
        raise ValidationError(exc.message) from None
    if checked.problems:
        raise ImportRefused(checked.problems)
    with transaction.atomic():
        stat_import = StatImport.objects.create(
            filename=safe_filename(filename or "")[:200] or "archivo",
            uploaded_by=_person(actor),
            status=ImportStatus.PREVIEW,
            rows=checked.rows,
            result=_preview_counts(checked.rows),
        )
        audit_record(
            actor=actor,
            verb="statimport.preview",
            target=stat_import,
            changes={
                "filename": [None, stat_import.filename],
                "status": [None, stat_import.status],
            },
        )
    return stat_import


def _key(indicator_id, year, state_id, sex, age_group) -> tuple:
    return (indicator_id, year, state_id, sex, age_group)


def _plan(rows: list[dict]):
    """What applying the rows does: (new values, changed values, unchanged count)."""
    indicators = dict(ContextIndicator.objects.values_list("slug", "pk"))
    synthetic = set(ContextIndicator.objects.filter(is_synthetic=True).values_list("pk", flat=True))
    states = dict(State.objects.values_list("code", "pk"))
    wanted = {}
    for row in rows:
        key = _key(
            indicators[row["indicator"]],
            row["year"],
            states.get(row["state"]),
            row["sex"],
            row["age_group"],
        )
        wanted[key] = {
            name: None if row[name] is None else Decimal(row[name]) for name in VALUE_FIELDS
        }
    existing = {
        _key(v.indicator_id, v.year, v.state_id, v.sex, v.age_group): v
        for v in StatValue.objects.filter(
            indicator_id__in={k[0] for k in wanted}, year__in={k[1] for k in wanted}
        )
    }
    new, changed, unchanged = [], [], 0
    for key, figures in wanted.items():
        current = existing.get(key)
        if current is None:
            indicator_id, year, state_id, sex, age_group = key
            new.append(
                StatValue(
                    indicator_id=indicator_id,
                    year=year,
                    state_id=state_id,
                    sex=sex,
                    age_group=age_group,
                    is_synthetic=indicator_id in synthetic,
                    **figures,
                )
            )
        elif any(getattr(current, n) != figures[n] for n in VALUE_FIELDS):
            for name, figure in figures.items():
                setattr(current, name, figure)
            changed.append(current)
        else:
            unchanged += 1
    return new, changed, unchanged


def _preview_counts(rows: list[dict]) -> dict:
    if not rows:
        return {}
    new, changed, unchanged = _plan(rows)
    return {"created": len(new), "updated": len(changed), "unchanged": unchanged}


def import_apply(*, actor: Actor, stat_import: StatImport) -> StatImport:
    """Write every row of a checked import, or nothing. The rows are checked again against the
    catalogue as it is now (it may have changed since the preview)."""
    _check_applicable(stat_import)
    checked = importing.check((row["row"], _raw(row)) for row in stat_import.rows)
    if checked.problems:
        raise ValidationError([str(p) for p in checked.problems[:20]])
    with transaction.atomic():
        locked = StatImport.objects.select_for_update().filter(pk=stat_import.pk).first()
        if locked is None:
            raise _expired()
        _check_applicable(locked)
        new, changed, unchanged = _plan(checked.rows)
        StatValue.objects.bulk_create(new, batch_size=500)
        StatValue.objects.bulk_update(changed, list(VALUE_FIELDS), batch_size=500)
        locked.status = ImportStatus.APPLIED
        locked.applied_at = timezone.now()
        locked.result = {"created": len(new), "updated": len(changed), "unchanged": unchanged}
        locked.save(update_fields=["status", "applied_at", "result"])
        audit_record(
            actor=actor,
            verb="statimport.apply",
            target=locked,
            changes={k: [None, v] for k, v in locked.result.items()},
            note=locked.filename,
        )
    return locked


def _check_applicable(stat_import: StatImport) -> None:
    if stat_import.status == ImportStatus.APPLIED:
        raise ValidationError(_("Esta importación ya se aplicó."))
    if stat_import.status != ImportStatus.PREVIEW or stat_import.expired:
        raise _expired()


def _expired() -> ValidationError:
    return ValidationError(
        _(
            "La vista previa ya no está disponible (venció o se descartó). "
            "Vuelva a subir el archivo."
        )
    )


def import_discard(*, actor: Actor, stat_import: StatImport) -> bool:
    """Remove a preview nobody applied (the person cancelled it); False when it was already
    gone. An applied import stays: it is the record of what was written."""
    with transaction.atomic():
        locked = StatImport.objects.select_for_update().filter(pk=stat_import.pk).first()
        if locked is None:
            return False
        if locked.status == ImportStatus.APPLIED:
            raise ValidationError(_("Esta importación ya se aplicó; no se puede descartar."))
        audit_record(actor=actor, verb="statimport.discard", target=locked, changes=_gone(locked))
        locked.delete()
    return True


def imports_expire(*, now=None) -> int:
    """Remove every preview nobody applied or discarded before it expired (and the records an
    earlier version kept for refused files); one audit event each, by no person. Run with each
    upload, so abandoned previews never pile up; the number removed."""
    with transaction.atomic():
        stale = list(
            StatImport.objects.select_for_update()
            .exclude(status=ImportStatus.APPLIED)
            .filter(created_at__lt=preview_cutoff(now))
            .only("pk", "code", "filename", "status")
        )
        if not stale:
            return 0
        audit_record_many(
            actor=None,
            verb="statimport.expire",
            events=[(row, _gone(row)) for row in stale],
            institution=None,
        )
        StatImport.objects.filter(pk__in=[row.pk for row in stale]).delete()
    return len(stale)


def _gone(stat_import: StatImport) -> dict:
    return {
        "filename": [stat_import.filename, None],
        "status": [stat_import.status, None],
    }


def _raw(row: dict) -> dict:
    """A stored row back into the cells ``importing.check`` reads."""
    return {key: row.get(key) for key in importing.COLUMNS}

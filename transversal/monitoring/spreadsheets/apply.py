"""Writing an import that had no problems: one transaction, through the services.

``import_apply`` writes the rows a preview validated through ``targets_update`` and
``update_save``; a conflict (someone changed a row since the preview) or a row the services
refuse rolls back everything and raises ``ImportFailed``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record
from transversal.monitoring.models import ReportingPeriod
from transversal.monitoring.services import StaleEdit, targets_update, update_save
from transversal.monitoring.spreadsheets.template import (
    SHEET_TARGETS,
    SHEET_UPDATES,
    TARGETS,
    UPDATES,
)
from transversal.monitoring.spreadsheets.validation import Problem


class ImportFailed(Exception):
    """The import was not written; ``problems`` say why (a conflict or a row the services
    refused)."""

    def __init__(self, problems: list[Problem], *, conflict: bool = False):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.conflict = conflict


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@transaction.atomic
def import_apply(*, actor, institution, kind: str, rows: list[dict], filename: str = "") -> int:
    """Write a validated import through the services, all rows or none; return how many rows
    changed."""
    sheet = str(SHEET_UPDATES if kind == UPDATES else SHEET_TARGETS)
    codes = {row["indicator"] for row in rows}
    periods = {
        (str(p.indicator.code), p.label): p
        for p in ReportingPeriod.objects.select_related("indicator").filter(
            indicator__owner=institution, indicator__code__in=codes
        )
    }
    missing = [row for row in rows if (row["indicator"], row["period"]) not in periods]
    if missing:
        raise ImportFailed(
            [
                Problem(
                    sheet,
                    missing[0]["row"],
                    _("Periodo"),
                    _("El indicador o el periodo ya no existen."),
                )
            ],
            conflict=True,
        )
    if kind == TARGETS:
        _apply_targets(actor, sheet, rows, periods)
    else:
        _apply_updates(actor, sheet, rows, periods)
    audit_record(
        actor=actor,
        verb="monitoring.sheet_import",
        target=institution,
        institution=institution,
        changes={kind: [None, len(rows)]},
        note=filename[:200],
    )
    return len(rows)


def _apply_targets(actor, sheet: str, rows: list[dict], periods: dict) -> None:
    by_indicator: dict[str, list[dict]] = {}
    for row in rows:
        by_indicator.setdefault(row["indicator"], []).append(row)
    for code, group in by_indicator.items():
        indicator = periods[(code, group[0]["period"])].indicator
        now = dict(
            ReportingPeriod.objects.select_for_update(of=("self",))
            .filter(indicator=indicator)
            .values_list("label", "target")
        )
        for row in group:
            if now.get(row["period"]) != _decimal(row["before"]):
                raise ImportFailed(
                    [
                        Problem(
                            sheet,
                            row["row"],
                            _("Meta"),
                            _(
                                "Otra persona cambió esta meta después de la vista previa; no se "
                                "guardó nada. Vuelva a subir el archivo para revisar los valores "
                                "actuales."
                            ),
                        )
                    ],
                    conflict=True,
                )
        try:
            targets_update(
                actor=actor,
                indicator=indicator,
                targets={row["period"]: _decimal(row["target"]) for row in group},
            )
        except ValidationError as exc:
            raise ImportFailed(
                [Problem(sheet, group[0]["row"], _("Meta"), m) for m in exc.messages]
            ) from None


def _apply_updates(actor, sheet: str, rows: list[dict], periods: dict) -> None:
    for row in rows:
        try:
            update_save(
                actor=actor,
                period=periods[(row["indicator"], row["period"])],
                expected_version=row["version"],
                value=_decimal(row["value"]),
                numerator=_decimal(row["numerator"]),
                denominator=_decimal(row["denominator"]),
                narrative=row["narrative"],
                breakdown={
                    d: {c: Decimal(v) for c, v in values.items()}
                    for d, values in row["breakdown"].items()
                },
                disaggregation_note=row["note"],
            )
        except StaleEdit:
            raise ImportFailed(
                [
                    Problem(
                        sheet,
                        row["row"],
                        _("Valor"),
                        _(
                            "Otra persona guardó este avance después de la vista previa; no se "
                            "guardó nada. Vuelva a subir el archivo para revisar los valores "
                            "actuales."
                        ),
                    )
                ],
                conflict=True,
            ) from None
        except ValidationError as exc:
            raise ImportFailed(
                [Problem(sheet, row["row"], _("Valor"), m) for m in exc.messages]
            ) from None

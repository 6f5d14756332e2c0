"""``manage.py build_report --state 32 --period 2025-T4 --format pdf --output reporte.pdf`` (or
``--national``)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from transversal.reports.assembly import ReportError, find_state
from transversal.reports.models import ReportFormat
from transversal.reports.services import report_generate


class Command(BaseCommand):
    help = "Genera el reporte de avance de una entidad federativa o el nacional, en PDF o DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--state", help="Clave INEGI de la entidad federativa (01 a 32).")
        scope.add_argument("--national", action="store_true", help="Reporte nacional consolidado.")
        parser.add_argument(
            "--period", required=True, help="Periodo: 2025-M03, 2025-T4, 2025-S2, 2025 o 2024-2025."
        )
        parser.add_argument("--format", required=True, choices=ReportFormat.values, dest="fmt")
        parser.add_argument("--output", required=True, type=Path, help="Archivo que se escribirá.")

    def handle(
        self, *args, state=None, national=False, period: str, fmt: str, output: Path, **options
    ) -> None:
        if not output.parent.is_dir():
            raise CommandError(f"No existe la carpeta de destino: {output.parent}")
        started = time.perf_counter()
        try:
            report = report_generate(
                period=period,
                state=None if national else find_state(state),
                fmt=fmt,
                output=output,
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.title} · {report.period_display}: {output} "
                f"({output.stat().st_size:,} bytes, {seconds:.1f} s)"
            )
        )

"""Load INEGI's catalogue of municipalities (AGEEML, CSV or XLSX); report what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from transversal.territory.catalogue import (
    DEFAULT_SOURCE,
    SAMPLE_FILE,
    SAMPLE_SOURCE,
    CatalogueError,
    CatalogueReport,
    municipal_catalogue_load,
    read_catalogue,
)

DETAIL_LIMIT = 50  # lines listed per kind of change; the counts are always complete


def parse_date(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise CommandError(f"La fecha «{text}» no es válida: escríbala como dd/mm/aaaa.")


class Command(BaseCommand):
    help = (
        "Carga el catálogo de municipios de INEGI (AGEEML, CSV o XLSX): agrega, renombra "
        "(guarda el nombre anterior) y da de baja los que ya no aparecen, sin borrarlos. "
        "Solo toca las entidades que trae el archivo. Se puede repetir: una segunda carga del "
        "mismo archivo no cambia nada."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", type=Path, help="archivo AGEEML de INEGI (.csv o .xlsx)"
        )
        parser.add_argument(
            "--sample",
            action="store_true",
            help="carga el extracto que trae Transversal (municipios de Durango y Zacatecas)",
        )
        parser.add_argument(
            "--source",
            default=None,
            help=f"fuente que se registra (por omisión «{DEFAULT_SOURCE}»)",
        )
        parser.add_argument(
            "--date", type=parse_date, default=None, help="fecha del catálogo, dd/mm/aaaa"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="muestra los cambios sin guardarlos"
        )

    def handle(self, *args, file: Path | None, sample: bool, source, date, dry_run, **options):
        if (file is None) == (not sample):
            raise CommandError("Indique un archivo AGEEML de INEGI o --sample (no ambos).")
        path = SAMPLE_FILE if sample else file
        if not path.is_file():
            raise CommandError(f"No se encontró el archivo {path}.")
        data = path.read_bytes()
        try:
            rows = read_catalogue(data, path.name)
            with transaction.atomic():
                report = municipal_catalogue_load(
                    actor=None,
                    rows=rows,
                    file_name=path.name,
                    source=source or (SAMPLE_SOURCE if sample else DEFAULT_SOURCE),
                    published_on=date,
                    sha256=hashlib.sha256(data).hexdigest(),
                )
                if dry_run:
                    transaction.set_rollback(True)
        except CatalogueError as exc:
            raise CommandError(
                "No se cargó el catálogo; no se cambió nada.\n" + "\n".join(exc.messages)
            ) from None
        self._report(report, dry_run=dry_run)

    def _report(self, report: CatalogueReport, *, dry_run: bool) -> None:
        load = report.load
        when = f", fecha {load.published_on:%d/%m/%Y}" if load.published_on else ""
        self.stdout.write(f"Catálogo de municipios: {load.source}{when}. Archivo: {load.file_name}")
        self.stdout.write(
            f"{load.rows:,} municipios leídos de {len(load.states)} "
            f"{'entidad' if len(load.states) == 1 else 'entidades'}."
        )
        kinds = (
            ("Agregados", report.added, lambda c, n: f"{c} {n}"),
            ("Renombrados", report.renamed, lambda c, old, new: f"{c} «{old}» → «{new}»"),
            ("Dados de baja", report.retired, lambda c, n: f"{c} {n}"),
            ("Reactivados", report.reactivated, lambda c, n: f"{c} {n}"),
        )
        for label, items, line in kinds:
            self.stdout.write(f"{label}: {len(items):,}")
            shown = items if label != "Agregados" or len(items) <= DETAIL_LIMIT else []
            for item in shown[:DETAIL_LIMIT]:
                self.stdout.write(f"  {line(*item)}")
            if len(shown) > DETAIL_LIMIT:
                self.stdout.write(f"  … y {len(shown) - DETAIL_LIMIT:,} más")
        if dry_run:
            self.stdout.write(self.style.WARNING("Prueba (--dry-run): no se guardó nada."))
        elif not report.changed:
            self.stdout.write(self.style.SUCCESS("Sin cambios: el catálogo ya estaba al día."))
        else:
            self.stdout.write(self.style.SUCCESS("Catálogo actualizado."))

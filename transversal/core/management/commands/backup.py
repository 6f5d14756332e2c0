"""``manage.py backup --output FILE.tar.gz``: database rows and uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transversal.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Escribe un respaldo completo (base de datos y archivos subidos) "
        "en un solo archivo .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", required=True, type=Path, help="Archivo .tar.gz a escribir."
        )

    def handle(self, *args, output: Path, **options):
        try:
            result = backup_create(output=output, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo escrito en {result.path}: {result.rows} registros, "
                f"{result.files} archivos, {result.size / 1_048_576:.1f} MiB."
            )
        )

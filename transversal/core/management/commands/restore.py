"""``manage.py restore FILE.tar.gz``: load a backup into an empty, migrated installation."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from transversal.core.backup import (
    BackupError,
    archive_verify,
    backup_restore,
    schema_check,
    signature_enforce,
)


class Command(BaseCommand):
    help = (
        "Restaura un respaldo hecho con «backup» en una instalación vacía y migrada. "
        "Verifica todas las sumas SHA-256 y la firma antes de tocar nada."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", type=Path, help="Archivo .tar.gz hecho con «manage.py backup»."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reemplaza TODOS los datos actuales si la base no está vacía.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Solo verifica el respaldo (sumas, firma y esquema) contra esta instalación; "
            "no escribe nada.",
        )
        parser.add_argument(
            "--accept-unsigned",
            action="store_true",
            help="Acepta un respaldo sin firma válida "
            "(de una versión anterior, firmado con otra clave o alterado) "
            "después de mostrar qué difiere de lo firmado.",
        )

    def handle(
        self, *args, archive: Path, force: bool, check: bool, accept_unsigned: bool, **options
    ):
        try:
            if check:
                with tempfile.TemporaryDirectory(prefix="transversal-check-") as workdir:
                    verified = archive_verify(archive, Path(workdir))
                    signature_enforce(
                        verified, accept_unsigned=accept_unsigned, log=self.stdout.write
                    )
                    schema_check(verified.migrations, connection)
                manifest = verified.manifest
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Respaldo íntegro: creado {manifest['created']} con Transversal "
                        f"{manifest['transversal_version']} ({manifest['database_vendor']}), "
                        f"{manifest['rows']} registros, {len(verified.media)} archivos; "
                        "compatible con el esquema de esta instalación."
                    )
                )
                return
            result = backup_restore(
                path=archive, force=force, accept_unsigned=accept_unsigned, log=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if "search_reindex" in get_commands():  # derived data, not in the archive
            call_command("search_reindex", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauración terminada: {result.rows} registros y {result.files} archivos."
            )
        )

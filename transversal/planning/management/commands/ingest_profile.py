"""Read an institutional profile document; apply it to an institution unless --dry-run."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from transversal.institutions.models import Institution
from transversal.planning.ingest import IngestError, extract_text, parse_profile
from transversal.planning.services import profile_apply


class Command(BaseCommand):
    help = (
        "Lee un perfil institucional (misión, visión, objetivos, decreto) y lo aplica a una "
        "institución."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--institution", help="Clave pública de la institución.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No se encontró el archivo {path}.")
        try:
            profile = parse_profile(extract_text(path.read_bytes(), path.name).text)
        except IngestError as exc:
            raise CommandError(exc.message) from None
        data = dataclasses.asdict(profile)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            for key, value in data.items():
                self.stdout.write(f"{key}: {value}")
        if options["dry_run"]:
            return
        if not options["institution"]:
            raise CommandError(
                "Indique --institution con la clave de la institución, o use --dry-run."
            )
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"No existe la institución «{options['institution']}».")
        try:
            profile_apply(actor=None, institution=institution, profile=profile)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Perfil aplicado a {institution.slug}.")

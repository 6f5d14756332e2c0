"""Read a plan document into a draft tree; save it as a plan unless --dry-run."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from transversal.institutions.models import Institution
from transversal.planning.ingest import IngestError, extract_text, iter_items, parse_plan
from transversal.planning.models import PlanKind
from transversal.planning.services import plan_create_from_draft


def tree_json(items) -> list[dict]:
    return [
        {
            "code": i.code,
            "level": i.level,
            "text": i.text,
            "note": i.note,
            "children": tree_json(i.children),
        }
        for i in items
    ]


class Command(BaseCommand):
    help = (
        "Lee un plan (DOCX, PDF, TXT, MD) y lo guarda como borrador, o solo lo muestra con "
        "--dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--state", help="Clave INEGI de la entidad (se toma de la institución)."
        )
        parser.add_argument("--plan-kind", default=PlanKind.PED, choices=PlanKind.values)
        parser.add_argument("--institution", help="Clave pública de la institución responsable.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No se encontró el archivo {path}.")
        try:
            extracted = extract_text(path.read_bytes(), path.name)
        except IngestError as exc:
            raise CommandError(exc.message) from None
        draft = parse_plan(extracted.text, extracted.footnotes)
        tree = tree_json(draft.items)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "title": draft.title,
                        "period_start": draft.period_start,
                        "period_end": draft.period_end,
                        "items": tree,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for item in iter_items(draft.items):
                self.stdout.write(f"{item.level:12} {item.code:10} {item.text[:80]}")
        if options["dry_run"]:
            return
        institution = self._institution(options)
        try:
            plan = plan_create_from_draft(
                actor=None,
                institution=institution,
                kind=options["plan_kind"],
                draft=draft,
                source=path.read_bytes(),
                source_name=path.name,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"Plan guardado en borrador: {plan.code} ({plan.items.count()} elementos)."
        )

    def _institution(self, options) -> Institution:
        slug = options["institution"]
        if not slug:
            raise CommandError(
                "Indique --institution con la clave de la institución responsable, o use --dry-run."
            )
        institution = Institution.objects.filter(slug=slug).select_related("state").first()
        if institution is None:
            raise CommandError(f"No existe la institución «{slug}».")
        state = options["state"]
        if state and (institution.state is None or institution.state.code != state.zfill(2)):
            raise CommandError(f"La institución «{slug}» no pertenece a la entidad {state}.")
        return institution

"""Compile the .po catalogues to .mo with Babel (no GNU gettext needed)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compila los catálogos de traducción (.po → .mo)."

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                with po_path.open("rb") as po:
                    catalog = read_po(po)
                with po_path.with_suffix(".mo").open("wb") as mo:
                    write_mo(mo, catalog)
                self.stdout.write(f"{po_path} → {po_path.with_suffix('.mo').name}")

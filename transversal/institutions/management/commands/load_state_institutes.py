"""Register the 32 state women's institutes from the reference module; report what it did."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from transversal.institutions.services import state_institutes_load


class Command(BaseCommand):
    help = (
        "Da de alta las instancias de las mujeres de las 32 entidades con los datos de "
        "referencia (transversal/institutions/state_institutes.py) y su fuente. Solo crea las "
        "que faltan: nunca modifica una institución ya registrada. Se puede repetir."
    )

    def handle(self, *args, **options) -> None:
        report = state_institutes_load(actor=None)
        for label in report.created:
            self.stdout.write(f"Creada: {label}")
        for label in report.kept:
            self.stdout.write(f"Ya registrada, sin cambios: {label}")
        for label in report.other_institute:
            self.stdout.write(f"La entidad ya registra otra instancia, no se agregó: {label}")
        for label in report.missing_state:
            self.stderr.write(f"Falta la entidad federativa (ejecute migrate): {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} creadas, {len(report.kept)} ya registradas, "
                f"{len(report.other_institute)} omitidas por tener otra instancia."
            )
        )

"""Publish the national frameworks (national programmes) of the reference module; report it."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from transversal.planning.services import national_frameworks_load


class Command(BaseCommand):
    help = (
        "Publica los marcos nacionales para la igualdad (PROIGUALDAD 2020-2024 y Programa "
        "Sectorial de las Mujeres 2025-2030) con sus objetivos y su fuente, tomados de "
        "transversal/planning/national_frameworks.py. Solo crea los que faltan: nunca modifica "
        "un plan ya registrado. Se puede repetir."
    )

    def handle(self, *args, **options) -> None:
        created = national_frameworks_load(actor=None)
        for code in created:
            self.stdout.write(f"Publicado: {code}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(created)} marcos nacionales publicados.")
            if created
            else "Sin cambios: los marcos nacionales ya estaban registrados."
        )

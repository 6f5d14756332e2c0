from django.core.management.base import BaseCommand, CommandError

from transversal.bench.dataset import SIZES, generate


class Command(BaseCommand):
    help = "Genera un conjunto de datos sintético, determinista, de escala nacional (S, M o L)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", default="S", help="S (prueba), M (~77 mil avances) o L (~1 millón)"
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, size: str, seed: int, **options):
        size = size.upper()
        if size not in SIZES:
            raise CommandError(f"Tamaño desconocido «{size}»: use S, M o L.")
        report = generate(size, seed=seed, log=lambda line: self.stdout.write(line))
        for line in report.lines():
            self.stdout.write(line)

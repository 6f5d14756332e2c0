from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transversal.bench import runner, scenarios


class Command(BaseCommand):
    help = (
        "Mide páginas, exportaciones, reportes e importación sobre la base de datos actual: "
        "mediana, p95, consultas, piso SQL, memoria. Imprime una tabla Markdown y, con --json, "
        "escribe los resultados."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="corridas medidas por escenario")
        parser.add_argument(
            "--warmup", type=int, default=3, help="corridas de calentamiento, no medidas"
        )
        parser.add_argument("--json", type=Path, help="archivo JSON de resultados")
        parser.add_argument("--label", default="", help="nombre de la medición, p. ej. «sqlite M»")
        parser.add_argument(
            "--only", nargs="+", choices=sorted(scenarios.BY_NAME), help="solo estos escenarios"
        )

    def handle(self, *args, runs: int, warmup: int, json: Path | None, label: str, only, **options):
        if runs < 1 or warmup < 0:
            raise CommandError("--runs debe ser al menos 1 y --warmup no negativo.")
        document = runner.run_all(
            names=only,
            runs=runs,
            warmup=warmup,
            label=label,
            log=lambda line: self.stderr.write(line),
        )
        if json is not None:
            runner.write_json(document, json)
        self.stdout.write(runner.markdown(document))

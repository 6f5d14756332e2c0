from django.core.management.base import BaseCommand, CommandError

from transversal.bench import writers as bench


class Command(BaseCommand):
    help = (
        "Mide cuántos pares «guardar y enviar a revisión» por segundo alcanza una persona sola y "
        "N personas a la vez en la misma entidad, cada una en su propio proceso. Borra al final "
        "lo que creó."
    )

    def add_arguments(self, parser):
        parser.add_argument("--writers", type=int, default=5, help="personas a la vez")
        parser.add_argument("--seconds", type=float, default=10.0, help="duración de cada medición")
        parser.add_argument("--rounds", type=int, default=3, help="mediciones de cada caso")

    def handle(self, *args, writers: int, seconds: float, rounds: int, **options):
        if writers < 2 or seconds <= 0 or rounds < 1:
            raise CommandError("--writers debe ser al menos 2, --seconds positivo y --rounds ≥ 1.")
        # Fresh periods for each measurement (a period is sent once): one writer alone, then all.
        ids = bench.prepare((writers + 1) * rounds)
        try:
            rows = []
            for number in range(rounds):
                mine = ids[number * (writers + 1) : (number + 1) * (writers + 1)]
                alone = bench.measure(mine[:1], 1, seconds)
                together = bench.measure(mine[1:], writers, seconds)
                rows.append((number + 1, alone, together))
            self.stdout.write(bench.table(rows, seconds))
        finally:
            bench.clean_up()

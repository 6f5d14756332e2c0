from django.conf import settings
from django.core.management import call_command
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
        parser.add_argument(
            "--pages",
            action="store_true",
            help="cada persona usa la página del periodo (abrirla, guardar y enviar, ver el "
            "resultado) en vez de llamar al servicio",
        )

    def handle(self, *args, writers: int, seconds: float, rounds: int, pages: bool, **options):
        # The notices a submission sends are built as always and kept in memory, not printed.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        if writers < 2 or seconds <= 0 or rounds < 1:
            raise CommandError("--writers debe ser al menos 2, --seconds positivo y --rounds ≥ 1.")
        # Fresh periods for each measurement (a period is sent once): one writer alone, then all.
        ids = bench.prepare((writers + 1) * rounds)
        try:
            people = None
            if pages:
                # The pages use the production settings' static manifest.
                call_command("collectstatic", interactive=False, verbosity=0)
                people = bench.editors(writers + 1)
            rows = []
            for number in range(rounds):
                mine = ids[number * (writers + 1) : (number + 1) * (writers + 1)]
                alone = bench.measure(mine[:1], 1, seconds, people[:1] if people else None)
                together = bench.measure(mine[1:], writers, seconds, people[1:] if people else None)
                rows.append((number + 1, alone, together))
            self.stdout.write(bench.table(rows, seconds))
        finally:
            bench.clean_up()

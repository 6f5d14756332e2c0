from django.core.management.base import BaseCommand

from transversal.site import demo


class Command(BaseCommand):
    help = "Carga los datos de demostración (idempotente)."

    def handle(self, *args, **options):
        demo.run(lambda line: self.stdout.write(line))

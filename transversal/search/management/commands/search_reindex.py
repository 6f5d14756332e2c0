from django.core.management.base import BaseCommand

from transversal.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Reconstruye el índice del buscador desde las tablas de origen (idempotente). "
        "Ejecútelo después de cargas masivas, como generate_dataset."
    )

    def handle(self, *args, **options):
        result = rebuild(log=self.stdout.write)
        total = sum(result.written.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Índice del buscador: {total:,} entradas escritas, {result.removed:,} retiradas."
            )
        )

"""The background worker: recovers the jobs of a worker that died, then runs queued tasks
(``db_worker`` of django-tasks-db). Stop it with Ctrl+C or SIGTERM: it finishes the task at
hand first."""

from __future__ import annotations

import signal

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from transversal.jobs.runner import jobs_recover


class Command(BaseCommand):
    help = _(
        "Ejecuta los trabajos en segundo plano (reportes, importaciones grandes, recordatorios). "
        "Al iniciar, retoma o da por fallidos los que dejó a medias un proceso detenido."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("Ejecutar lo que haya en la fila y terminar."),
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help=_("Terminar tras este número de tareas.")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=_("Segundos de espera entre revisiones de la fila vacía (1 por omisión)."),
        )

    def handle(self, *args, batch: bool, max_tasks: int | None, interval: float, **options):
        for name, (requeued, failed) in jobs_recover().items():
            if requeued or failed:
                self.stdout.write(
                    _("%(kind)s: %(r)s trabajos vueltos a la fila, %(f)s dados por fallidos.")
                    % {"kind": name, "r": requeued, "f": failed}
                )
        argv = ["--interval", str(interval), "--no-reload", "--no-startup-delay"]
        if batch:
            argv.append("--batch")
        if max_tasks:
            argv += ["--max-tasks", str(max_tasks)]
        # db_worker installs its own handlers (finish the task at hand on SIGTERM or Ctrl+C);
        # they are put back afterwards for a caller in the same process (tests, --batch).
        names = ("SIGINT", "SIGTERM", "SIGQUIT")
        saved = {n: signal.getsignal(getattr(signal, n)) for n in names if hasattr(signal, n)}
        try:
            call_command("db_worker", *argv, verbosity=options.get("verbosity", 1))
        finally:
            for name, handler in saved.items():
                signal.signal(getattr(signal, name), handler)

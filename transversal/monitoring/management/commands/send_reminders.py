"""Thin wrapper around ``monitoring.reminders.reminders_send`` (periods to report and open
follow-up items): run it daily (cron, systemd timer). It runs here and now; ``--enqueue``
queues the run for the worker instead (``monitoring.tasks.reminders_enqueue``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.monitoring.reminders import DEFAULT_DAYS, reminders_send
from transversal.monitoring.services import workload_refresh
from transversal.monitoring.tasks import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Envía recordatorios de periodos por vencer o vencidos sin avance enviado, y de "
        "acuerdos y compromisos abiertos por vencer o vencidos a las personas que capturan o "
        "administran en las instituciones responsables: un correo por persona, nunca dos veces "
        "el mismo recordatorio."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help="Avisar de los periodos, acuerdos y compromisos que vencen en estos días o menos "
            "(7 por omisión).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Solo contar: no envía ni registra nada."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Poner el envío en la fila de trabajos en segundo plano (lo ejecuta "
            "`manage.py worker`) en lugar de hacerlo ahora.",
        )

    def handle(self, *args, days: int, dry_run: bool, enqueue: bool = False, **options):
        if days < 0:
            raise CommandError(_("--days debe ser 0 o más."))
        if enqueue:
            if dry_run:
                raise CommandError(_("--enqueue y --dry-run no se pueden usar juntos."))
            job = reminders_enqueue(days=days)
            self.stdout.write(
                _("Envío de recordatorios en la fila (trabajo %(code)s): %(status)s.")
                % {"code": job.code, "status": job.get_status_display()}
            )
            return
        if not dry_run:
            # Daily: periods that crossed their due date change the national dashboard's counts.
            workload_refresh(today=timezone.localdate())
        result = reminders_send(today=timezone.localdate(), days=days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                _(
                    "Simulación: se enviarían %(n)s recordatorios en %(e)s correos; ya enviados "
                    "antes: %(m)s"
                )
                % {"n": result.sent, "e": result.emails, "m": result.already_sent}
            )
            return
        self.stdout.write(
            _("Recordatorios enviados: %(n)s; ya enviados antes: %(m)s")
            % {"n": result.sent - result.failed, "m": result.already_sent}
        )
        if result.failed:
            self.stderr.write(
                _(
                    "No se pudieron enviar %(n)s recordatorios; se intentará de nuevo en la "
                    "próxima ejecución."
                )
                % {"n": result.failed}
            )

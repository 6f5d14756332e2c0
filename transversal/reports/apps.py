from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "transversal.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_history_labels()
        register_job_kind()


def register_job_kind():
    """Reports run on the queue of the jobs app (below this one); a report may be generated
    twice without harm, so a job whose worker died gets one more attempt."""
    from transversal.jobs.runner import JobKind, register_kind
    from transversal.reports.models import ReportJob
    from transversal.reports.services import JOB_KIND, MAX_ATTEMPTS
    from transversal.reports.tasks import report_job_task

    register_kind(
        JobKind(name=JOB_KIND, model=ReportJob, task=report_job_task, max_attempts=MAX_ATTEMPTS)
    )


def register_history_labels():
    """How this app's events read on history pages (the audit app sits below it)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_verbs

    register_verbs({"report_requested": _("solicitó un informe")})

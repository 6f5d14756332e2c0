"""Running the worker inside a test's transaction."""

from __future__ import annotations

from django.core.management import call_command


def run_worker(monkeypatch) -> None:
    """One batch of ``manage.py worker`` (every queued task, then it stops). Between tasks the
    worker closes connections left in a transaction, as a request would; on PostgreSQL that
    would close the test's own connection (SQLite's in-memory test database ignores it)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("worker", batch=True, verbosity=0)

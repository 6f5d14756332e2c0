"""Demo data: each domain contributes a step, run in order by ``manage.py load_demo``.

Every step is idempotent (running the demo twice changes nothing) and writes
through the same services as the interface, so the demo also exercises them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import import_string

STEPS: list[str] = [
    "transversal.institutions.demo.load",
    "transversal.accounts.demo.load",
    "transversal.planning.demo.load",
    "transversal.agreements.demo.load",
    "transversal.monitoring.demo.load",
]

DEMO_PASSWORD = "Igualdad-demo-2026"


def run(log: Callable[[str], None] = print) -> None:
    # The demo walks reports through the workflow; nobody should receive those e-mails.
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for dotted in STEPS:
            step = import_string(dotted)
            with transaction.atomic():
                step(log)

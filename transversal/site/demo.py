"""Demo data: each domain contributes a step, run in order by ``manage.py load_demo``.

Every step is idempotent (running the demo twice changes nothing) and writes
through the same services as the interface, so the demo also exercises them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from transversal.accounts import demo as accounts_demo
from transversal.agreements import demo as agreements_demo
from transversal.coordination import demo as coordination_demo
from transversal.genderstats import demo as genderstats_demo
from transversal.harmonization import demo as harmonization_demo
from transversal.improvement import demo as improvement_demo
from transversal.institutions import demo as institutions_demo
from transversal.monitoring import demo as monitoring_demo
from transversal.planning import demo as planning_demo
from transversal.registers import demo as registers_demo
from transversal.site import demo_baselines
from transversal.workprogrammes import demo as workprogrammes_demo

# Bottom layer first: each step reads what the ones before it wrote.
STEPS: list[Callable[[Callable[[str], None]], None]] = [
    institutions_demo.load,
    accounts_demo.load,
    planning_demo.load,
    agreements_demo.load,
    monitoring_demo.load,
    coordination_demo.load,
    improvement_demo.load,
    workprogrammes_demo.load,
    harmonization_demo.load,
    genderstats_demo.load,
    registers_demo.load,
    demo_baselines.load,
]


def run(log: Callable[[str], None] = print) -> None:
    # The demo walks reports through the workflow; nobody should receive those e-mails.
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for step in STEPS:
            with transaction.atomic():
                step(log)

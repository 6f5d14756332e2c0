"""Building blocks for monitoring tests: an indicator with a calendar, updates in any status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transversal.monitoring.models import UpdateStatus
from transversal.monitoring.services import (
    indicator_create,
    periods_generate,
    targets_update,
    update_approve,
    update_save,
    update_submit,
    update_validate,
)


def indicator_with_calendar(
    owner, *, measure="count", unit="personas", disaggregations=(), targets=None, **extra
):
    indicator = indicator_create(
        actor=None,
        owner=owner,
        name=extra.pop("name", "Mujeres capacitadas en igualdad sustantiva"),
        unit=unit,
        measure=measure,
        frequency="quarterly",
        direction=extra.pop("direction", "ascending"),
        baseline_value=extra.pop("baseline_value", None),
        disaggregations=list(disaggregations),
        **extra,
    )
    periods_generate(
        actor=None, indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    targets = targets or {"2025-T1": 100, "2025-T2": 100, "2025-T3": 100, "2025-T4": 100}
    targets_update(
        actor=None, indicator=indicator, targets={k: Decimal(v) for k, v in targets.items()}
    )
    return indicator


def period(indicator, label="2025-T1"):
    return indicator.periods.get(label=label)


def draft(indicator, label="2025-T1", value=Decimal(95), actor=None, **extra):
    return update_save(
        actor=actor, period=period(indicator, label), expected_version=None, value=value, **extra
    )


def submitted(indicator, label="2025-T1", value=Decimal(95), actor=None):
    update = draft(indicator, label, value, actor)
    return update_submit(actor=actor, update=update, expected_version=update.version)


def second_pair_of_eyes():
    """The reviewer ``approved`` uses when none is given: a person who captured nothing
    (four eyes: nobody approves an update they captured, edited or submitted)."""
    from transversal.accounts.models import User

    return User.objects.filter(
        email="revision.fabrica@prueba.test"
    ).first() or User.objects.create_user(
        email="revision.fabrica@prueba.test", password=None, full_name="Revisión de fábrica"
    )


def national_validator():
    """A reviewer of the national institution who captured and approved nothing: the second
    level of approval for indicators that require it (goal indicators)."""
    from transversal.accounts.models import Membership, Role, User
    from transversal.institutions.models import Institution

    user = User.objects.filter(email="validacion.fabrica@prueba.test").first()
    if user is None:
        user = User.objects.create_user(
            email="validacion.fabrica@prueba.test", password=None, full_name="Validación nacional"
        )
        Membership.objects.create(
            user=user, institution=Institution.objects.get(slug="nacional"), role=Role.REVIEWER
        )
    return user


def approve_all_levels(*, actor, update, comment=""):
    """``update_approve`` and, when the figure then waits for the national validation,
    ``update_validate`` by :func:`national_validator`: the figure ends approved and counting."""
    update = update_approve(actor=actor, update=update, comment=comment)
    if update.status == UpdateStatus.VALIDATING:
        update = update_validate(actor=national_validator(), update=update)
    return update


def validating(indicator, label="2025-T1", value=Decimal(95), actor=None, reviewer=None):
    """Approved by the state, waiting for the national validation (the indicator must require
    it)."""
    update = submitted(indicator, label, value, actor)
    update = update_approve(actor=reviewer or second_pair_of_eyes(), update=update)
    assert update.status == UpdateStatus.VALIDATING, update.status
    return update


def approved(indicator, label="2025-T1", value=Decimal(95), actor=None, reviewer=None):
    """Approved at every level the indicator requires."""
    update = submitted(indicator, label, value, actor)
    return approve_all_levels(actor=reviewer or second_pair_of_eyes(), update=update)

"""Small builders for coordination tests: Durango's equality system with three members."""

from __future__ import annotations

import datetime as dt

from transversal.coordination import services


def make_system(secretariat, *, members=(), acronym="SEI", number_format=""):
    system = services.system_create(
        actor=None,
        name="Sistema Estatal para la Igualdad entre Mujeres y Hombres",
        acronym=acronym,
        topic="equality",
        level="state",
        secretariat=secretariat,
        legal_instrument="Ley de Igualdad del Estado",
        legal_date=dt.date(2010, 3, 1),
        presidency="Persona titular del Ejecutivo",
        number_format=number_format,
    )
    services.member_add(
        actor=None,
        system=system,
        institution=secretariat,
        sector="government",
        role="secretariat",
        joined_on=dt.date(2020, 1, 1),
    )
    for institution in members:
        services.member_add(
            actor=None,
            system=system,
            institution=institution,
            sector="government",
            joined_on=dt.date(2020, 1, 1),
        )
    services.member_add(
        actor=None,
        system=system,
        name="Red de Mujeres de Durango, A. C.",
        sector="civil_society",
        joined_on=dt.date(2020, 1, 1),
    )
    return system


def make_session(system, date=dt.date(2026, 2, 10), kind="ordinary"):
    return services.session_schedule(actor=None, system=system, kind=kind, date=date)


def make_resolution(session, owner, *, due=dt.date(2026, 6, 30), text="Presentar el programa"):
    return services.resolution_add(
        actor=None, session=session, text=text, owner=owner, due_date=due
    )

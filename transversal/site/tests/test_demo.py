from __future__ import annotations

import pytest
from django.core.management import call_command

from transversal.accounts.models import Membership, User
from transversal.audit.models import AuditEvent
from transversal.institutions.models import Institution
from transversal.planning.ingest.seeds import find_seed

pytestmark = pytest.mark.django_db


def load_demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_demo_loads_once_and_a_second_run_changes_nothing():
    load_demo()
    counts = (
        Institution.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    load_demo()
    assert counts == (
        Institution.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    durango = Institution.objects.with_names().get(slug="iem-durango")
    assert durango.current_name.name == "Instituto Estatal de las Mujeres"
    assert durango.former_names[0].name == "Instituto de la Mujer Duranguense"
    assert durango.creation_number == "298" and durango.creation_date.isoformat() == "2000-06-18"
    assert (
        Institution.objects.with_names().get(slug="semujer-zacatecas").current_name.name
        == "Secretaría de las Mujeres"
    )
    assert User.objects.filter(email="captura.durango@transversal.test").exists()


@pytest.mark.skipif(find_seed("002_") is None, reason="the seeds folder is not beside the checkout")
def test_with_the_seeds_durango_gets_its_mission_vision_and_objectives():
    load_demo()
    durango = Institution.objects.get(slug="iem-durango")
    assert durango.mission.startswith("Promover políticas públicas")
    assert durango.vision
    assert durango.objectives.count() == 2


def test_without_the_seeds_the_demo_still_shows_the_facts(monkeypatch, tmp_path):
    monkeypatch.setenv("TRANSVERSAL_SEEDS_DIR", str(tmp_path / "no-existe"))
    load_demo()
    durango = Institution.objects.get(slug="iem-durango")
    assert durango.mission == ""
    assert durango.creation_gazette.startswith("Periódico Oficial")

"""Without the seeds folder the demo still loads, showing only the recorded facts."""

from __future__ import annotations

import pytest

from transversal.institutions.models import Institution

pytestmark = pytest.mark.django_db


def test_without_the_seeds_the_demo_still_shows_the_facts(monkeypatch, tmp_path):
    from transversal.institutions import demo as institutions_demo
    from transversal.planning import demo as planning_demo

    monkeypatch.setenv("TRANSVERSAL_SEEDS_DIR", str(tmp_path / "no-existe"))
    institutions_demo.load(lambda _line: None)
    planning_demo.load(lambda _line: None)
    durango = Institution.objects.get(slug="iem-durango")
    assert durango.mission == ""
    assert durango.creation_gazette.startswith("Periódico Oficial")

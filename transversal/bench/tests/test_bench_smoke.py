"""The benchmark suite runs end to end on the small dataset: every scenario completes once
and records its query count. No timing is asserted: speed is measured by `make bench`."""

from __future__ import annotations

import pytest

from transversal.bench import runner, scenarios
from transversal.bench.dataset import generate

# Transactional: the scenarios make requests the way a server does (streamed responses closed
# early, reports, the API), and Django closes connections that sit inside an open transaction.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def small_dataset(national, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the generator writes evidence files
    return generate("S", seed=1, log=lambda _line: None)


def test_every_scenario_runs_once_and_records_its_query_count(small_dataset):
    document = runner.run_all(names=None, runs=1, warmup=0, label="smoke")
    results = {row["name"]: row for row in document["scenarios"]}
    assert set(results) == set(scenarios.BY_NAME)
    failures = {
        name: row.get("error") or row.get("skipped")
        for name, row in results.items()
        if "queries" not in row
    }
    assert failures == {}
    assert all(row["queries"] > 0 for row in results.values())
    assert results["open_data_csv"]["rows"] > 0 and "flat" in results["open_data_csv"]["memory"]
    assert results["xlsx_import"]["rows"] == scenarios.IMPORT_ROWS
    assert "| Tablero nacional /tableros/ |" in runner.markdown(document)


def test_a_database_without_the_national_institution_skips_every_scenario_with_the_reason(db):
    from transversal.institutions.models import Institution

    Institution.objects.filter(slug="nacional").delete()
    document = runner.run_all(names=["national_dashboard"], runs=1, warmup=0)
    assert "nacional" in document["scenarios"][0]["skipped"]

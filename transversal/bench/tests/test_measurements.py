"""What the benchmark and the load test report beside their times: CPU time, the machine's
calibration and load, and the CPU per request the gunicorn workers recorded."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

from transversal.bench import gunicorn_load, runner
from transversal.bench.calibration import calibrate, line
from transversal.bench.scenarios import Context, Scenario


def test_the_calibration_is_a_positive_cpu_time_and_its_line_names_the_load():
    assert calibrate(rounds=1) > 0
    assert line().startswith("calibración ") and "carga" in line()


@pytest.mark.django_db
def test_every_measured_scenario_carries_cpu_time_calibration_and_load(tmp_path):
    @contextmanager
    def prepare(_ctx):
        yield lambda: sum(range(1000))

    scenario = Scenario("trivial", "Trivial", prepare)
    ctx = Context(user=None, client=None, token="", workdir=tmp_path)
    row = runner.measure(scenario, ctx, runs=3, warmup=1)
    assert row["cpu_median_ms"] >= 0
    assert row["calibration_before_ms"] > 0 and row["calibration_after_ms"] > 0
    assert "load_average" in row
    document = {
        "environment": {"label": "x", "database": "sqlite", "database_version": "3", "updates": 0},
        "runs": 3,
        "warmup": 1,
        "scenarios": [row],
    }
    table = runner.markdown(document)
    assert "CPU ms (mediana)" in table and "calibración ms" in table


def test_the_load_summary_keeps_only_the_requests_of_the_measured_window(tmp_path):
    samples = {
        "/tableros/": [[100.0, 50.0], [200.0, 4.0], [201.0, 6.0]],  # the first: warm-up
        "/datos/": [[202.0, 10.0], [400.0, 99.0]],  # the last: after the run
    }
    (tmp_path / "worker-1.json").write_text(json.dumps({"samples": samples, "process_cpu_s": 1.5}))
    text = gunicorn_load.summary(tmp_path, since=150.0, until=300.0)
    assert "| /tableros/ | 2 | 5.0 | 5.0 |" in text
    assert "| /datos/ | 1 | 10.0 | 10.0 |" in text
    assert "CPU_POR_PETICION media=6.7 ms" in text
    assert "páginas_con_sesión_media=5.0 ms" in text


def test_an_indicator_code_in_a_path_is_grouped_with_the_others():
    code = "12345678-1234-4123-8123-123456789abc"
    assert gunicorn_load._group(f"/indicadores/{code}/") == "/indicadores/<clave>/"
    assert gunicorn_load._group("/indicadores/revision/") == "/indicadores/revision/"

"""Runs the scenarios and turns the timings into a table and a JSON document.

For each scenario: warm-up runs (not counted), timed runs (median and p95 wall time, and the
median CPU time of this process, which other work on a shared machine distorts much less than
wall time), one run under ``CaptureQueriesContext`` (query count), one under ``tracemalloc``
(peak Python memory), and the SQL floor timed the same way in the same process. A fixed
pure-Python workload is timed before and after each scenario (``calibration_ms``): a figure is
only comparable with another taken when the machine ran that workload about as fast. For the
open-data CSV the memory peak is also taken after the first 10 % of the rows, so a
stream that buffers shows up as a peak that grows with the rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from transversal.bench import scenarios
from transversal.bench.calibration import calibrate, load_average
from transversal.bench.scenarios import Context, Result, Scenario, Skip
from transversal.monitoring.models import ProgressUpdate

FLAT_FACTOR = 1.5  # whole-stream peak within 1.5× (+1 MB) of the 10 % peak counts as flat
FLAT_SLACK = 1024 * 1024
HEAVY_MEMORY_SECONDS = 20.0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def _time(fn: Callable[[], Any], runs: int, warmup: int) -> tuple[list[float], Any]:
    times, _cpu, last = _time_cpu(fn, runs, warmup)
    return times, last


def _time_cpu(
    fn: Callable[[], Any], runs: int, warmup: int
) -> tuple[list[float], list[float], Any]:
    """Wall and CPU seconds (``time.process_time``: this process, every thread) of each run."""
    last = None
    for _ in range(warmup):
        last = fn()
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        last = fn()
        cpu.append(time.process_time() - started_cpu)
        times.append(time.perf_counter() - started)
    return times, cpu, last


def _peak(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _csv_memory(ctx: Context, total_rows: int) -> dict[str, Any]:
    """Peak memory while streaming the first 10 % of the CSV rows, then the whole file."""

    def stream(limit: int | None) -> None:
        response = ctx.client.get("/datos/valores-aprobados.csv")
        seen = 0
        for chunk in response.streaming_content:
            seen += chunk.count(b"\n")
            if limit is not None and seen >= limit:
                break
        # Closing fires request_finished; like Django's test client, keep the database
        # connection open through it (inside a test transaction it would be closed).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)

    tenth = max(total_rows // 10, 1)
    first, whole = _peak(lambda: stream(tenth)), _peak(lambda: stream(None))
    return {
        "peak_first_10pct_mb": first / 2**20,
        "peak_whole_mb": whole / 2**20,
        "flat": whole <= first * FLAT_FACTOR + FLAT_SLACK,
    }


def measure(scenario: Scenario, ctx: Context, *, runs: int, warmup: int) -> dict[str, Any]:
    result: dict[str, Any] = {"name": scenario.name, "title": scenario.title}
    heavy = scenario.max_runs is not None
    if heavy:
        runs, warmup = min(runs, scenario.max_runs), min(warmup, 1)
    result["calibration_before_ms"] = calibrate()
    result["load_average"] = load_average()
    try:
        with scenario.prepare(ctx) as run:
            if (
                heavy
            ):  # minutes per run: count the queries of the timed runs instead of one more run
                for _ in range(warmup):
                    run()
                with CaptureQueriesContext(connection) as queries:
                    times, cpu, last = _time_cpu(run, runs, 0)
                count = len(queries) // runs
            else:
                times, cpu, last = _time_cpu(run, runs, warmup)
                with CaptureQueriesContext(connection) as queries:
                    run()
                count = len(queries)
            result.update(
                runs=runs,
                warmup=warmup,
                median_ms=statistics.median(times) * 1000,
                p95_ms=percentile(times, 95) * 1000,
                cpu_median_ms=statistics.median(cpu) * 1000,
                queries=count,
            )
            # tracemalloc slows a run several times: skip it where one run already takes long.
            result["peak_mb"] = _peak(run) / 2**20 if max(times) < HEAVY_MEMORY_SECONDS else None
            rows = last.rows if isinstance(last, Result) else 0
            if scenario.throughput == "rows" and rows:
                result.update(rows=rows, rows_per_s=rows / statistics.median(times))
            if scenario.name == "open_data_csv":
                result["memory"] = _csv_memory(ctx, rows)
            if scenario.floor is not None:
                floor_times, _ = _time(scenario.floor, runs, 1)
                floor = statistics.median(floor_times) * 1000
                result.update(
                    floor_ms=floor, floor_ratio=result["median_ms"] / floor if floor else None
                )
    except Skip as exc:
        result["skipped"] = str(exc)
    except Exception as exc:  # one broken scenario must not hide the others' figures
        traceback.print_exc(file=sys.stderr)
        result["error"] = f"{type(exc).__name__}: {exc}"
    result["calibration_after_ms"] = calibrate()
    return result


def environment(label: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "label": label,
        "database": connection.vendor,
        "database_version": version,
        "python": platform.python_version(),
        "updates": ProgressUpdate.objects.count(),
        "cpus": os.cpu_count(),
        "load_average": load_average(),
        "calibration_ms": calibrate(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def run_all(
    *,
    names: Iterable[str] | None,
    runs: int,
    warmup: int,
    label: str = "",
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    chosen = [scenarios.BY_NAME[n] for n in names] if names else list(scenarios.SCENARIOS)
    results = []
    with scenarios.workdir() as tmp:
        try:
            ctx = scenarios.make_context(Path(tmp))
        except Skip as exc:
            return {
                "environment": environment(label),
                "scenarios": [
                    {"name": s.name, "title": s.title, "skipped": str(exc)} for s in chosen
                ],
            }
        for scenario in chosen:
            log(f"… {scenario.title}")
            results.append(measure(scenario, ctx, runs=runs, warmup=warmup))
    return {"environment": environment(label), "runs": runs, "warmup": warmup, "scenarios": results}


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _calibration(row: dict[str, Any]) -> str:
    before, after = row.get("calibration_before_ms"), row.get("calibration_after_ms")
    if before is None or after is None:
        return "—"
    return f"{before:.1f} → {after:.1f}"


def _load(row: dict[str, Any]) -> str:
    value = row.get("load_average")
    return "—" if value is None else f"{value:.1f}"


def markdown(document: dict[str, Any]) -> str:
    env = document["environment"]
    lines = [
        f"### {env['label'] or 'bench'} — {env['database']} {env['database_version']}, "
        f"{env['updates']:,} reportes de avance, {document.get('runs', 0)} corridas tras "
        f"{document.get('warmup', 0)} de calentamiento; {env.get('cpus') or '?'} CPU, "
        f"calibración {env.get('calibration_ms', 0):.1f} ms, "
        f"carga {env.get('load_average') or 0:.1f}",
        "",
        (
            "| escenario | mediana ms | p95 ms | CPU ms (mediana) | consultas | piso SQL ms "
            "| × piso | memoria pico MB | calibración ms | carga | notas |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in document["scenarios"]:
        if "skipped" in row or "error" in row:
            why = f"omitido: {row['skipped']}" if "skipped" in row else f"error: {row['error']}"
            lines.append(f"| {row['title']} | — | — | — | — | — | — | — | — | — | {why} |")
            continue
        notes = []
        if row["runs"] != document.get("runs"):
            notes.append(f"{row['runs']} corridas")
        if "rows_per_s" in row:
            notes.append(f"{row['rows']:,} filas, {row['rows_per_s']:,.0f} filas/s")
        if "memory" in row:
            mem = row["memory"]
            notes.append(
                f"memoria {mem['peak_first_10pct_mb']:.1f} MB al 10 % → "
                f"{mem['peak_whole_mb']:.1f} MB al 100 % ({'plana' if mem['flat'] else 'CRECE'})"
            )
        ratio = f"{row['floor_ratio']:,.1f}" if row.get("floor_ratio") else "—"
        lines.append(
            f"| {row['title']} | {_ms(row['median_ms'])} | {_ms(row['p95_ms'])} | "
            f"{_ms(row.get('cpu_median_ms'))} | {row['queries']} | {_ms(row.get('floor_ms'))} | "
            f"{ratio} | {_ms(row['peak_mb'])} | {_calibration(row)} | {_load(row)} | "
            f"{'; '.join(notes)} |"
        )
    return "\n".join(lines) + "\n"


def write_json(document: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )

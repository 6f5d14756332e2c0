"""gunicorn settings for ``make load``: CPU time per request, measured in the worker.

A sync worker serves one request at a time, so the worker's ``time.process_time()`` between
``pre_request`` and ``post_request`` (called after the body is written, streamed ones too) is
that request's CPU, which other work on a shared machine distorts much less than its wall time.
Each worker writes its samples to ``$LOAD_CPU_DIR/worker-<pid>.json`` at most once a second
and when it exits; ``python -m transversal.bench.gunicorn_load DIR [SINCE [UNTIL]]`` prints
the summary.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

_samples: dict[str, list[tuple[float, float]]] = defaultdict(list)  # path -> (when, CPU ms)
_last_write = [0.0]


def _group(path: str) -> str:
    # One line per page, whatever the indicator: the load mix has one private and one public.
    parts = path.split("/")
    if len(parts) > 3 and parts[1] in {"indicadores", "portal"} and len(parts[-2]) == 36:
        parts[-2] = "<clave>"
    return "/".join(parts)


def _write(force: bool = False) -> None:
    folder = os.environ.get("LOAD_CPU_DIR")
    now = time.monotonic()
    if not folder or (not force and now - _last_write[0] < 1.0):
        return
    _last_write[0] = now
    data = {"samples": _samples, "process_cpu_s": time.process_time()}
    target = Path(folder) / f"worker-{os.getpid()}.json"
    target.with_suffix(".tmp").write_text(json.dumps(data))
    target.with_suffix(".tmp").replace(target)


def pre_request(worker, req):
    req.transversal_cpu = time.process_time()


def post_request(worker, req, environ, resp):
    started = getattr(req, "transversal_cpu", None)
    if started is not None:
        cpu_ms = (time.process_time() - started) * 1000
        _samples[_group(req.path)].append((round(time.time(), 3), cpu_ms))
        _write()


def worker_exit(server, worker):
    _write(force=True)


def summary(folder: Path, since: float = 0.0, until: float = float("inf")) -> str:
    """Per path: requests and CPU ms (mean, median, p95) of the requests that ended between
    ``since`` and ``until`` (Unix times: the warm-up and the stragglers are left out)."""
    merged: dict[str, list[float]] = defaultdict(list)
    process_cpu = 0.0
    for file in sorted(folder.glob("worker-*.json")):
        data = json.loads(file.read_text())
        process_cpu += data["process_cpu_s"]
        for path, values in data["samples"].items():
            merged[path].extend(cpu for when, cpu in values if since <= when <= until)
    merged = {path: values for path, values in merged.items() if values}
    every = [v for values in merged.values() for v in values]
    if not every:
        return "CPU por petición: sin muestras"
    lines = [
        "| ruta | peticiones | CPU media ms | CPU mediana ms | CPU p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for path, values in sorted(merged.items(), key=lambda item: -sum(item[1])):
        ordered = sorted(values)
        lines.append(
            f"| {path} | {len(values)} | {statistics.fmean(values):.1f} | "
            f"{statistics.median(values):.1f} | {ordered[int(0.95 * (len(ordered) - 1))]:.1f} |"
        )
    signed_in = [
        v
        for path, values in merged.items()
        if path.startswith(("/tableros/", "/indicadores/"))
        for v in values
    ]
    lines.append("")
    lines.append(
        f"CPU_POR_PETICION media={statistics.fmean(every):.1f} ms "
        f"mediana={statistics.median(every):.1f} ms peticiones={len(every)} "
        f"páginas_con_sesión_media={statistics.fmean(signed_in) if signed_in else 0:.1f} ms "
        f"CPU_total_workers={process_cpu:.1f} s (con calentamiento)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    bounds = [float(value) for value in sys.argv[2:4]]
    print(summary(Path(sys.argv[1]), *bounds))

"""An open-loop load generator: requests arrive at a fixed rate whatever the server's speed.

A closed loop (wrk: each connection waits for its answer before the next request) slows down
with the server and so hides queueing. Here arrivals are scheduled ``1 / rate`` seconds apart
(Poisson spacing with ``--poisson``); each is sent by a pool thread, and its latency is counted
from when it was *scheduled*, so time spent waiting for a free thread or connection counts too.
Standard library only: ``python -m transversal.bench.openloop --help``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

_local = threading.local()


def _connection(host: str, port: int) -> http.client.HTTPConnection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(host, port, timeout=30)
    return conn


def _send(host, port, path, headers, scheduled) -> tuple[float, int, str]:
    for attempt in (1, 2):  # a kept-alive connection the server closed: open a new one once
        conn = _connection(host, port)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return time.perf_counter() - scheduled, response.status, path
        except (http.client.HTTPException, OSError):
            conn.close()
            _local.conn = None
            if attempt == 2:
                return time.perf_counter() - scheduled, 0, path
    raise AssertionError("unreachable")  # pragma: no cover


def _percentile(ordered: list[float], p: float) -> float:
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def run(base: str, plan: list[dict], *, rate: float, seconds: float, poisson: bool, threads: int):
    parts = urlsplit(base)
    host, port = parts.hostname, parts.port or 80
    rng = random.Random(1)
    results = []
    lateness = []
    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = []
        at = start
        n = 0
        while at < start + seconds:
            entry = plan[n % len(plan)]
            n += 1
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            lateness.append(max(0.0, time.perf_counter() - at))
            futures.append(pool.submit(_send, host, port, entry["path"], entry["headers"], at))
            at += rng.expovariate(rate) if poisson else 1 / rate
        results = [f.result() for f in futures]
    elapsed = time.perf_counter() - start
    latencies = sorted(r[0] * 1000 for r in results)
    errors = [r for r in results if r[1] == 0 or r[1] >= 400]
    samples = "; ".join(f"{status} {path}" for _l, status, path in errors[:5])
    late_p95 = _percentile(sorted(lateness), 95) * 1000
    return (
        f"RESULTADO_ABIERTO llegadas={rate:g}/s peticiones={len(results)} "
        f"rendimiento={len(results) / elapsed:.1f} req/s p50={_percentile(latencies, 50):.1f} ms "
        f"p95={_percentile(latencies, 95):.1f} ms p99={_percentile(latencies, 99):.1f} ms "
        f"errores={len(errors)} retraso_cliente_p95={late_p95:.1f} ms"
        + (f"\nejemplos: {samples}" if samples else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base", help="http://127.0.0.1:8765")
    parser.add_argument("plan", type=Path, help="JSON: [{path, headers, weight}, …]")
    parser.add_argument("--rate", type=float, default=40.0, help="llegadas por segundo")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--poisson", action="store_true", help="llegadas de Poisson")
    parser.add_argument("--threads", type=int, default=64)
    args = parser.parse_args()
    entries = json.loads(args.plan.read_text())
    plan = [e for e in entries for _ in range(e.get("weight", 1))]
    random.Random(2).shuffle(plan)
    print(
        run(
            args.base,
            plan,
            rate=args.rate,
            seconds=args.seconds,
            poisson=args.poisson,
            threads=args.threads,
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()

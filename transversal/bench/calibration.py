"""The machine's speed now: a fixed pure-Python workload timed in CPU milliseconds.

Printed beside every benchmark and load figure (docs/performance.md): on a shared machine a
figure is only comparable with another taken while this workload ran about as fast. Standard
library only, so the load script can call it without Django:
``python -m transversal.bench.calibration``.
"""

from __future__ import annotations

import os
import statistics
import time


def _work() -> int:
    # Interpreter-bound like template rendering: calls, dict and string work, no I/O.
    total = 0
    table: dict[int, str] = {}
    for i in range(60_000):
        table[i % 997] = f"{i:,}"
        total += len(table[i % 997])
    return total + len(sorted(table.values()))


def calibrate(rounds: int = 5) -> float:
    """Median CPU milliseconds of ``rounds`` runs of the fixed workload (about 16–17 ms on the
    2-CPU machine of docs/performance.md)."""
    cpu = []
    for _ in range(rounds):
        started = time.process_time()
        _work()
        cpu.append(time.process_time() - started)
    return statistics.median(cpu) * 1000


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover - not on this platform
        return None


def line() -> str:
    load = load_average()
    return (
        f"calibración {calibrate():.1f} ms de CPU, carga (1 min) "
        f"{'—' if load is None else f'{load:.2f}'}, {os.cpu_count()} CPU"
    )


if __name__ == "__main__":
    print(line())

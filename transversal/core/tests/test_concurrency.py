"""Several processes edit, submit, approve, return and correct the same updates at once.

The test runs on the database engine of the suite (SQLite, or PostgreSQL when DATABASE_URL
points to it) but on a fresh database of its own, migrated for the occasion, because the
processes must share committed data: a SQLite file in WAL mode with the production settings,
or a new database on the same PostgreSQL server. Three editor and two reviewer processes
(concurrency_worker.py) wait for one start signal and then go through the real pages on eight
periods, so most requests collide. Afterwards the database and the audit trail are compared
with what every process was told:

- no server error and no lost update: every save a person was told succeeded is in the audit
  trail with its value, the number of acknowledged writes equals the number of audit events,
  each update's version counts exactly its writes, and its value is the last saved one;
- no duplicate: at most one current update per period and one approval per update.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
WORKER = "transversal.core.tests.concurrency_worker"
EDITORS, REVIEWERS = 3, 2


def _run(env: dict, *args: str) -> None:
    command = (
        [sys.executable, "manage.py", "migrate", "--noinput"]
        if args == ("migrate",)
        else [sys.executable, "-m", WORKER, *args]
    )
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)}: {done.stderr[-3000:]}"


@pytest.fixture
def database(tmp_path):
    """Environment for processes on a fresh database of the suite's engine."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "concurrency-only-not-secret",
        "ALLOWED_HOSTS": "testserver",
        "DATA_DIR": str(tmp_path),
        "CONCURRENCY_ROUNDS": "30",
    }
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        yield env, "sqlite"
        return
    import psycopg

    config = settings.DATABASES["default"]
    name = f"concurrency_{uuid.uuid4().hex[:12]}"
    admin = {
        "host": config["HOST"],
        "port": config.get("PORT") or None,
        "user": config["USER"],
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(os.environ["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env, "postgresql"
    finally:
        with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _interleaved(database, tmp_path) -> tuple[list[dict], dict]:
    env, _engine = database
    _run(env, "migrate")
    _run(env, "setup", str(tmp_path / "setup.json"))
    roles = [("editor", k) for k in range(EDITORS)] + [("reviewer", k) for k in range(REVIEWERS)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", WORKER, role, str(tmp_path / f"{role}{k}.json"), str(k)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role, k in roles
    ]
    (tmp_path / "start").touch()
    for process in processes:
        _out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
    log = [
        dict(entry, who=f"{role}{k}")
        for role, k in roles
        for entry in json.loads((tmp_path / f"{role}{k}.json").read_text())
    ]
    _run(env, "verify", str(tmp_path / "state.json"))
    return log, json.loads((tmp_path / "state.json").read_text())


@pytest.mark.slow
def test_concurrent_processes_lose_nothing_and_duplicate_nothing(database, tmp_path):
    log, state = _interleaved(database, tmp_path)
    updates, events = state["updates"], state["events"]
    outcomes = Counter((entry["op"], entry["outcome"]) for entry in log)
    print(
        f"\nconcurrency on {database[1]}: {EDITORS + REVIEWERS} processes, {len(log)} requests, "
        f"{dict(sorted(outcomes.items()))}"
    )

    # No server error under contention.
    assert not [e for e in log if e["outcome"] == "error"], [
        e for e in log if e["outcome"] == "error"
    ][:5]

    # The collisions happened: some saves were refused as conflicts, others went through.
    assert outcomes[("save", "saved")] > 0 and outcomes[("save", "conflict")] > 0
    assert outcomes[("approve", "saved")] + outcomes[("return", "saved")] > 0

    # No duplicate: one current update per period, one revision number per period, one approval
    # per update.
    current = Counter(tuple(u["period"]) for u in updates if u["is_current"])
    assert max(current.values()) == 1
    revisions = Counter((tuple(u["period"]), u["revision"]) for u in updates)
    assert max(revisions.values()) == 1
    approvals = Counter(e["object"] for e in events if e["verb"] == "update.approve")
    assert not approvals or max(approvals.values()) == 1

    # No lost update: every acknowledged write is in the audit trail, and nothing else is. A
    # "submit" is save-and-send: one save event and one submit event, or nothing.
    sent = outcomes[("submit", "saved")]
    writes = {
        "save": ("update.create", "update.save"),
        "submit": ("update.submit",),
        "approve": ("update.approve",),
        "return": ("update.return",),
        "correct": ("update.correct",),
    }
    for op, verbs in writes.items():
        told = outcomes[(op, "saved")] + (sent if op == "save" else 0)
        recorded = sum(1 for e in events if e["verb"] in verbs)
        assert told == recorded, f"{op}: {told} acknowledged, {recorded} in the audit trail"
    saved_values = sorted(
        Decimal(e["data"]["value"])
        for e in log
        if e["op"] in ("save", "submit") and e["outcome"] == "saved"
    )
    audited_values = sorted(
        Decimal(str(e["changes"]["value"][1]))
        for e in events
        if e["verb"] in ("update.create", "update.save") and "value" in e["changes"]
    )
    assert saved_values == audited_values

    # Each update's version counts its writes, and its value is the one saved last.
    by_update: dict[str, list[dict]] = {}
    for event in events:
        by_update.setdefault(event["object"], []).append(event)
    for update in updates:
        own = by_update.get(update["pk"], [])
        counted = sum(
            1
            for e in own
            if e["verb"] in ("update.save", "update.submit", "update.approve", "update.return")
        )
        assert update["version"] == 1 + counted, update
        values = [
            e["changes"]["value"][1]
            for e in own
            if e["verb"] in ("update.create", "update.save", "update.correct")
            and "value" in e["changes"]
        ]
        if values:
            assert Decimal(str(values[-1])) == Decimal(update["value"]), update

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from transversal.core.env import EnvError, database_from_url, env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def test_it_reads_booleans_strictly():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(EnvError, match="X='flase'"):
        env_bool("X", False, environ={"X": "flase"})


def test_it_rejects_bad_integers_and_out_of_range_values():
    assert env_int("N", 5, environ={"N": "7"}) == 7
    with pytest.raises(EnvError, match="número entero"):
        env_int("N", 5, environ={"N": "siete"})
    with pytest.raises(EnvError, match="al menos 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_it_requires_a_value_when_there_is_no_default():
    with pytest.raises(EnvError, match="Falta la variable de entorno SECRET_KEY"):
        env_str("SECRET_KEY", environ={})


def test_it_rejects_empty_list_items():
    assert env_list("H", [], environ={"H": "a.mx, b.mx"}) == ["a.mx", "b.mx"]
    with pytest.raises(EnvError, match="elemento vacío"):
        env_list("H", [], environ={"H": "a.mx,,b.mx"})


def test_it_uses_sqlite_in_wal_mode_by_default(tmp_path):
    config = database_from_url(None, sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_it_reads_a_postgres_url_and_rejects_other_engines(tmp_path):
    config = database_from_url(
        "postgres://u:p@%2Ftmp%2Fsock/transversal", sqlite_path=tmp_path / "x"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "transversal"
    with pytest.raises(EnvError, match="motor no soportado"):
        database_from_url("mysql://u:p@localhost/x", sqlite_path=tmp_path / "x")


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_stops_without_secret_key_when_debug_is_off():
    result = run_django({"DEBUG": "false"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_start_up_stops_on_an_invalid_variable():
    result = run_django({"DEBUG": "quizas", "SECRET_KEY": "x" * 60}, "check")
    assert result.returncode != 0
    assert "DEBUG='quizas'" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_django(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
            "ALLOWED_HOSTS": "transversal.example.org",
            "HTTPS": "true",
            "DATA_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr

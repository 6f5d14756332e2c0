"""A local user runs every documented command after `make demo`: it writes DATA_DIR/local.env
(a generated secret, DEBUG=true), which manage.py reads for what the environment does not say.
Production still needs an explicit key: the file is ignored when the environment sets
DEBUG=false, and the web server (wsgi) and the test suite never read it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from transversal.core.env import EnvError, load_local_env, read_env_file, write_local_env

ROOT = Path(__file__).resolve().parents[3]
SCRUBBED = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATA_DIR",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def data_dir(tmp_path) -> Path:
    write_local_env(tmp_path / "local.env")
    return tmp_path


def test_manage_py_check_runs_with_the_local_file_and_nothing_else(data_dir):
    result = run({"DATA_DIR": str(data_dir)}, "manage.py", "check")
    assert result.returncode == 0, result.stderr


def test_without_the_local_file_it_stops_with_the_spanish_message(tmp_path):
    result = run({"DATA_DIR": str(tmp_path)}, "manage.py", "check")
    assert result.returncode != 0
    assert "Falta la variable de entorno SECRET_KEY" in result.stderr
    assert "make demo" in result.stderr


def test_an_explicit_variable_wins_over_the_file(data_dir):
    script = "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)"
    result = run(
        {"DATA_DIR": str(data_dir), "SECRET_KEY": "clave-explicita-" + "x" * 40},
        "manage.py",
        "shell",
        "-c",
        script,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["clave-explicita-" + "x" * 40, "True"]


def test_debug_false_in_the_environment_ignores_the_file(data_dir):
    result = run({"DATA_DIR": str(data_dir), "DEBUG": "false"}, "manage.py", "check")
    assert result.returncode != 0
    assert "Falta la variable de entorno SECRET_KEY" in result.stderr


def test_the_web_server_never_reads_the_file(data_dir):
    result = run({"DATA_DIR": str(data_dir)}, "-c", "import transversal.wsgi")
    assert result.returncode != 0
    assert "Falta la variable de entorno SECRET_KEY" in result.stderr


def test_the_file_holds_a_generated_secret_readable_only_by_its_owner(tmp_path):
    path = tmp_path / "local.env"
    assert write_local_env(path) is True
    values = read_env_file(path)
    assert values["DEBUG"] == "true"
    assert len(values["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = tmp_path / "otro.env"
    write_local_env(other)
    assert read_env_file(other)["SECRET_KEY"] != values["SECRET_KEY"]


def test_an_existing_file_is_kept(tmp_path):
    path = tmp_path / "local.env"
    path.write_text("DEBUG=true\nSECRET_KEY=mia\n")
    assert write_local_env(path) is False
    assert read_env_file(path)["SECRET_KEY"] == "mia"


def test_it_reads_comments_quotes_and_blank_lines(tmp_path):
    path = tmp_path / "local.env"
    path.write_text(
        '# local\n\nDEBUG=true\nSITE_URL="http://127.0.0.1:8001"\n export LOG_LEVEL = INFO \n'
    )
    assert read_env_file(path) == {
        "DEBUG": "true",
        "SITE_URL": "http://127.0.0.1:8001",
        "LOG_LEVEL": "INFO",
    }


def test_a_malformed_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "local.env"
    path.write_text("DEBUG=true\nesto no es una variable\n")
    with pytest.raises(EnvError, match=r"local\.env, línea 2"):
        read_env_file(path)


def test_loading_fills_only_what_the_environment_lacks(tmp_path):
    (tmp_path / "local.env").write_text("DEBUG=true\nSECRET_KEY=del-archivo\nLOG_LEVEL=INFO\n")
    environ = {"DATA_DIR": str(tmp_path), "LOG_LEVEL": "ERROR", "SECRET_KEY": " "}
    assert load_local_env(environ, default_data_dir=tmp_path / "nada") == tmp_path / "local.env"
    assert environ == {
        "DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "ERROR",
        "SECRET_KEY": "del-archivo",
        "DEBUG": "true",
    }


def test_the_file_cannot_move_the_data_folder(tmp_path):
    (tmp_path / "local.env").write_text("DATA_DIR=/otra/parte\n")
    with pytest.raises(EnvError, match="DATA_DIR"):
        load_local_env({"DATA_DIR": str(tmp_path)}, default_data_dir=tmp_path)


def test_nothing_is_loaded_without_a_file(tmp_path):
    environ = {"DATA_DIR": str(tmp_path)}
    assert load_local_env(environ, default_data_dir=tmp_path) is None
    assert environ == {"DATA_DIR": str(tmp_path)}

"""Strict readers for settings that come from environment variables.

A setting with a bad value stops start-up with a message that names the
variable, the value and what was expected: a typo must never silently turn
into a default (``DEBUG=flase`` is an error, not ``False``).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "si", "sí"}
_FALSE = {"0", "false", "no", "off"}
_UNSET = object()


class EnvError(ImproperlyConfigured):
    pass


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(
    name: str, default: object = _UNSET, *, environ: Mapping[str, str] | None = None, hint: str = ""
) -> str:
    value = _raw(name, environ)
    if value is not None:
        return value
    if default is _UNSET:
        raise EnvError(
            f"Falta la variable de entorno {name} (obligatoria en esta configuración).{hint}"
        )
    return default  # type: ignore[return-value]


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(
        f"La variable {name}={value!r} no es un valor lógico; use true/false, 1/0, yes/no u on/off."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvError(f"La variable {name}={value!r} debe ser un número entero.") from None
    if minimum is not None and number < minimum:
        raise EnvError(f"La variable {name}={number} debe ser al menos {minimum}.")
    if maximum is not None and number > maximum:
        raise EnvError(f"La variable {name}={number} debe ser como máximo {maximum}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise EnvError(
            f"La variable {name}={value!r} tiene un elemento vacío; separe los valores con comas."
        )
    return items


def env_path(name: str, default: Path, *, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    return Path(value).expanduser().resolve() if value is not None else default


def env_choice(
    name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise EnvError(f"La variable {name}={value!r} debe ser una de: {', '.join(choices)}.")
    return value


LOCAL_ENV_NAME = "local.env"
_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines; blank lines and ``#`` comments are skipped, quotes around a value
    dropped. A line that is none of these stops start-up naming the file and the line."""
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise EnvError(f"{path}, línea {number}: se esperaba NOMBRE=valor.")
        name, value = match.group(1), match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def local_env_path(environ: Mapping[str, str], default_data_dir: Path) -> Path:
    return env_path("DATA_DIR", default_data_dir, environ=environ) / LOCAL_ENV_NAME


def load_local_env(environ: MutableMapping[str, str], *, default_data_dir: Path) -> Path | None:
    """Fill in, from ``DATA_DIR/local.env``, the variables the environment does not set.

    For the command line on a developer's machine (``make demo`` writes the file): only
    manage.py calls this; the web server and the tests never do. An explicit variable always
    wins, and an environment that sets ``DEBUG`` to false is production: the file is ignored
    there, so production never starts on a key that was not given to it explicitly.
    """
    path = local_env_path(environ, default_data_dir)
    if not path.is_file() or env_bool("DEBUG", True, environ=environ) is False:
        return None
    values = read_env_file(path)
    if "DATA_DIR" in values:
        raise EnvError(
            f"{path}: DATA_DIR no puede estar en este archivo, que vive dentro de DATA_DIR."
        )
    for name, value in values.items():
        if _raw(name, environ) is None:
            environ[name] = value
    return path


def write_local_env(path: Path) -> bool:
    """Create the local settings file (a fresh secret, DEBUG=true), readable only by its owner.

    An existing file is left alone, so sessions survive another ``make demo``. True if created.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    content = (
        "# Configuración local para la línea de comandos (la escribió `make demo`). Solo para uso\n"
        "# local: en producción las variables vienen del entorno y este archivo se ignora.\n"
        "DEBUG=true\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
    return True


def database_from_url(url: str | None, *, sqlite_path: Path) -> dict:
    """SQLite in the data folder by default; any DATABASE_URL dj-database-url understands."""
    if url is None:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                # WAL lets the portal read while an editor writes; IMMEDIATE
                # transactions take the write lock up front, so concurrent
                # writers wait for busy_timeout instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    import dj_database_url

    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # the library raises several types for bad URLs
        raise EnvError(f"DATABASE_URL no es una dirección de base de datos válida: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise EnvError(
            f"DATABASE_URL apunta a un motor no soportado ({engine}); use postgres:// o sqlite://."
        )
    return config


if __name__ == "__main__":  # `make demo`: python -m transversal.core.env
    _target = local_env_path(os.environ, Path(__file__).resolve().parents[2] / "data")
    if write_local_env(_target):
        print(f"Se creó {_target} (configuración local con una clave generada; git no lo sigue).")

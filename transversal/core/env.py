"""Strict readers for settings that come from environment variables.

A setting with a bad value stops start-up with a message that names the
variable, the value and what was expected: a typo must never silently turn
into a default (``DEBUG=flase`` is an error, not ``False``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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


def env_str(name: str, default: object = _UNSET, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value is not None:
        return value
    if default is _UNSET:
        raise EnvError(f"Falta la variable de entorno {name} (obligatoria en esta configuración).")
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


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise EnvError(f"La variable {name}={value!r} tiene un elemento vacío; separe los valores con comas.")
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
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
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
        raise EnvError(f"DATABASE_URL apunta a un motor no soportado ({engine}); use postgres:// o sqlite://.")
    return config

"""Back up and restore a whole installation: database rows and uploaded files in one archive.

The archive is a gzip-compressed tar with these members, in this order::

    database.jsonl   every row of every model, one JSON object per line, in dependency order
    migrations.json  the applied migrations per app when the snapshot was taken
    media/<name>     each file a FileField refers to, under its storage name
    manifest.json    format, creation time, versions, database vendor, rows per model, files
    SHA256SUMS       the SHA-256 of every other member (``sha256sum -c`` understands it)
    SIGNATURE        HMAC-SHA256 over SHA256SUMS and each table's digest (see ``archive_signature``)

The rows are a logical dump through Django's serializers, so an archive taken on
SQLite restores on PostgreSQL and the other way round. Content types and
permissions are not dumped: ``migrate`` recreates them, and rows that point at
them (audit events, admin log, group and user permissions) carry their natural
keys instead of their ids. Sessions are not dumped: after a restore people sign
in again.

Checksums catch damage; the signature catches an edit followed by new checksums. Its
key comes from ``BACKUP_SIGNING_KEY``, or from ``SECRET_KEY`` with a salt of its own, so
only an installation holding the key can make an archive that ``restore`` takes without
``--accept-unsigned``.

A restore goes onto a freshly migrated installation: the rows ``migrate`` itself creates
(its data migrations') are not the operator's data. Which rows those are is learnt by
running ``migrate`` into a throwaway SQLite file in a child process, so any seeding
migration added later is covered without a list to keep up to date.

Nothing is held whole in memory: querysets are read in chunks, rows are written to
a temporary file and every member is streamed into or out of the archive.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

FORMAT = "transversal-backup"
FORMAT_VERSION = 1

DATABASE_MEMBER = "database.jsonl"
MIGRATIONS_MEMBER = "migrations.json"
MANIFEST_MEMBER = "manifest.json"
SUMS_MEMBER = "SHA256SUMS"
SIGNATURE_MEMBER = "SIGNATURE"
MEDIA_PREFIX = "media/"
SMALL_MEMBERS = (MIGRATIONS_MEMBER, MANIFEST_MEMBER, SUMS_MEMBER, SIGNATURE_MEMBER)
SMALL_MEMBER_LIMIT = 256 * 1024 * 1024

# Recreated by ``migrate`` (post_migrate), so referenced by natural key rather than dumped.
RECREATED_BY_MIGRATE = frozenset({"contenttypes.ContentType", "auth.Permission"})
# Not worth keeping: sessions expire, and restoring them would revive sign-ins; the search index
# is derived from the other tables and rebuilt after a restore (``search_reindex``), and its rows
# differ by database (PostgreSQL keeps a stored vector).
NOT_DUMPED = RECREATED_BY_MIGRATE | {"sessions.Session", "search.SearchEntry"}

SIGNATURE_ALGORITHM = "HMAC-SHA256"
# Keys the HMAC together with the secret, so the signing key differs from every other use of
# SECRET_KEY (sessions, password resets, signed cookies).
SIGNATURE_SALT = "transversal.core.backup.signature"

CHUNK_SIZE = 2000
COPY_BUFFER = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


# --------------------------------------------------------------------------- models


def dumped_models() -> list[type[models.Model]]:
    """Every concrete, managed model of every installed app, parents before children."""
    app_list = []
    for app_config in apps.get_app_configs():
        chosen = [
            model
            for model in app_config.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.label not in NOT_DUMPED
        ]
        if chosen:
            app_list.append((app_config, chosen))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def _uses_natural_key(model: type[models.Model]) -> bool:
    return model._meta.label in RECREATED_BY_MIGRATE


class _PreciseEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder drops microseconds below the millisecond; a backup keeps them."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(JSONLSerializer):
    """JSON lines with natural keys only for rows ``migrate`` recreates under new ids."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _uses_natural_key(field.remote_field.model)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = _uses_natural_key(field.remote_field.model)
        super().handle_m2m_field(obj, field)


def _rows(model: type[models.Model]) -> models.QuerySet:
    queryset = model._base_manager.order_by("pk")
    natural_fks = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and _uses_natural_key(f.related_model)
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    prefetches = []
    for m2m in model._meta.local_many_to_many:
        if not m2m.remote_field.through._meta.auto_created:
            continue
        target = m2m.related_model
        if target._meta.label == "auth.Permission":
            prefetches.append(
                Prefetch(m2m.name, queryset=target._base_manager.select_related("content_type"))
            )
        else:
            prefetches.append(Prefetch(m2m.name, queryset=target._base_manager.only("pk")))
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    return queryset


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


# --------------------------------------------------------------------------- helpers


def transversal_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        with pyproject.open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "desconocida"


def applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _media_path(root: Path, name: str) -> Path | None:
    """The file a storage name points to, or None when it would leave MEDIA_ROOT."""
    if not _is_safe_relative(name):
        return None
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path != root else None


def _is_safe_relative(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name:
        return False
    pure = PurePosixPath(name)
    return not pure.is_absolute() and all(part not in ("", ".", "..") for part in name.split("/"))


class _HashingReader:
    """Reads a file object while hashing what goes through."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


def _add_stream(archive: tarfile.TarFile, name: str, handle, size: int, mtime: float) -> str:
    reader = _HashingReader(handle)
    archive.addfile(_tarinfo(name, size, mtime), reader)
    return reader.digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> str:
    return _add_stream(archive, name, io.BytesIO(data), len(data), mtime)


# --------------------------------------------------------------------------- backup


@dataclass
class BackupResult:
    path: Path
    rows: int
    files: int
    missing_files: list[str]
    size: int


def _snapshot_transaction(connection):
    """A transaction that sees one consistent state of the whole database.

    PostgreSQL: REPEATABLE READ, READ ONLY (what pg_dump uses). SQLite: a deferred
    transaction; its first read fixes the snapshot (in WAL mode writers carry on).
    """
    if connection.in_atomic_block:
        raise BackupError("El respaldo debe correr fuera de una transacción abierta.")
    connection.ensure_connection()

    class _Snapshot:
        def __enter__(self):
            self.previous_mode = getattr(connection, "transaction_mode", None)
            if connection.vendor == "sqlite":
                connection.transaction_mode = (
                    None  # BEGIN (deferred): a read does not block writers
                )
            self.atomic = transaction.atomic(using=connection.alias)
            self.atomic.__enter__()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

        def __exit__(self, *exc):
            try:
                return self.atomic.__exit__(*exc)
            finally:
                if connection.vendor == "sqlite":
                    connection.transaction_mode = self.previous_mode

    return _Snapshot()


class _DigestingWriter:
    """Writes text through to a file while hashing its UTF-8 bytes."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, text: str) -> None:
        self.handle.write(text)
        self.digest.update(text.encode())


def _dump_rows(connection, handle) -> tuple[dict[str, int], dict[str, dict], list[str]]:
    """Write every row to ``handle``.

    Returns the rows per model, each table's rows and digest (what the signature covers, keyed
    like the rows' ``model`` field) and the media names referred to.
    """
    counts: dict[str, int] = {}
    tables: dict[str, dict] = {}
    names: set[str] = set()
    for model in dumped_models():
        label = model._meta.label
        counts[label] = 0

        def counted(rows: Iterable[models.Model], label: str = label) -> Iterator[models.Model]:
            for row in rows:
                counts[label] += 1
                yield row

        writer = _DigestingWriter(handle)
        _RowSerializer().serialize(
            counted(_rows(model).using(connection.alias).iterator(chunk_size=CHUNK_SIZE)),
            stream=writer,
            cls=_PreciseEncoder,
        )
        tables[model._meta.label_lower] = {
            "rows": counts[label],
            "sha256": writer.digest.hexdigest(),
        }
        for file_field in _file_fields(model):
            values = (
                model._base_manager.using(connection.alias)
                .exclude(**{file_field.attname: ""})
                .exclude(**{f"{file_field.attname}__isnull": True})
                .values_list(file_field.attname, flat=True)
            )
            names.update(values.iterator(chunk_size=CHUNK_SIZE))
    return counts, tables, sorted(names)


def backup_create(
    *, output: Path, using: str = DEFAULT_DB_ALIAS, log: Callable[[str], None] = lambda _: None
) -> BackupResult:
    """Write one archive holding a consistent snapshot of the database and the files it refers
    to."""
    connection = connections[using]
    output = Path(output)
    root = media_root()
    created = timezone.now()
    mtime = created.timestamp()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="transversal-backup-") as workdir:
        rows_path = Path(workdir) / DATABASE_MEMBER
        with _snapshot_transaction(connection), rows_path.open("w", encoding="utf-8") as handle:
            counts, tables, names = _dump_rows(connection, handle)
            migrations = applied_migrations(connection)
        log(f"{sum(counts.values())} registros de {len(counts)} modelos leídos.")

        sums: dict[str, str] = {}
        files: list[dict] = []
        missing: list[str] = []
        partial = tempfile.NamedTemporaryFile(
            dir=output.parent, prefix=f".{output.name}.", suffix=".partial", delete=False
        )
        partial.close()
        try:
            with tarfile.open(partial.name, "w:gz", format=tarfile.PAX_FORMAT) as archive:
                with rows_path.open("rb") as handle:
                    sums[DATABASE_MEMBER] = _add_stream(
                        archive, DATABASE_MEMBER, handle, rows_path.stat().st_size, mtime
                    )
                sums[MIGRATIONS_MEMBER] = _add_bytes(
                    archive, MIGRATIONS_MEMBER, _json_bytes(migrations), mtime
                )
                for name in names:
                    path = _media_path(root, name)
                    if path is None or path.is_symlink() or not path.is_file():
                        missing.append(name)
                        continue
                    with path.open("rb") as handle:
                        stat = os.fstat(handle.fileno())
                        member = MEDIA_PREFIX + name
                        sums[member] = _add_stream(
                            archive, member, handle, stat.st_size, stat.st_mtime
                        )
                    files.append({"name": name, "size": stat.st_size, "sha256": sums[member]})
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created": created.isoformat(),
                    "transversal_version": transversal_version(),
                    "database_vendor": connection.vendor,
                    "models": counts,
                    "rows": sum(counts.values()),
                    "files": files,
                    "missing_files": missing,
                }
                sums[MANIFEST_MEMBER] = _add_bytes(
                    archive, MANIFEST_MEMBER, _json_bytes(manifest), mtime
                )
                listing = "".join(f"{digest}  {name}\n" for name, digest in sums.items()).encode()
                _add_bytes(archive, SUMS_MEMBER, listing, mtime)
                _add_bytes(
                    archive, SIGNATURE_MEMBER, archive_signature(sums=listing, tables=tables), mtime
                )
            os.replace(partial.name, output)
        except BaseException:
            Path(partial.name).unlink(missing_ok=True)
            raise
    for name in missing:
        log(
            f"Aviso: el archivo «{name}» está registrado pero no existe en MEDIA_ROOT; "
            "no va en el respaldo."
        )
    return BackupResult(
        path=output,
        rows=sum(counts.values()),
        files=len(files),
        missing_files=missing,
        size=output.stat().st_size,
    )


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode()


# --------------------------------------------------------------------------- signature


def _signing_secrets() -> tuple[str, list[str]]:
    """The setting the key comes from, and the secrets that verify (the one that signs first)."""
    own = getattr(settings, "BACKUP_SIGNING_KEY", "")
    if own:
        return "BACKUP_SIGNING_KEY", [own]
    return "SECRET_KEY", [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _signature_hmac(secret: str, signed: dict) -> str:
    canonical = json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    return salted_hmac(SIGNATURE_SALT, canonical, secret=secret, algorithm="sha256").hexdigest()


def archive_signature(*, sums: bytes, tables: dict[str, dict]) -> bytes:
    """The SIGNATURE member: the checksum list and each table's rows and digest, with their HMAC.

    HMAC-SHA256 keyed by SHA-256(salt + secret) (Django's ``salted_hmac``), over the canonical
    JSON of what is signed. The signed list travels with its HMAC, so when an archive changed
    after it was signed the restore can name the tables and files that differ.
    """
    source, secrets = _signing_secrets()
    signed = {"sha256sums": sums.decode(), "tables": tables}
    return _json_bytes(
        {
            "algorithm": SIGNATURE_ALGORITHM,
            "key": source,
            "signed": signed,
            "hmac": _signature_hmac(secrets[0], signed),
        }
    )


def table_digests(lines: Iterable[bytes]) -> dict[str, dict]:
    """Each table's rows and SHA-256 in a ``database.jsonl``, as ``archive_signature`` records
    them."""
    digests: dict[str, object] = {}
    rows: dict[str, int] = {}
    for line in lines:
        try:
            label = json.loads(line)["model"]
        except (ValueError, TypeError, KeyError):
            label = None
        if not isinstance(label, str):
            label = _("(líneas ilegibles)")
        digests.setdefault(label, hashlib.sha256()).update(line)
        rows[label] = rows.get(label, 0) + 1
    return {
        label: {"rows": rows[label], "sha256": digest.hexdigest()}
        for label, digest in digests.items()
    }


@dataclass
class SignatureCheck:
    """What the SIGNATURE member says about an archive whose checksums already matched."""

    verified: bool
    key: str
    problem: str = ""
    changes: list[str] = field(default_factory=list)


def _key_name(source: str) -> str:
    if source == "BACKUP_SIGNING_KEY":
        return "BACKUP_SIGNING_KEY"
    return _("derivada de SECRET_KEY")


def signature_check(verified: VerifiedArchive) -> SignatureCheck:
    """Whether this installation's key signed exactly this archive; if not, why and what differs."""
    source, secrets = _signing_secrets()
    if verified.signature is None:
        return SignatureCheck(
            False,
            source,
            _(
                "El respaldo no está firmado: lo hizo una versión anterior de Transversal, "
                "que no firmaba los respaldos, o alguien le quitó la firma. "
                "No se puede comprobar que nadie lo haya alterado. "
                "Los respaldos que hace esta versión van firmados: "
                "después de restaurarlo, haga uno nuevo."
            ),
        )
    try:
        document = json.loads(verified.signature)
        signed, tag = document["signed"], document["hmac"]
        signed_sums = _parse_sums(signed["sha256sums"].encode())
        signed_tables = signed["tables"]
        if (
            document.get("algorithm") != SIGNATURE_ALGORITHM
            or not isinstance(tag, str)
            or not isinstance(signed_tables, dict)
            or not all(isinstance(entry, dict) for entry in signed_tables.values())
        ):
            raise ValueError
    except (ValueError, TypeError, KeyError, AttributeError, BackupError):
        return SignatureCheck(
            False, source, _("La firma del respaldo está dañada o no tiene el formato esperado.")
        )
    authentic = any(
        constant_time_compare(_signature_hmac(secret, signed), tag) for secret in secrets
    )
    changes = _changes_since_signed(verified, signed_sums, signed_tables)
    if authentic and not changes:
        return SignatureCheck(True, source)
    if authentic:
        return SignatureCheck(
            False,
            source,
            _(
                "El respaldo cambió después de firmarse: la firma es válida, "
                "pero el contenido ya no es el firmado."
            ),
            changes,
        )
    problem = _(
        "La firma no corresponde a la clave de esta instalación (%(key)s): "
        "el respaldo se firmó con otra clave o la firma fue alterada."
    ) % {"key": _key_name(source)}
    signed_with = document.get("key")
    if signed_with in ("BACKUP_SIGNING_KEY", "SECRET_KEY") and signed_with != source:
        problem += " " + _("Se firmó con la clave %(signed)s.") % {"signed": _key_name(signed_with)}
    problem += " " + _(
        "Si el respaldo es suyo, configure la misma clave que tenía el servidor donde se hizo."
    )
    if changes:
        changes = [_("Respecto de la lista firmada, que no se pudo autenticar:"), *changes]
    else:
        changes = [
            _(
                "El contenido está sin cambios respecto de la lista firmada, "
                "pero esa lista no se pudo autenticar."
            )
        ]
    return SignatureCheck(False, source, problem, changes)


def _table_name(label_lower: str) -> str:
    try:
        return apps.get_model(label_lower)._meta.label
    except (LookupError, ValueError):
        return label_lower


def _shown(names: list[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " " + _("(y %(count)s más)") % {"count": len(names) - limit}
    return shown


def _changes_since_signed(
    verified: VerifiedArchive, signed_sums: dict[str, str], signed_tables: dict
) -> list[str]:
    """Spanish lines naming what differs between the archive and the signed list (none: equal)."""
    actual = verified.digests
    changes = [
        _("%(member)s cambió.") % {"member": name}
        for name in (MANIFEST_MEMBER, MIGRATIONS_MEMBER)
        if signed_sums.get(name) != actual.get(name)
    ]
    if signed_sums.get(DATABASE_MEMBER) != actual.get(DATABASE_MEMBER):
        with verified.rows_path.open("rb") as handle:
            current = table_digests(handle)
        empty = {"rows": 0, "sha256": hashlib.sha256().hexdigest()}
        tables = []
        for label in sorted(set(signed_tables) | set(current)):
            before, after = signed_tables.get(label, empty), current.get(label, empty)
            if before.get("sha256") != after["sha256"]:
                tables.append(
                    _("%(table)s (%(before)s registros firmados, %(after)s en el respaldo)")
                    % {
                        "table": _table_name(label),
                        "before": before.get("rows"),
                        "after": after["rows"],
                    }
                )
        if tables:
            changes.append(
                _("Tablas distintas de las firmadas: %(tables)s.")
                % {"tables": "; ".join(tables[:20])}
            )
        else:
            changes.append(_("%(member)s cambió.") % {"member": DATABASE_MEMBER})
    signed_media = {
        n[len(MEDIA_PREFIX) :]: d for n, d in signed_sums.items() if n.startswith(MEDIA_PREFIX)
    }
    media = {n[len(MEDIA_PREFIX) :]: d for n, d in actual.items() if n.startswith(MEDIA_PREFIX)}
    for title, names in (
        (
            _("Archivos modificados"),
            sorted(n for n in signed_media.keys() & media.keys() if signed_media[n] != media[n]),
        ),
        (_("Archivos añadidos"), sorted(media.keys() - signed_media.keys())),
        (_("Archivos quitados"), sorted(signed_media.keys() - media.keys())),
    ):
        if names:
            changes.append(f"{title}: {_shown(names)}.")
    return changes


def signature_enforce(
    verified: VerifiedArchive, *, accept_unsigned: bool, log: Callable[[str], None]
) -> None:
    """Go on with an archive this installation's key signed; with ``accept_unsigned``, with any
    other after writing what differs from what was signed (or that there is no signature)."""
    check = signature_check(verified)
    if check.verified:
        log(
            _("Firma verificada (%(algorithm)s, clave %(key)s).")
            % {"algorithm": SIGNATURE_ALGORITHM, "key": _key_name(check.key)}
        )
        return
    if not accept_unsigned:
        raise BackupError(
            "\n".join([check.problem, *check.changes])
            + "\n"
            + _(
                "No se restaura nada. "
                "Si conoce el origen del respaldo y acepta lo anterior, repita con "
                "--accept-unsigned: se mostrará otra vez lo que difiere de lo firmado "
                "y se seguirá adelante."
            )
        )
    log(_("Aviso: se sigue con un respaldo sin firma válida porque se pidió --accept-unsigned."))
    for line in (check.problem, *check.changes):
        log(line)


# --------------------------------------------------------------------------- verify


@dataclass
class VerifiedArchive:
    """An archive whose every member matched SHA256SUMS, unpacked into a private folder."""

    workdir: Path
    manifest: dict
    migrations: dict[str, list[str]]
    media: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # every member SHA256SUMS lists
    signature: bytes | None = None  # the SIGNATURE member; archives from older versions lack it

    @property
    def rows_path(self) -> Path:
        return self.workdir / DATABASE_MEMBER

    def staged(self, name: str) -> Path:
        return self.workdir / "media" / name


def _member_name(member: tarfile.TarInfo) -> str:
    name = member.name
    if not member.isreg():
        raise BackupError(
            f"El respaldo contiene «{name}», que no es un archivo regular "
            "(enlace, carpeta o dispositivo); no se restaura nada."
        )
    if not _is_safe_relative(name):
        raise BackupError(
            f"El respaldo contiene una ruta no permitida («{name}»); no se restaura nada."
        )
    if name in SMALL_MEMBERS or name == DATABASE_MEMBER:
        return name
    if name.startswith(MEDIA_PREFIX) and len(name) > len(MEDIA_PREFIX):
        return name
    raise BackupError(
        f"El respaldo contiene un miembro inesperado («{name}»); no se restaura nada."
    )


def archive_verify(path: Path, workdir: Path) -> VerifiedArchive:
    """Unpack ``path`` into ``workdir`` and check every member against SHA256SUMS.

    Nothing outside ``workdir`` is written. Raises BackupError on any mismatch.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No existe el archivo de respaldo «{path}».")
    digests: dict[str, str] = {}
    small: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r|gz") as archive:
            for member in archive:
                name = _member_name(member)
                if name in digests or name in small:
                    raise BackupError(
                        f"El respaldo repite el miembro «{name}»; no se restaura nada."
                    )
                source = archive.extractfile(member)
                if name in SMALL_MEMBERS:
                    if member.size > SMALL_MEMBER_LIMIT:
                        raise BackupError(f"El miembro «{name}» del respaldo es demasiado grande.")
                    small[name] = source.read()
                    continue
                target = workdir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(COPY_BUFFER):
                        digest.update(chunk)
                        out.write(chunk)
                digests[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as exc:
        raise BackupError(
            f"El archivo de respaldo está dañado o no es un respaldo de Transversal ({exc})."
        ) from None

    if SUMS_MEMBER not in small or MANIFEST_MEMBER not in small or MIGRATIONS_MEMBER not in small:
        raise BackupError(
            "El respaldo está dañado o incompleto: "
            "le faltan SHA256SUMS, manifest.json o migrations.json."
        )
    for name in (MANIFEST_MEMBER, MIGRATIONS_MEMBER):
        digests[name] = hashlib.sha256(small[name]).hexdigest()
    expected = _parse_sums(small[SUMS_MEMBER])
    if set(expected) != set(digests):
        extra = sorted(set(digests) - set(expected))
        lacking = sorted(set(expected) - set(digests))
        raise BackupError(
            "El respaldo no coincide con su lista de sumas SHA-256 "
            f"(sin suma: {extra[:5]}, ausentes: {lacking[:5]}); pudo haber sido alterado. "
            "No se restaura nada."
        )
    bad = sorted(name for name, digest in digests.items() if expected[name] != digest)
    if bad:
        raise BackupError(
            f"La suma SHA-256 no coincide para {', '.join(bad[:5])}: "
            "el respaldo está dañado o fue alterado. No se restaura nada."
        )
    try:
        manifest = json.loads(small[MANIFEST_MEMBER])
        migrations = json.loads(small[MIGRATIONS_MEMBER])
    except ValueError:
        raise BackupError("El manifiesto del respaldo no es JSON válido.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            "El archivo no es un respaldo de Transversal (manifest.json sin el formato esperado)."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"El respaldo usa la versión {manifest.get('format_version')} del formato; "
            f"esta versión de Transversal lee la {FORMAT_VERSION}."
        )
    if DATABASE_MEMBER not in digests:
        raise BackupError("El respaldo no contiene database.jsonl.")
    media = sorted(name[len(MEDIA_PREFIX) :] for name in digests if name.startswith(MEDIA_PREFIX))
    listed = sorted(entry["name"] for entry in manifest.get("files", []))
    if media != listed:
        raise BackupError(
            "La lista de archivos del manifiesto no coincide con los archivos del respaldo."
        )
    return VerifiedArchive(
        workdir=workdir,
        manifest=manifest,
        migrations=migrations,
        media=media,
        digests=digests,
        signature=small.get(SIGNATURE_MEMBER),
    )


def _parse_sums(data: bytes) -> dict[str, str]:
    sums: dict[str, str] = {}
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise BackupError("SHA256SUMS no es texto válido; el respaldo está dañado.") from None
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or name in sums:
            raise BackupError("SHA256SUMS tiene un formato inválido; el respaldo está dañado.")
        sums[name] = digest
    return sums


# --------------------------------------------------------------------------- restore


def schema_check(archive_migrations: dict[str, list[str]], connection) -> None:
    """Refuse an archive from a newer schema, a target not fully migrated, or an older archive."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for replaced in loader.replacements.values():
        known.update(replaced.replaces)
    archived = {(app, name) for app, names in archive_migrations.items() for name in names}
    ahead = sorted(archived - known)
    if ahead:
        shown = ", ".join(f"{app}.{name}" for app, name in ahead[:5])
        raise BackupError(
            "El respaldo viene de un esquema más nuevo que este código "
            f"(migraciones desconocidas: {shown}). "
            "Instale la versión de Transversal con la que se hizo el respaldo o una posterior."
        )
    pending = [key for key in loader.graph.leaf_nodes() if key not in loader.applied_migrations]
    if pending:
        raise BackupError(
            "La base de datos destino no está al día: ejecute «python manage.py migrate» y repita."
        )
    applied = set(loader.applied_migrations) & known
    behind = sorted(applied - archived)
    if behind:
        shown = ", ".join(f"{app}.{name}" for app, name in behind[:5])
        raise BackupError(
            f"El respaldo viene de un esquema anterior (le faltan {shown}). "
            "Restáurelo con la versión de Transversal con la que se hizo, "
            "luego actualice el código y ejecute migrate."
        )


_MIGRATE_SCRIPT = (
    "import sys, django; django.setup(); "
    "from transversal.core.backup import write_rows_migrate_creates; "
    "write_rows_migrate_creates(*sys.argv[1:])"
)


def write_rows_migrate_creates(path: str, database: str) -> None:
    """Run in the child process: migrate its throwaway database and write every row it then
    holds."""
    default = connections[DEFAULT_DB_ALIAS].settings_dict
    if default["ENGINE"] != "django.db.backends.sqlite3" or str(default["NAME"]) != database:
        # A settings module that ignores DATABASE_URL would have this migrate the real database
        # and take all its rows for rows migrate creates.
        raise SystemExit(_("la configuración no toma la base de datos de DATABASE_URL"))
    call_command("migrate", interactive=False, verbosity=0)
    with open(path, "w", encoding="utf-8") as handle:
        for model in dumped_models():
            _RowSerializer().serialize(
                _rows(model).iterator(chunk_size=CHUNK_SIZE), stream=handle, cls=_PreciseEncoder
            )


@functools.cache
def rows_migrate_creates() -> dict[str, frozenset[str]]:
    """The rows ``migrate`` creates in a new installation of this code, per model, comparable form.

    ``migrate`` runs in a child process against a new SQLite file in a temporary folder: data
    migrations query the default database, so they must not run in this process. Every data
    migration is covered, including ones added later.
    """
    with tempfile.TemporaryDirectory(prefix="transversal-migrate-") as workdir:
        rows_path, database = Path(workdir) / "rows.jsonl", Path(workdir) / "migrate.sqlite3"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
            or settings.SETTINGS_MODULE
            or "transversal.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "DATA_DIR": workdir,
            "MEDIA_ROOT": str(Path(workdir) / "media"),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
            ),
        }
        try:
            done = subprocess.run(
                [sys.executable, "-c", _MIGRATE_SCRIPT, str(rows_path), str(database)],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
            )
        except OSError as exc:
            done = subprocess.CompletedProcess([], 1, "", str(exc))
        if done.returncode:
            reason = (done.stderr.strip().splitlines() or [str(done.returncode)])[-1]
            raise BackupError(
                _(
                    "No se pudo averiguar qué registros crea «migrate» "
                    "en una instalación nueva (%(reason)s). "
                    "Si la base destino está recién migrada y no tiene otros datos, "
                    "repita con --force."
                )
                % {"reason": reason}
            )
        created: dict[str, set[str]] = {}
        with rows_path.open(encoding="utf-8") as handle:
            for line in handle:
                label, row = _comparable_row(line)
                created.setdefault(label, set()).add(row)
    return {label: frozenset(rows) for label, rows in created.items()}


@functools.cache
def _unrepeatable_fields(label_lower: str) -> frozenset[str]:
    """Fields a second ``migrate`` fills differently: times of creation, generated defaults."""
    return frozenset(
        f.name
        for f in apps.get_model(label_lower)._meta.concrete_fields
        if getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
        or (f.has_default() and callable(f.default))
    )


def _comparable_row(line: str) -> tuple[str, str]:
    """A serialized row as (model, text), leaving out the fields no two installations share."""
    row = json.loads(line)
    label = row["model"]
    unrepeatable = _unrepeatable_fields(label)
    fields = {name: value for name, value in row["fields"].items() if name not in unrepeatable}
    pk = None if apps.get_model(label)._meta.pk.name in unrepeatable else row.get("pk")
    return label, json.dumps([pk, fields], sort_keys=True)


def user_data_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per model the target holds beyond what ``migrate`` creates: what a restore would
    discard.

    A row ``migrate`` created (a data migration's) counts only once it was changed.
    """
    held = {model: model._base_manager.using(using).count() for model in dumped_models()}
    if not any(held.values()):
        return {}
    created = rows_migrate_creates()
    found = {}
    for model, count in held.items():
        label = model._meta.label_lower
        if count and label in created:
            stream = io.StringIO()
            _RowSerializer().serialize(
                _rows(model).using(using).iterator(chunk_size=CHUNK_SIZE),
                stream=stream,
                cls=_PreciseEncoder,
            )
            count = sum(
                1
                for line in stream.getvalue().splitlines()
                if _comparable_row(line)[1] not in created[label]
            )
        if count:
            found[model._meta.label] = count
    return found


def _tables_to_clear() -> list[str]:
    tables = []
    for model in dumped_models() + [apps.get_model("sessions", "Session")]:
        tables.append(model._meta.db_table)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                tables.append(through._meta.db_table)
    return list(dict.fromkeys(tables))


@dataclass
class RestoreResult:
    rows: int
    files: int
    manifest: dict


def backup_restore(
    *,
    path: Path,
    force: bool = False,
    accept_unsigned: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    log: Callable[[str], None] = lambda _: None,
) -> RestoreResult:
    """Load an archive into this instance: verify, check the target, then rows and files or
    nothing."""
    connection = connections[using]
    root = media_root()
    with tempfile.TemporaryDirectory(prefix="transversal-restore-") as workdir:
        verified = archive_verify(Path(path), Path(workdir))
        log(
            f"Sumas SHA-256 verificadas ({len(verified.media)} archivos, "
            f"{verified.manifest.get('rows')} registros)."
        )
        signature_enforce(verified, accept_unsigned=accept_unsigned, log=log)
        schema_check(verified.migrations, connection)
        existing = user_data_counts(using)
        if existing and not force:
            shown = ", ".join(f"{label}: {count}" for label, count in list(existing.items())[:6])
            raise BackupError(
                f"La base de datos destino ya tiene datos ({shown}). "
                "La restauración se hace sobre una instalación vacía "
                "(recién migrada: solo los registros que crea «migrate»); "
                "use --force para reemplazar TODOS los datos actuales."
            )
        for name in verified.media:
            if _media_path(root, name) is None:
                raise BackupError(
                    f"El archivo «{name}» quedaría fuera de MEDIA_ROOT; no se restaura nada."
                )
        rows = _load(verified, connection)
        for name in verified.manifest.get("missing_files", []):
            log(
                f"Aviso: «{name}» ya faltaba en el servidor de origen; "
                "el registro queda sin su archivo."
            )
        log(f"{rows} registros cargados; {len(verified.media)} archivos copiados a MEDIA_ROOT.")
    return RestoreResult(rows=rows, files=len(verified.media), manifest=verified.manifest)


def _load(verified: VerifiedArchive, connection) -> int:
    expected = verified.manifest.get("models", {})
    counts: dict[str, int] = {}
    written: list[Path] = []
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                for table in _tables_to_clear():
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            loaded_models = set()
            with verified.rows_path.open(encoding="utf-8") as handle:
                deferred = []
                objects = serializers.deserialize(
                    "jsonl", handle, using=connection.alias, handle_forward_references=True
                )
                for obj in objects:
                    obj.save(
                        using=connection.alias, force_insert=True
                    )  # the tables were just emptied
                    if obj.deferred_fields:
                        deferred.append(obj)
                    label = obj.object._meta.label
                    counts[label] = counts.get(label, 0) + 1
                    loaded_models.add(type(obj.object))
                for obj in deferred:
                    obj.save_deferred_fields(using=connection.alias)
            wanted = {label: count for label, count in expected.items() if count}
            if counts != wanted:
                raise BackupError(
                    "Los registros cargados no coinciden con los conteos del manifiesto."
                )
            sequences = connection.ops.sequence_reset_sql(no_style(), list(loaded_models))
            if sequences:
                with connection.cursor() as cursor:
                    for statement in sequences:
                        cursor.execute(statement)
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded_models])
            _place_files(verified, written)
    except BackupError:
        _remove(written)
        raise
    except (DeserializationError, DatabaseError, LookupError, ValueError) as exc:
        _remove(written)
        raise BackupError(
            f"No se pudieron cargar los registros del respaldo; no se cambió nada ({exc})."
        ) from None
    except BaseException:
        _remove(written)
        raise
    return sum(counts.values())


def _place_files(verified: VerifiedArchive, written: list[Path]) -> None:
    root = media_root()
    for name in verified.media:
        target = _media_path(root, name)
        if target is None:  # checked before; a symlink may have appeared since
            raise BackupError(
                f"El archivo «{name}» quedaría fuera de MEDIA_ROOT; no se restaura nada."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists() or target.is_symlink()
        partial = target.with_name(f".{target.name}.restore")
        shutil.copyfile(verified.staged(name), partial)
        os.replace(partial, target)
        if not existed:
            written.append(target)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)

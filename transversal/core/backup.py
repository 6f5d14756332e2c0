"""Back up and restore a whole installation: database rows and uploaded files in one archive.

The archive is a gzip-compressed tar with these members, in this order::

    database.jsonl   every row of every model, one JSON object per line, in dependency order
    migrations.json  the applied migrations per app when the snapshot was taken
    media/<name>     each file a FileField refers to, under its storage name
    manifest.json    format, creation time, versions, database vendor, rows per model, files
    SHA256SUMS       the SHA-256 of every other member (``sha256sum -c`` understands it)

The rows are a logical dump through Django's serializers, so an archive taken on
SQLite restores on PostgreSQL and the other way round. Content types and
permissions are not dumped: ``migrate`` recreates them, and rows that point at
them (audit events, admin log, group and user permissions) carry their natural
keys instead of their ids. Sessions are not dumped: after a restore people sign
in again.

Nothing is held whole in memory: querysets are read in chunks, rows are written to
a temporary file and every member is streamed into or out of the archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
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
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

FORMAT = "transversal-backup"
FORMAT_VERSION = 1

DATABASE_MEMBER = "database.jsonl"
MIGRATIONS_MEMBER = "migrations.json"
MANIFEST_MEMBER = "manifest.json"
SUMS_MEMBER = "SHA256SUMS"
MEDIA_PREFIX = "media/"
SMALL_MEMBERS = (MIGRATIONS_MEMBER, MANIFEST_MEMBER, SUMS_MEMBER)
SMALL_MEMBER_LIMIT = 256 * 1024 * 1024

# Recreated by ``migrate`` (post_migrate), so referenced by natural key rather than dumped.
RECREATED_BY_MIGRATE = frozenset({"contenttypes.ContentType", "auth.Permission"})
# Not worth keeping: they expire, and restoring them would revive sign-ins.
NOT_DUMPED = RECREATED_BY_MIGRATE | {"sessions.Session"}
# Rows the data migrations load into every installation (the 32 states, the national
# institution and its names). A freshly migrated instance holds them and still counts as
# empty; the restore replaces them with the archive's rows.
SEEDED_BY_MIGRATIONS = frozenset({"territory.State", "institutions.Institution", "institutions.InstitutionName"})

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
        f.name for f in model._meta.concrete_fields if f.is_relation and _uses_natural_key(f.related_model)
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    prefetches = []
    for m2m in model._meta.local_many_to_many:
        if not m2m.remote_field.through._meta.auto_created:
            continue
        target = m2m.related_model
        if target._meta.label == "auth.Permission":
            prefetches.append(Prefetch(m2m.name, queryset=target._base_manager.select_related("content_type")))
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
                connection.transaction_mode = None  # BEGIN (deferred): a read does not block writers
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


def _dump_rows(connection, handle) -> tuple[dict[str, int], list[str]]:
    """Write every row to ``handle``; return the rows per model and the media names referred to."""
    counts: dict[str, int] = {}
    names: set[str] = set()
    for model in dumped_models():
        label = model._meta.label
        counts[label] = 0

        def counted(rows: Iterable[models.Model], label: str = label) -> Iterator[models.Model]:
            for row in rows:
                counts[label] += 1
                yield row

        _RowSerializer().serialize(
            counted(_rows(model).using(connection.alias).iterator(chunk_size=CHUNK_SIZE)),
            stream=handle,
            cls=_PreciseEncoder,
        )
        for file_field in _file_fields(model):
            values = (
                model._base_manager.using(connection.alias)
                .exclude(**{file_field.attname: ""})
                .exclude(**{f"{file_field.attname}__isnull": True})
                .values_list(file_field.attname, flat=True)
            )
            names.update(values.iterator(chunk_size=CHUNK_SIZE))
    return counts, sorted(names)


def backup_create(*, output: Path, using: str = DEFAULT_DB_ALIAS, log: Callable[[str], None] = lambda _: None) -> BackupResult:
    """Write one archive holding a consistent snapshot of the database and the files it refers to."""
    connection = connections[using]
    output = Path(output)
    root = media_root()
    created = timezone.now()
    mtime = created.timestamp()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="transversal-backup-") as workdir:
        rows_path = Path(workdir) / DATABASE_MEMBER
        with _snapshot_transaction(connection), rows_path.open("w", encoding="utf-8") as handle:
            counts, names = _dump_rows(connection, handle)
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
                        sums[member] = _add_stream(archive, member, handle, stat.st_size, stat.st_mtime)
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
                sums[MANIFEST_MEMBER] = _add_bytes(archive, MANIFEST_MEMBER, _json_bytes(manifest), mtime)
                listing = "".join(f"{digest}  {name}\n" for name, digest in sums.items())
                _add_bytes(archive, SUMS_MEMBER, listing.encode(), mtime)
            os.replace(partial.name, output)
        except BaseException:
            Path(partial.name).unlink(missing_ok=True)
            raise
    for name in missing:
        log(f"Aviso: el archivo «{name}» está registrado pero no existe en MEDIA_ROOT; no va en el respaldo.")
    return BackupResult(
        path=output, rows=sum(counts.values()), files=len(files), missing_files=missing, size=output.stat().st_size
    )


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode()


# --------------------------------------------------------------------------- verify


@dataclass
class VerifiedArchive:
    """An archive whose every member matched SHA256SUMS, unpacked into a private folder."""

    workdir: Path
    manifest: dict
    migrations: dict[str, list[str]]
    media: list[str] = field(default_factory=list)

    @property
    def rows_path(self) -> Path:
        return self.workdir / DATABASE_MEMBER

    def staged(self, name: str) -> Path:
        return self.workdir / "media" / name


def _member_name(member: tarfile.TarInfo) -> str:
    name = member.name
    if not member.isreg():
        raise BackupError(
            f"El respaldo contiene «{name}», que no es un archivo regular (enlace, carpeta o dispositivo); "
            "no se restaura nada."
        )
    if not _is_safe_relative(name):
        raise BackupError(f"El respaldo contiene una ruta no permitida («{name}»); no se restaura nada.")
    if name in SMALL_MEMBERS or name == DATABASE_MEMBER:
        return name
    if name.startswith(MEDIA_PREFIX) and len(name) > len(MEDIA_PREFIX):
        return name
    raise BackupError(f"El respaldo contiene un miembro inesperado («{name}»); no se restaura nada.")


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
                    raise BackupError(f"El respaldo repite el miembro «{name}»; no se restaura nada.")
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
        raise BackupError(f"El archivo de respaldo está dañado o no es un respaldo de Transversal ({exc}).") from None

    if SUMS_MEMBER not in small or MANIFEST_MEMBER not in small or MIGRATIONS_MEMBER not in small:
        raise BackupError("El respaldo está dañado o incompleto: le faltan SHA256SUMS, manifest.json o migrations.json.")
    for name in (MANIFEST_MEMBER, MIGRATIONS_MEMBER):
        digests[name] = hashlib.sha256(small[name]).hexdigest()
    expected = _parse_sums(small[SUMS_MEMBER])
    if set(expected) != set(digests):
        extra = sorted(set(digests) - set(expected))
        lacking = sorted(set(expected) - set(digests))
        raise BackupError(
            "El respaldo no coincide con su lista de sumas SHA-256 "
            f"(sin suma: {extra[:5]}, ausentes: {lacking[:5]}); pudo haber sido alterado. No se restaura nada."
        )
    bad = sorted(name for name, digest in digests.items() if expected[name] != digest)
    if bad:
        raise BackupError(
            f"La suma SHA-256 no coincide para {', '.join(bad[:5])}: el respaldo está dañado o fue alterado. "
            "No se restaura nada."
        )
    try:
        manifest = json.loads(small[MANIFEST_MEMBER])
        migrations = json.loads(small[MIGRATIONS_MEMBER])
    except ValueError:
        raise BackupError("El manifiesto del respaldo no es JSON válido.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("El archivo no es un respaldo de Transversal (manifest.json sin el formato esperado).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"El respaldo usa la versión {manifest.get('format_version')} del formato; "
            f"esta versión de Transversal lee la {FORMAT_VERSION}."
        )
    if DATABASE_MEMBER not in digests:
        raise BackupError("El respaldo no contiene database.jsonl.")
    media = sorted(name[len(MEDIA_PREFIX):] for name in digests if name.startswith(MEDIA_PREFIX))
    listed = sorted(entry["name"] for entry in manifest.get("files", []))
    if media != listed:
        raise BackupError("La lista de archivos del manifiesto no coincide con los archivos del respaldo.")
    return VerifiedArchive(workdir=workdir, manifest=manifest, migrations=migrations, media=media)


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
            f"El respaldo viene de un esquema más nuevo que este código (migraciones desconocidas: {shown}). "
            "Instale la versión de Transversal con la que se hizo el respaldo o una posterior."
        )
    pending = [key for key in loader.graph.leaf_nodes() if key not in loader.applied_migrations]
    if pending:
        raise BackupError("La base de datos destino no está al día: ejecute «python manage.py migrate» y repita.")
    applied = set(loader.applied_migrations) & known
    behind = sorted(applied - archived)
    if behind:
        shown = ", ".join(f"{app}.{name}" for app, name in behind[:5])
        raise BackupError(
            f"El respaldo viene de un esquema anterior (le faltan {shown}). Restáurelo con la versión de "
            "Transversal con la que se hizo, luego actualice el código y ejecute migrate."
        )


def user_data_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per model the target holds beyond what the data migrations load."""
    found = {}
    for model in dumped_models():
        if model._meta.label in SEEDED_BY_MIGRATIONS:
            continue
        count = model._base_manager.using(using).count()
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
    *, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS, log: Callable[[str], None] = lambda _: None
) -> RestoreResult:
    """Load an archive into this instance: verify, check the target, then rows and files or nothing."""
    connection = connections[using]
    root = media_root()
    with tempfile.TemporaryDirectory(prefix="transversal-restore-") as workdir:
        verified = archive_verify(Path(path), Path(workdir))
        log(f"Sumas SHA-256 verificadas ({len(verified.media)} archivos, {verified.manifest.get('rows')} registros).")
        schema_check(verified.migrations, connection)
        existing = user_data_counts(using)
        if existing and not force:
            shown = ", ".join(f"{label}: {count}" for label, count in list(existing.items())[:6])
            raise BackupError(
                f"La base de datos destino ya tiene datos ({shown}). La restauración se hace sobre una "
                "instalación vacía (recién migrada); use --force para reemplazar TODOS los datos actuales."
            )
        for name in verified.media:
            if _media_path(root, name) is None:
                raise BackupError(f"El archivo «{name}» quedaría fuera de MEDIA_ROOT; no se restaura nada.")
        rows = _load(verified, connection)
        for name in verified.manifest.get("missing_files", []):
            log(f"Aviso: «{name}» ya faltaba en el servidor de origen; el registro queda sin su archivo.")
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
                    obj.save(using=connection.alias, force_insert=True)  # the tables were just emptied
                    if obj.deferred_fields:
                        deferred.append(obj)
                    label = obj.object._meta.label
                    counts[label] = counts.get(label, 0) + 1
                    loaded_models.add(type(obj.object))
                for obj in deferred:
                    obj.save_deferred_fields(using=connection.alias)
            wanted = {label: count for label, count in expected.items() if count}
            if counts != wanted:
                raise BackupError("Los registros cargados no coinciden con los conteos del manifiesto.")
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
        raise BackupError(f"No se pudieron cargar los registros del respaldo; no se cambió nada ({exc}).") from None
    except BaseException:
        _remove(written)
        raise
    return sum(counts.values())


def _place_files(verified: VerifiedArchive, written: list[Path]) -> None:
    root = media_root()
    for name in verified.media:
        target = _media_path(root, name)
        if target is None:  # checked before; a symlink may have appeared since
            raise BackupError(f"El archivo «{name}» quedaría fuera de MEDIA_ROOT; no se restaura nada.")
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

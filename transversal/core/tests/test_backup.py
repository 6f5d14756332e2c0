"""manage.py backup / restore: a server loss is recoverable, and a bad archive changes nothing."""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import override_settings
from django.utils.crypto import salted_hmac

from transversal.conftest import restore_migrated_state

# Transactional: each test starts from exactly what ``migrate`` put in the test database (the
# data migrations' rows included; conftest.restore_migrated_state), and can go back to it.
pytestmark = pytest.mark.django_db(transaction=True)

NOT_COMPARED = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
# Derived tables the archive leaves out and the restore rebuilds: compared by what they say.
DERIVED = {"search.SearchEntry": ("kind", "object_id", "title", "is_public")}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def quiet(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def build_world() -> None:
    from transversal.monitoring.models import Evidence, ProgressUpdate
    from transversal.reports.models import JobStatus, ReportJob
    from transversal.site import demo

    demo.run(lambda _: None)
    update = ProgressUpdate.objects.order_by("pk").first()
    content = b"%PDF-1.4 evidencia de prueba\n" + bytes(range(256))
    Evidence.objects.create(
        update=update,
        file=ContentFile(content, name="acta.pdf"),
        original_name="acta.pdf",
        kind="document",
        extension="pdf",
        mime_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    user = apps.get_model("accounts", "User").objects.order_by("pk").first()
    ReportJob.objects.create(
        requested_by=user,
        scope="national",
        period="2025",
        format="docx",
        status=JobStatus.DONE,
        progress=100,
        file=ContentFile(b"PK\x03\x04 reporte", name="reporte.docx"),
    )


def canonical_world() -> dict[str, list]:
    """Every row of every model, all field values; ids of recreated rows replaced by natural
    keys."""
    content_types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    permissions = {
        p.pk: (p.codename, content_types[p.content_type_id]) for p in Permission.objects.all()
    }
    world = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in NOT_COMPARED or model._meta.proxy or not model._meta.managed:
            continue
        if label in DERIVED:  # rebuilt after a restore: the same entries under new ids
            world[label] = sorted(model._base_manager.values_list(*DERIVED[label]))
            continue
        fields = model._meta.concrete_fields
        rows = []
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            values = {}
            for f, value in zip(fields, row, strict=True):
                if f.is_relation and f.related_model is ContentType:
                    value = content_types.get(value)
                elif f.is_relation and f.related_model is Permission:
                    value = permissions.get(value)
                values[f.attname] = value
            if model._meta.auto_created:  # m2m link rows: the link, not its surrogate id
                values.pop(model._meta.pk.attname)
            rows.append(values)
        world[label] = sorted(rows, key=repr)
    return world


def media_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def wipe_to_a_fresh_install(media_root: Path) -> None:
    """What a new machine has after ``migrate``: exactly the rows ``migrate`` created in the test
    database (every data migration's, whatever they are), sequences reset, and no files."""
    from transversal.core.backup import dumped_models

    restore_migrated_state()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), dumped_models()):
            cursor.execute(statement)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def read_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_members(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy an archive member by member, letting ``change(name, data)`` alter or rename a member."""
    write_members(target, dict(change(name, data) for name, data in read_members(source).items()))


def recompute_sums(members: dict[str, bytes]) -> None:
    """What someone altering an archive does next: a SHA256SUMS that matches again."""
    members["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in members.items()
        if name not in ("SHA256SUMS", "SIGNATURE")
    ).encode()


def resign(members: dict[str, bytes]) -> None:
    """What only the holder of the signing key can do: sign the altered archive again."""
    from transversal.core import backup

    members["SIGNATURE"] = backup.archive_signature(
        sums=members["SHA256SUMS"],
        tables=backup.table_digests(io.BytesIO(members["database.jsonl"])),
    )


def make_outsider_superuser(
    data: bytes, email: str = "captura.zacatecas@transversal.test"
) -> bytes:
    lines = []
    for line in data.splitlines(keepends=True):
        row = json.loads(line)
        if row["model"] == "accounts.user" and row["fields"]["email"] == email:
            row["fields"].update(is_superuser=True, is_staff=True)
            line = (json.dumps(row, ensure_ascii=False) + "\n").encode()
        lines.append(line)
    return b"".join(lines)


@pytest.fixture(scope="module")
def _world_archive(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """A backup of the demo world, made once for the module (building the world takes seconds):
    the database is back to what ``migrate`` created before any test uses it."""
    folder = tmp_path_factory.mktemp("respaldo")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media"):
        restore_migrated_state()
        build_world()
        quiet("backup", "--output", str(folder / "respaldo.tar.gz"))
        restore_migrated_state()
    return folder / "respaldo.tar.gz"


@pytest.fixture
def archive(media, tmp_path, _world_archive) -> Path:
    """The test's own copy of the world's backup; the database holds only what migrate made."""
    path = tmp_path / "respaldo.tar.gz"
    shutil.copyfile(_world_archive, path)
    return path


def plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, decimal.Decimal | uuid.UUID | dt.timedelta):
        return str(value)
    raise TypeError(f"{type(value)} no previsto")


def comparable(world: dict[str, list]) -> dict[str, list]:
    """The world as JSON carries it, rows in a stable order: comparable across processes."""
    carried = json.loads(json.dumps(world, default=plain))
    return {
        label: sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
        for label, rows in carried.items()
    }


def dump_world(path: str, media_root: str) -> None:
    """Run by the child process: its database's rows and its files' hashes, written to ``path``."""
    Path(path).write_text(
        json.dumps(
            {"world": comparable(canonical_world()), "files": media_hashes(Path(media_root))}
        )
    )


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database nothing has touched: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'nueva.sqlite3'}"
        return
    config = connection.settings_dict
    name = f"{config['NAME']}_nueva"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{quote(config['PASSWORD'], safe='')}" if config["PASSWORD"] else ""
    port = f":{config['PORT']}" if config["PORT"] else ""
    user = quote(config["USER"] or "", safe="")
    host = quote(config["HOST"] or "", safe="")
    yield f"postgres://{user}{password}@{host}{port}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_documented_restore_works_on_a_freshly_migrated_database(
    media, tmp_path, fresh_database_url
):
    """docs/operations.md, "Restoring onto a fresh machine", step by step in another process:
    ``migrate`` into an empty database, then ``restore``; every row and every file comes back."""
    build_world()
    before, files_before = comparable(canonical_world()), media_hashes(media)
    path = tmp_path / "respaldo.tar.gz"
    quiet("backup", "--output", str(path))

    new_media = tmp_path / "media-nueva"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "transversal.settings"),
        "DATABASE_URL": fresh_database_url,
        "DATA_DIR": str(tmp_path / "datos-nuevos"),
        "MEDIA_ROOT": str(new_media),
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("manage.py", "migrate", "--noinput", "--verbosity", "0")
    output = run("manage.py", "restore", str(path))
    assert "Firma verificada" in output and "Restauración terminada" in output
    result = tmp_path / "restaurado.json"
    run(
        "-c",
        "import sys, django; django.setup(); "
        "from transversal.core.tests.test_backup import dump_world; dump_world(*sys.argv[1:])",
        str(result),
        str(new_media),
    )
    restored = json.loads(result.read_text())
    assert restored["files"] == files_before
    assert restored["world"].keys() == before.keys()
    assert {label: len(rows) for label, rows in restored["world"].items()} == {
        label: len(rows) for label, rows in before.items()
    }
    assert restored["world"] == before


def test_a_round_trip_onto_what_migrate_created_restores_every_row_and_every_file(media, tmp_path):
    build_world()
    before, files_before = canonical_world(), media_hashes(media)
    assert len(files_before) >= 2 and sum(len(rows) for rows in before.values()) > 300
    path = tmp_path / "respaldo.tar.gz"
    quiet("backup", "--output", str(path))

    wipe_to_a_fresh_install(media)
    assert canonical_world() != before and media_hashes(media) == {}
    output = quiet("restore", str(path))

    assert "Restauración terminada" in output
    assert canonical_world() == before
    assert media_hashes(media) == files_before
    # New rows get fresh ids after the restore (sequences follow the restored rows on PostgreSQL).
    from transversal.reports.models import ReportJob

    user = apps.get_model("accounts", "User").objects.order_by("pk").first()
    job = ReportJob.objects.create(requested_by=user, scope="national", period="2026", format="pdf")
    assert job.pk > max(row["id"] for row in before["reports.ReportJob"])


def test_a_row_migrate_created_that_was_changed_afterwards_counts_as_data(archive, media):
    from transversal.territory.models import State

    wipe_to_a_fresh_install(media)
    State.objects.filter(code="10").update(name="Durango (cambiado a mano)")
    with pytest.raises(CommandError, match=r"ya tiene datos \(territory\.State: 1\).*--force"):
        quiet("restore", str(archive))
    assert State.objects.get(code="10").name == "Durango (cambiado a mano)"


def test_the_archive_lists_every_member_with_its_sha256_and_a_manifest(archive):
    members = read_members(archive)
    signature = json.loads(members.pop("SIGNATURE"))
    sums_text = members.pop("SHA256SUMS")
    sums = dict(line.split("  ")[::-1] for line in sums_text.decode().splitlines())
    assert sums == {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "transversal-backup" and manifest["transversal_version"]
    # Every evidence row of the world (the demo's and the one build_world adds) has its file.
    evidence_rows = manifest["models"]["monitoring.Evidence"]
    assert evidence_rows >= 1 and evidence_rows == sum(
        1 for f in manifest["files"] if f["name"].startswith("evidencias/")
    )
    assert "contenttypes.ContentType" not in manifest["models"]
    assert {f["name"] for f in manifest["files"]} == {
        n[len("media/") :] for n in members if n.startswith("media/")
    }
    assert "0001_initial" in json.loads(members["migrations.json"])["monitoring"]
    # The signature: HMAC-SHA256 over the checksum list (and each table's digest), keyed from
    # SECRET_KEY with a salt of its own when BACKUP_SIGNING_KEY is not set.
    assert signature["algorithm"] == "HMAC-SHA256" and signature["key"] == "SECRET_KEY"
    assert signature["signed"]["sha256sums"] == sums_text.decode()
    assert signature["signed"]["tables"]["monitoring.evidence"]["rows"] == evidence_rows
    canonical = json.dumps(signature["signed"], sort_keys=True, separators=(",", ":")).encode()
    expected = salted_hmac(
        "transversal.core.backup.signature",
        canonical,
        secret=django_settings.SECRET_KEY,
        algorithm="sha256",
    )
    assert signature["hmac"] == expected.hexdigest()
    assert (
        signature["hmac"]
        != salted_hmac(
            "django.core.signing.Signer",
            canonical,
            secret=django_settings.SECRET_KEY,
            algorithm="sha256",
        ).hexdigest()
    )


def test_a_tampered_archive_is_refused_and_nothing_is_written(archive, media, tmp_path):
    tampered = tmp_path / "alterado.tar.gz"

    def flip_one_byte(name, data):
        if name == "database.jsonl":
            data = data.replace(b"Durango", b"Durangp", 1)
        return name, data

    rewrite_archive(archive, tampered, flip_one_byte)
    wipe_to_a_fresh_install(media)
    before = canonical_world()
    with pytest.raises(CommandError, match="suma SHA-256 no coincide para database.jsonl"):
        quiet("restore", str(tampered))
    assert canonical_world() == before and media_hashes(media) == {}


def test_a_damaged_gzip_stream_is_refused(archive, tmp_path):
    damaged = tmp_path / "danado.tar.gz"
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="dañado"):
        quiet("restore", "--check", str(damaged))


@pytest.mark.parametrize("evil", ["media/../x", "../x", "/etc/x", "media/a/../../x"])
def test_a_member_that_climbs_out_of_the_folder_is_refused(archive, media, tmp_path, evil):
    escaping = tmp_path / "escapa.tar.gz"
    rewrite_archive(
        archive, escaping, lambda name, data: (evil if name.startswith("media/") else name, data)
    )
    wipe_to_a_fresh_install(media)
    with pytest.raises(CommandError, match="ruta no permitida"):
        quiet("restore", str(escaping))
    assert not (tmp_path / "x").exists() and not (media.parent / "x").exists()
    assert media_hashes(media) == {}


def test_a_symbolic_link_member_is_refused(archive, tmp_path):
    linked = tmp_path / "enlace.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(linked, "w:gz") as new:
        for member in old.getmembers():
            new.addfile(member, old.extractfile(member))
        link = tarfile.TarInfo("media/enlace")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        new.addfile(link)
    with pytest.raises(CommandError, match="no es un archivo regular"):
        quiet("restore", "--check", str(linked))


def test_a_non_empty_database_is_refused_without_force(media, tmp_path):
    build_world()
    archive = tmp_path / "respaldo.tar.gz"
    quiet("backup", "--output", str(archive))
    before = canonical_world()
    with pytest.raises(CommandError, match="ya tiene datos.*--force"):
        quiet("restore", str(archive))
    assert canonical_world() == before
    quiet("restore", "--force", str(archive))
    assert canonical_world() == before


def test_an_archive_from_a_newer_schema_is_refused(archive, tmp_path):
    newer = tmp_path / "nuevo.tar.gz"
    members = read_members(archive)
    migrations = json.loads(members["migrations.json"])
    migrations["monitoring"].append("9999_del_futuro")
    members["migrations.json"] = json.dumps(migrations).encode()
    recompute_sums(members)
    resign(members)
    write_members(newer, members)
    with pytest.raises(CommandError, match="esquema más nuevo.*monitoring.9999_del_futuro"):
        quiet("restore", "--check", str(newer))


def test_the_check_option_verifies_without_writing(archive):
    output = quiet("restore", "--check", str(archive))
    assert "Firma verificada" in output and "Respaldo íntegro" in output
    assert gzip.open(archive).read(1)  # still a readable archive, untouched


# --------------------------------------------------------------------------- signature


def altered_to_make_an_outsider_superuser(archive: Path, tmp_path: Path) -> Path:
    """What someone with the archive but not the key can do: change rows, fix the checksums."""
    members = read_members(archive)
    members["database.jsonl"] = make_outsider_superuser(members["database.jsonl"])
    recompute_sums(members)
    altered = tmp_path / "alterado.tar.gz"
    write_members(altered, members)
    return altered


def test_an_archive_altered_and_checksummed_again_is_refused_for_its_signature(
    archive, media, tmp_path
):
    altered = altered_to_make_an_outsider_superuser(archive, tmp_path)
    wipe_to_a_fresh_install(media)
    before = canonical_world()
    with pytest.raises(
        CommandError, match=r"(?s)cambió después de firmarse.*accounts\.User.*--accept-unsigned"
    ):
        quiet("restore", str(altered))
    with pytest.raises(CommandError, match=r"(?s)cambió después de firmarse.*--accept-unsigned"):
        quiet("restore", "--check", str(altered))
    assert canonical_world() == before and media_hashes(media) == {}


def test_with_accept_unsigned_the_restore_names_what_changed_then_goes_ahead(
    archive, media, tmp_path
):
    members = read_members(archive)
    members["database.jsonl"] = make_outsider_superuser(members["database.jsonl"])
    evidence = next(name for name in members if name.startswith("media/") and name.endswith(".pdf"))
    members[evidence] = b"%PDF-1.4 otra evidencia\n"
    recompute_sums(members)
    altered = tmp_path / "alterado.tar.gz"
    write_members(altered, members)
    wipe_to_a_fresh_install(media)

    output = quiet("restore", "--accept-unsigned", str(altered))

    changed = output[: output.index("Restauración terminada")]
    assert "cambió después de firmarse" in changed
    assert "accounts.User" in changed and evidence[len("media/") :] in changed
    assert (
        "territory.State" not in changed and "reporte" not in changed
    )  # untouched tables and files
    user = apps.get_model("accounts", "User").objects.get(
        email="captura.zacatecas@transversal.test"
    )
    assert user.is_superuser  # the operator accepted it, knowing what changed


def test_an_unsigned_archive_from_an_older_version_is_refused_until_the_operator_accepts_it(
    archive, media, tmp_path
):
    members = read_members(archive)
    members["SIGNATURE"] = b"{no es una firma"
    write_members(tmp_path / "firma-rota.tar.gz", members)
    with pytest.raises(
        CommandError, match=r"(?s)firma del respaldo está dañada.*--accept-unsigned"
    ):
        quiet("restore", "--check", str(tmp_path / "firma-rota.tar.gz"))
    del members["SIGNATURE"]
    unsigned = tmp_path / "sin-firma.tar.gz"
    write_members(unsigned, members)
    wipe_to_a_fresh_install(media)
    before = canonical_world()

    with pytest.raises(
        CommandError, match=r"(?s)no está firmado.*versión anterior.*--accept-unsigned"
    ):
        quiet("restore", str(unsigned))
    assert canonical_world() == before

    output = quiet("restore", "--accept-unsigned", str(unsigned))
    assert "no está firmado" in output and "Restauración terminada" in output


def test_an_archive_signed_with_another_key_is_refused(archive, settings):
    settings.BACKUP_SIGNING_KEY = "otra-clave-de-firma-de-respaldos"
    with pytest.raises(
        CommandError, match=r"(?s)firma no corresponde a la clave.*--accept-unsigned"
    ):
        quiet("restore", "--check", str(archive))
    output = quiet("restore", "--check", "--accept-unsigned", str(archive))
    assert "firma no corresponde" in output and "sin cambios respecto de la lista firmada" in output


def test_without_a_key_of_its_own_the_signature_follows_secret_key_and_its_fallbacks(
    archive, settings
):
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "otra-secret-key-para-esta-prueba-0123456789abcdef"
    with pytest.raises(CommandError, match="firma no corresponde a la clave"):
        quiet("restore", "--check", str(archive))
    settings.SECRET_KEY_FALLBACKS = [original]  # a rotated SECRET_KEY still verifies older archives
    assert "Firma verificada" in quiet("restore", "--check", str(archive))


def test_with_backup_signing_key_the_secret_key_may_change(media, tmp_path, settings):
    settings.BACKUP_SIGNING_KEY = "clave-de-firma-de-respaldos"
    path = tmp_path / "respaldo.tar.gz"
    quiet("backup", "--output", str(path))
    settings.SECRET_KEY = "otra-secret-key-para-esta-prueba-0123456789abcdef"
    assert "Firma verificada" in quiet("restore", "--check", str(path))


def test_rows_written_while_the_backup_runs_are_not_in_the_snapshot(media, tmp_path, monkeypatch):
    from django.db import connection, connections

    from transversal.core import backup
    from transversal.territory.models import State

    if connection.vendor != "postgresql":
        # SQLite's in-memory test database shares one cache, so a second writer would lock rather
        # than run; what can be proven there is that every table is read inside one transaction.
        real, seen = backup._file_fields, []

        def record(model):
            seen.append(connection.in_atomic_block)
            return real(model)

        monkeypatch.setattr(backup, "_file_fields", record)
        quiet("backup", "--output", str(tmp_path / "respaldo.tar.gz"))
        assert seen and all(seen)
        return
    assert backup.dumped_models().index(State) > 0  # the write below lands before States are read
    real_file_fields, written = backup._file_fields, []

    def write_from_another_connection(model):
        if not written:
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute(
                    "UPDATE territory_state SET name = %s WHERE code = %s",
                    ["Durango (cambiado)", "10"],
                )
            other.close()
            written.append(True)
        return real_file_fields(model)

    monkeypatch.setattr(backup, "_file_fields", write_from_another_connection)
    path = tmp_path / "respaldo.tar.gz"
    quiet("backup", "--output", str(path))

    assert written and State.objects.get(code="10").name == "Durango (cambiado)"
    with tarfile.open(path, "r:gz") as tar:
        rows = tar.extractfile("database.jsonl").read().decode()
    assert '"name": "Durango"' in rows and "Durango (cambiado)" not in rows


# --------------------------------------------------------------------------- what migrate creates


def test_finding_what_migrate_creates_never_runs_against_a_database_it_was_not_given(tmp_path):
    from transversal.core.backup import write_rows_migrate_creates

    # The child process checks that its settings took the throwaway database from DATABASE_URL;
    # here (the test database instead) it must stop before migrating or reading anything.
    with pytest.raises(SystemExit, match="DATABASE_URL"):
        write_rows_migrate_creates(
            str(tmp_path / "filas.jsonl"), str(tmp_path / "desechable.sqlite3")
        )
    assert not (tmp_path / "filas.jsonl").exists()


def test_when_migrate_cannot_run_aside_the_restore_stops_and_points_to_force(monkeypatch):
    from transversal.core import backup

    monkeypatch.setattr(backup, "_MIGRATE_SCRIPT", "raise SystemExit('migrate falló')")
    backup.rows_migrate_creates.cache_clear()
    try:
        with pytest.raises(
            backup.BackupError, match=r"(?s)qué registros crea «migrate».*migrate falló.*--force"
        ):
            backup.user_data_counts()
    finally:
        backup.rows_migrate_creates.cache_clear()

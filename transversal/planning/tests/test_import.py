from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.ingest.seeds import find_seed
from transversal.planning.models import Plan, PlanImport

pytestmark = pytest.mark.django_db


def seed_bytes(prefix: str) -> bytes:
    path = find_seed(prefix)
    if path is None:
        pytest.skip("seed documents folder not found (set TRANSVERSAL_SEEDS_DIR)")
    return path.read_bytes()


def upload(client, durango, data: bytes, name: str, kind: str = "ped"):
    return client.post(
        reverse("planning:upload"),
        {"institution": durango.slug, "kind": kind, "document": SimpleUploadedFile(name, data)},
    )


def test_seed_004_goes_from_upload_to_preview_to_a_saved_tree(client_for, editor, durango):
    client = client_for(editor)
    response = upload(client, durango, seed_bytes("004_"), "ped.txt")
    assert response.status_code == 302
    pending = PlanImport.objects.get()
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "2.10.6" in html and "Mujeres Zacatecanas Transformando la Historia" in html
    formset = preview.context["formset"]
    data = {
        "title": "PED 2022-2027",
        "start_year": "2022",
        "end_year": "2027",
        "issuer_name": "",
        "items-TOTAL_FORMS": str(len(formset.forms)),
        "items-INITIAL_FORMS": str(len(formset.forms)),
    }
    for i, form in enumerate(formset.forms):
        for name in ("depth", "level", "code", "text", "note"):
            data[f"items-{i}-{name}"] = form.initial.get(name, "")
    data["items-1-text"] = "Texto corregido"
    before = AuditEvent.objects.count()
    response = client.post(response["Location"], data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    assert plan.source_sha256 == pending.source_sha256 and plan.source_document
    assert AuditEvent.objects.count() == before + 1
    html = client.get(reverse("planning:detail", args=[plan.code])).content.decode()
    for n in range(1, 7):
        assert f"2.10.{n}" in html
    assert plan.items.get(code="2.10.1").text == "Texto corregido"
    assert plan.items.get(code="2.10.1").parent.code == "2.10"
    PlanImport.objects.get(pk=pending.pk, status="saved")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (150 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("vacio.txt", b"", "vacío"),
        ("bomba.docx", None, "malicioso"),
        ("programa.exe", b"MZ\x00\x00", "No se admiten archivos con extensión .exe"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "Aquí no se admite"),
        ("escaneado.pdf", None, "PDF"),
    ],
)
def test_bad_uploads_write_nothing(client_for, editor, durango, name, data, message):
    if data is None and name.endswith(".docx"):
        data = _zip_bomb()
    if data is None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    before = (AuditEvent.objects.count(), PlanImport.objects.count(), Plan.objects.count())
    response = upload(client_for(editor), durango, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (AuditEvent.objects.count(), PlanImport.objects.count(), Plan.objects.count()) == before


def test_the_upload_is_refused_to_read_only_and_anonymous(client_for, viewer, durango):
    assert client_for(viewer).get(reverse("planning:upload")).status_code == 404
    assert client_for(None).get(reverse("planning:upload")).status_code == 302


def test_ingest_plan_dry_run_prints_the_exact_tree(capsys, tmp_path):
    path = tmp_path / "ped.txt"
    path.write_bytes(seed_bytes("004_"))
    call_command("ingest_plan", str(path), "--dry-run", "--json")
    tree = json.loads(capsys.readouterr().out)
    assert (tree["title"], tree["period_start"], tree["period_end"]) == (
        "Plan Estatal de Desarrollo 2022-2027",
        2022,
        2027,
    )
    [policy] = tree["items"]
    assert (policy["code"], policy["level"], policy["text"]) == (
        "2.10",
        "policy",
        "Mujeres Zacatecanas Transformando la Historia",
    )
    assert [c["code"] for c in policy["children"]] == [f"2.10.{n}" for n in range(1, 7)]
    assert {c["level"] for c in policy["children"]} == {"strategy"}
    assert (
        policy["children"][5]["note"]
        == "Plan Estatal de Desarrollo del Estado de Zacatecas 2022-2027, página 167."
    )
    assert not Plan.objects.exists()


def test_ingest_plan_saves_through_the_service(tmp_path, durango):
    path = tmp_path / "ped.txt"
    path.write_bytes(seed_bytes("004_"))
    call_command("ingest_plan", str(path), "--institution", durango.slug, "--plan-kind", "ped")
    assert Plan.objects.get().items.count() == 7


def test_ingest_commands_explain_bad_input_in_spanish(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No se encontró el archivo"):
        call_command("ingest_plan", str(tmp_path / "no.txt"), "--dry-run")
    path = tmp_path / "ped.txt"
    path.write_text("2.1 Algo\n2.1.1 Otra cosa\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--institution"):
        call_command("ingest_plan", str(path))


def test_ingest_profile_applies_the_durango_profile(durango, capsys):
    path = find_seed("002_")
    if path is None:
        pytest.skip("seed documents folder not found (set TRANSVERSAL_SEEDS_DIR)")
    call_command("ingest_profile", str(path), "--institution", durango.slug)
    durango.refresh_from_db()
    assert durango.objectives.count() == 2 and durango.mission.startswith("Promover políticas")

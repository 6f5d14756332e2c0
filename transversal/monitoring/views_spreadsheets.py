"""Spreadsheets: the XLSX template of an institution's indicators, and importing it back.

Import is two steps. The upload is checked and every row validated; if all rows
are valid, the changes are kept in the session (one pending import per session,
with an expiry and a size guard) and the person sees a preview. Confirming
writes them in one transaction through the services; a conflict or an error
writes nothing and the pending import stays, so the person sees why. An import of
more than ``QUEUE_ABOVE_ROWS`` rows is confirmed into a background job instead
(``spreadsheets.jobs``): the person follows its progress on the job's page, which then
links to the imported drafts.
"""

from __future__ import annotations

import json
import time
import uuid

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, READ, get_institution_for_user
from transversal.core.access import protected
from transversal.core.uploads import MB, PENDING_SECONDS, pending_upload
from transversal.monitoring.spreadsheets import (
    TARGETS,
    UPDATES,
    XLSX_MIME,
    ImportFailed,
    SheetRejected,
    build_workbook,
    import_apply,
    indicator_set,
    validate_upload,
)
from transversal.monitoring.spreadsheets import jobs as sheet_jobs

SESSION_KEY = "monitoring.sheet_import"
# The session row is read on every request while an import waits: keep it bounded.
PENDING_MAX_BYTES = 6 * MB
PREVIEW_ROWS = 200
REPORT_ROWS = 500


class SheetImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Qué importar"),
        initial=UPDATES,
        widget=forms.RadioSelect,
        choices=[
            (UPDATES, gettext_lazy("Avances (se guardan como borradores)")),
            (TARGETS, gettext_lazy("Metas")),
        ],
    )
    file = forms.FileField(
        label=gettext_lazy("Archivo XLSX"),
        help_text=gettext_lazy("La plantilla descargada de Transversal, ya llena. Máximo 10 MB."),
    )


def _import_url(institution) -> str:
    return reverse("monitoring:sheet_import", args=[institution.slug])


def _institution_name(institution) -> str:
    name = institution.current_name
    return (name.acronym or name.name) if name else institution.slug


@require_GET
@protected
def sheet_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The XLSX template of the institution's indicators: every member may download it."""
    institution, _scope = get_institution_for_user(request.user, slug, READ)
    content = build_workbook(indicator_set(institution))
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"indicadores-{slug}.xlsx"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@protected
def sheet_import(request: HttpRequest, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    form = SheetImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        try:
            result = validate_upload(institution, upload, upload.name, kind)
        except SheetRejected as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok and result.changes:
                try:
                    token = _pending_store(request, institution, result, upload.name)
                except PendingTooLarge as exc:
                    form.add_error("file", str(exc))
                else:
                    return redirect("monitoring:sheet_preview", slug=institution.slug, token=token)
    return render(
        request,
        "monitoring/spreadsheet_import.html",
        {
            "institution": institution,
            "institution_name": _institution_name(institution),
            "form": form,
            "result": result,
            "problems": result.problems[:REPORT_ROWS] if result else [],
            "more_problems": max(len(result.problems) - REPORT_ROWS, 0) if result else 0,
        },
    )


@require_GET
@protected
def sheet_preview(request: HttpRequest, slug: str, token: uuid.UUID) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    pending = _pending_load(request, institution, token)
    if pending is None:
        return _expired(request, institution)
    return _render_preview(request, institution, pending)


@require_POST
@protected
def sheet_confirm(request: HttpRequest, slug: str, token: uuid.UUID) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    pending = _pending_load(request, institution, token)
    if pending is None:
        return _expired(request, institution)
    if len(pending["rows"]) > sheet_jobs.QUEUE_ABOVE_ROWS:
        return _confirm_as_job(request, institution, pending)
    try:
        count = import_apply(
            actor=request.user,
            institution=institution,
            kind=pending["kind"],
            rows=pending["rows"],
            filename=pending["filename"],
        )
    except ImportFailed as exc:
        # Nothing was written; the pending import stays so the page can show it beside the reason.
        return _render_preview(
            request,
            institution,
            pending,
            problems=exc.problems,
            conflict=exc.conflict,
            status=409 if exc.conflict else 200,
        )
    _pending_drop(request)
    if pending["kind"] == TARGETS:
        messages.success(
            request,
            ngettext("Se importó %(n)s meta.", "Se importaron %(n)s metas.", count) % {"n": count},
        )
    else:
        messages.success(
            request,
            ngettext(
                "Se guardó %(n)s borrador. Revíselo en esta lista y envíelo a revisión.",
                "Se guardaron %(n)s borradores. Revíselos en esta lista, elija los que estén "
                "listos y envíelos a revisión juntos.",
                count,
            )
            % {"n": count},
        )
        query = f"ver=borradores&institucion={institution.slug}"
        return redirect(f"{reverse('work:list')}?{query}")
    return redirect(f"{reverse('monitoring:list')}?institucion={institution.slug}")


def _confirm_as_job(request, institution, pending: dict) -> HttpResponse:
    """A large import goes to the queue; over a cap nothing is queued and the preview stays."""
    try:
        job = sheet_jobs.sheet_import_enqueue(
            actor=request.user,
            institution=institution,
            pending=pending,
            back_url=_import_url(institution),
        )
    except sheet_jobs.TooManyJobs as exc:
        messages.error(request, str(exc))
        return _render_preview(request, institution, pending, status=429)
    _pending_drop(request)
    return redirect("jobs:detail", code=job.code)


@require_POST
@protected
def sheet_discard(request: HttpRequest, slug: str, token: uuid.UUID) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    if _pending_load(request, institution, token) is not None:
        _pending_drop(request)
        messages.info(request, _("Se descartó la importación; no se guardó nada."))
    return redirect(_import_url(institution))


def _render_preview(
    request, institution, pending: dict, *, problems=(), conflict: bool = False, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "monitoring/spreadsheet_preview.html",
        {
            "institution": institution,
            "institution_name": _institution_name(institution),
            "pending": pending,
            "is_targets": pending["kind"] == TARGETS,
            "changes": pending["shown"],
            "more_changes": max(len(pending["rows"]) - len(pending["shown"]), 0),
            "problems": list(problems),
            "conflict": conflict,
        },
        status=status,
    )


def _expired(request, institution) -> HttpResponse:
    messages.error(
        request,
        _(
            "La vista previa ya no está disponible (venció o ya se aplicó). "
            "Vuelva a subir el archivo."
        ),
    )
    return redirect(_import_url(institution))


# The pending import, kept in the session between preview and confirm ----------------------


class PendingTooLarge(Exception):
    pass


def _pending_store(request, institution, result, filename: str) -> uuid.UUID:
    token = uuid.uuid4()
    pending = {
        "token": str(token),
        "institution": institution.slug,
        "kind": result.kind,
        "filename": filename[:200],
        "created": time.time(),
        "unchanged": result.unchanged,
        "rows": [change.payload for change in result.changes],
        "shown": [change.as_dict() for change in result.changes[:PREVIEW_ROWS]],
    }
    if len(json.dumps(pending)) > PENDING_MAX_BYTES:
        raise PendingTooLarge(
            _(
                "El archivo trae demasiados cambios para una sola importación; "
                "divídalo en varios archivos."
            )
        )
    request.session[SESSION_KEY] = (
        pending  # one pending import per session: a new upload replaces it
    )
    return token


def _pending_load(request, institution, token: uuid.UUID) -> dict | None:
    return pending_upload(
        request.session, SESSION_KEY, token, max_age=PENDING_SECONDS, institution=institution.slug
    )


def _pending_drop(request) -> None:
    request.session.pop(SESSION_KEY, None)

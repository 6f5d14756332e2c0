"""Importing a register from Excel: the template, the upload, the preview and the confirmation.

As the progress import (``monitoring.views_spreadsheets``): the upload is checked and every row
validated (``importing.parse``); a file without problems is kept in the session (one pending
import per session, with an expiry and a size guard) and the person sees the rows as they will
be saved, with their totals. Confirming writes them all in one transaction
(``importing.import_confirm``); a row refused or an entry recorded since the preview writes
nothing and the preview stays, with the reason. An import of more than
``jobs.QUEUE_ABOVE_ROWS`` rows is confirmed into a background job instead (``registers.jobs``):
the person follows it on the job's page. Only the institution's editors import:
outsiders get 404, read-only members 403.
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

from transversal.accounts.access import EDIT, get_institution_for_user, scope_for
from transversal.core.access import forbidden, not_found, protected
from transversal.core.cells import Problem
from transversal.core.uploads import MB, PENDING_SECONDS, pending_upload
from transversal.registers import importing
from transversal.registers import jobs as register_jobs
from transversal.registers.access import writable_institutions
from transversal.registers.apps import REGISTER_SLUGS
from transversal.registers.models import REGISTER_MODELS, RegisterKind

SESSION_KEY = "registers.import"
# The session row is read on every request while an import waits: keep it bounded.
PENDING_MAX_BYTES = 4 * MB
REPORT_ROWS = 500


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo XLSX"),
        help_text=gettext_lazy("La plantilla descargada de Transversal, ya llena. Máximo 5 MB."),
    )


def _register_info(register: str) -> dict:
    return {
        "key": register,
        "title": RegisterKind(register).label,
        "plural": REGISTER_MODELS[register]._meta.verbose_name_plural,
    }


def _institution_name(institution) -> str:
    name = institution.current_name
    return (name.acronym or name.name) if name else institution.slug


def _upload_url(register: str, institution) -> str:
    return reverse("registers:import", args=[register, institution.slug])


@require_GET
@protected
def import_start(request: HttpRequest, register: str) -> HttpResponse:
    """The institution to import for: straight to its page when the person edits only one."""
    institutions = writable_institutions(request.user)
    if len(institutions) == 1:
        return redirect(_upload_url(register, institutions[0]))
    if not institutions:
        scope = scope_for(request.user)
        raise forbidden() if scope.roles or scope.is_national else not_found()
    return render(
        request,
        "registers/import_choose.html",
        {"register": _register_info(register), "institutions": institutions},
    )


@require_GET
@protected
def import_template(request: HttpRequest, register: str, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    content = importing.template_workbook(register, institution)
    response = HttpResponse(content, content_type=importing.XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"plantilla-{REGISTER_SLUGS[register]}-{slug}.xlsx"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@protected
def import_upload(request: HttpRequest, register: str, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = importing.parse(register, institution, upload, upload.name)
        except importing.FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            if parsed.ok:
                try:
                    token = _pending_store(request, register, institution, parsed, upload.name)
                except PendingTooLarge as exc:
                    form.add_error("file", str(exc))
                else:
                    return redirect(
                        "registers:import_preview",
                        register=register,
                        slug=institution.slug,
                        token=token,
                    )
    problems = parsed.problems if parsed else []
    return render(
        request,
        "registers/import_upload.html",
        {
            "register": _register_info(register),
            "institution": institution,
            "institution_name": _institution_name(institution),
            "form": form,
            "problems": problems[:REPORT_ROWS],
            "problem_count": len(problems),
            "more_problems": max(len(problems) - REPORT_ROWS, 0),
            "max_rows": importing.MAX_ROWS,
        },
    )


@require_GET
@protected
def import_preview(
    request: HttpRequest, register: str, slug: str, token: uuid.UUID
) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    pending = _pending_load(request, register, institution, token)
    if pending is None:
        return _expired(request, register, institution)
    return _render_preview(request, register, institution, pending)


@require_POST
@protected
def import_confirm(
    request: HttpRequest, register: str, slug: str, token: uuid.UUID
) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    pending = _pending_load(request, register, institution, token)
    if pending is None:
        return _expired(request, register, institution)
    if len(pending["rows"]) > register_jobs.QUEUE_ABOVE_ROWS:
        return _confirm_as_job(request, register, institution, pending)
    try:
        count = importing.import_confirm(
            actor=request.user,
            register=register,
            institution=institution,
            rows=importing.unpack_rows(register, pending["rows"]),
            filename=pending["filename"],
        )
    except importing.ImportFailed as exc:
        # Nothing was written; the pending import stays so the page shows it beside the reason.
        return _render_preview(
            request,
            register,
            institution,
            pending,
            problems=exc.problems,
            conflict=exc.conflict,
            status=409 if exc.conflict else 200,
        )
    _pending_drop(request)
    messages.success(
        request,
        ngettext(
            "Se importó %(n)s registro.",
            "Se importaron %(n)s registros.",
            count,
        )
        % {"n": count},
    )
    return redirect(f"{reverse('registers:list', args=[register])}?institucion={institution.slug}")


def _confirm_as_job(request, register: str, institution, pending: dict) -> HttpResponse:
    """A large import goes to the queue; over a cap nothing is queued and the preview stays."""
    try:
        job = register_jobs.register_import_enqueue(
            actor=request.user,
            register=register,
            institution=institution,
            rows=pending["rows"],
            filename=pending["filename"],
            back_url=_upload_url(register, institution),
        )
    except register_jobs.TooManyJobs as exc:
        messages.error(request, str(exc))
        return _render_preview(request, register, institution, pending, status=429)
    _pending_drop(request)
    return redirect("jobs:detail", code=job.code)


@require_POST
@protected
def import_discard(
    request: HttpRequest, register: str, slug: str, token: uuid.UUID
) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    if _pending_load(request, register, institution, token) is not None:
        _pending_drop(request)
        messages.info(request, _("Se descartó la importación; no se guardó nada."))
    return redirect(_upload_url(register, institution))


def _render_preview(
    request,
    register: str,
    institution,
    pending: dict,
    *,
    problems=(),
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "registers/import_preview.html",
        {
            "register": _register_info(register),
            "institution": institution,
            "institution_name": _institution_name(institution),
            "pending": pending,
            "rows": pending["shown"],
            "row_count": len(pending["rows"]),
            "more_rows": max(len(pending["rows"]) - len(pending["shown"]), 0),
            "totals": pending["totals"],
            "problems": list(problems),
            "warnings": [Problem(**w) for w in pending.get("warnings", [])],
            "warning_count": pending.get("warning_count", 0),
            "conflict": conflict,
            "as_job": len(pending["rows"]) > register_jobs.QUEUE_ABOVE_ROWS,
        },
        status=status,
    )


def _expired(request, register: str, institution) -> HttpResponse:
    messages.error(
        request,
        _(
            "La vista previa ya no está disponible (venció o ya se aplicó). "
            "Vuelva a subir el archivo."
        ),
    )
    return redirect(_upload_url(register, institution))


# The pending import, kept in the session between preview and confirmation -----------------


class PendingTooLarge(Exception):
    pass


def _pending_store(request, register: str, institution, parsed, filename: str) -> uuid.UUID:
    token = uuid.uuid4()
    pending = {
        "token": str(token),
        "register": register,
        "institution": institution.slug,
        "filename": importing.display_filename(filename),
        "created": time.time(),
        "rows": importing.pack_rows(register, parsed.rows),
        "shown": parsed.shown,
        "totals": parsed.totals,
        "ignored": parsed.ignored_columns,
        "warnings": [w.as_dict() for w in parsed.warnings[:REPORT_ROWS]],
        "warning_count": len(parsed.warnings),
    }
    if len(json.dumps(pending)) > PENDING_MAX_BYTES:
        raise PendingTooLarge(
            _("El archivo trae demasiados registros para una sola importación; divídalo.")
        )
    request.session[SESSION_KEY] = pending  # one pending import per session
    return token


def _pending_load(request, register: str, institution, token: uuid.UUID) -> dict | None:
    return pending_upload(
        request.session,
        SESSION_KEY,
        token,
        max_age=PENDING_SECONDS,
        register=register,
        institution=institution.slug,
    )


def _pending_drop(request) -> None:
    request.session.pop(SESSION_KEY, None)

"""Pages of coordination systems, their sessions and acuerdos."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import scope_for
from transversal.coordination import selectors, services
from transversal.coordination.access import (
    MANAGE,
    REOPEN,
    can_manage_system,
    can_reopen_session,
    get_resolution_for_user,
    get_session_for_user,
    get_system_for_user,
    secretariat_choices,
)
from transversal.coordination.forms import (
    AgendaForm,
    CancelForm,
    CommissionForm,
    MemberEndForm,
    MemberForm,
    MinutesForm,
    ReopenForm,
    ResolutionForm,
    ResolutionLinkForm,
    SessionForm,
    SystemEditForm,
    SystemForm,
)
from transversal.coordination.minutes import minutes_docx
from transversal.coordination.models import ResolutionStatus, SessionStatus
from transversal.core.access import forbidden, not_found, protected
from transversal.core.forms import NO_CHANGES, perform, submit
from transversal.core.uploads import attachment_response
from transversal.followup.views import panel_context


@require_GET
@protected
def system_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = timezone.localdate()
    rows = list(selectors.system_rows(scope, today).order_by("level", "state__code", "name"))
    return render(
        request,
        "coordination/system_list.html",
        {"rows": rows, "can_create": secretariat_choices(scope).exists()},
    )


@require_http_methods(["GET", "POST"])
@protected
def system_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    secretariats = secretariat_choices(scope)
    if not scope.roles:
        raise not_found()
    if not secretariats.exists():
        raise forbidden()
    form = SystemForm(request.POST or None, secretariats=secretariats)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.system_create(actor=request.user, **form.cleaned_data),
            success=_("Se registró el sistema."),
        )
        if outcome.ok:
            return redirect("coordination:system", outcome.result.code)
    return render(
        request, "coordination/form_page.html", {"form": form, "title": _("Registrar sistema")}
    )


def _year(request: HttpRequest) -> int:
    value = request.GET.get("anio", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year


@require_GET
@protected
def system_detail(request: HttpRequest, code) -> HttpResponse:
    system, scope = get_system_for_user(request.user, code)
    today = timezone.localdate()
    year = _year(request)
    sessions = selectors.calendar(system, year)
    for session in sessions:
        session.overdue = session.is_overdue(today)
    manage = can_manage_system(scope, system)
    return render(
        request,
        "coordination/system_detail.html",
        {
            "system": system,
            "members": selectors.system_members(system),
            "commissions": list(system.commissions.all()),
            "sessions": sessions,
            "year": year,
            "years": [year - 1, year + 1],
            "today": today,
            "can_manage": manage,
            "folio_example": services.folio_for(
                system, year=year, kind="ordinary", session=2, number=1
            ),
            "member_form": MemberForm(system=system, auto_id="member_%s") if manage else None,
            "end_form": MemberEndForm(auto_id="end_%s") if manage else None,
            "commission_form": CommissionForm(auto_id="commission_%s") if manage else None,
            "session_form": SessionForm(auto_id="session_%s") if manage else None,
        },
    )


@require_http_methods(["GET", "POST"])
@protected
def system_edit(request: HttpRequest, code) -> HttpResponse:
    system, _scope = get_system_for_user(request.user, code, MANAGE)
    initial = {name: getattr(system, name) for name in services.SYSTEM_FIELDS}
    form = SystemEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.system_update(actor=request.user, system=system, **form.cleaned_data),
            success=_("Se guardaron los datos del sistema."),
            unchanged=NO_CHANGES,
        )
        if outcome.ok:
            return redirect("coordination:system", system.code)
    return render(
        request,
        "coordination/form_page.html",
        {"form": form, "title": _("Datos del sistema %(acronym)s") % {"acronym": system.acronym}},
    )


@require_POST
@protected
def member_add(request: HttpRequest, code) -> HttpResponse:
    system, _scope = get_system_for_user(request.user, code, MANAGE)
    form = MemberForm(request.POST, system=system)
    submit(
        request,
        form,
        lambda: services.member_add(actor=request.user, system=system, **form.cleaned_data),
        success=_("Se agregó el integrante."),
        flash=True,
    )
    return redirect("coordination:system", system.code)


@require_POST
@protected
def member_end(request: HttpRequest, code, member) -> HttpResponse:
    system, _scope = get_system_for_user(request.user, code, MANAGE)
    row = system.members.filter(code=member).first()
    if row is None:
        raise not_found()
    form = MemberEndForm(request.POST)
    submit(
        request,
        form,
        lambda: services.member_end(actor=request.user, member=row, **form.cleaned_data),
        success=_("Se registró la baja."),
        flash=True,
    )
    return redirect("coordination:system", system.code)


@require_POST
@protected
def commission_add(request: HttpRequest, code) -> HttpResponse:
    system, _scope = get_system_for_user(request.user, code, MANAGE)
    form = CommissionForm(request.POST)
    submit(
        request,
        form,
        lambda: services.commission_add(actor=request.user, system=system, **form.cleaned_data),
        success=_("Se agregó la comisión o grupo de trabajo."),
        flash=True,
    )
    return redirect("coordination:system", system.code)


@require_POST
@protected
def session_schedule(request: HttpRequest, code) -> HttpResponse:
    system, _scope = get_system_for_user(request.user, code, MANAGE)
    form = SessionForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda: services.session_schedule(actor=request.user, system=system, **form.cleaned_data),
        success=_("Se programó la sesión."),
        flash=True,
    )
    if outcome.ok:
        return redirect("coordination:session", outcome.result.code)
    return redirect("coordination:system", system.code)


@require_GET
@protected
def session_detail(request: HttpRequest, code) -> HttpResponse:
    session, scope = get_session_for_user(request.user, code)
    system = session.system
    today = timezone.localdate()
    members, quorum = selectors.attendance_rows(session)
    resolutions = selectors.session_resolutions(session)
    for row in resolutions:
        row.status_label = ResolutionStatus.label(row.followup, today)
    manage = can_manage_system(scope, system) and session.status != SessionStatus.CANCELLED
    # A session fixed by its signed acta shows what was recorded, without the forms that would
    # change it; whoever may reopen it gets that form instead.
    edit = manage and not session.locked
    reopen = session.locked and can_reopen_session(scope, system)
    return render(
        request,
        "coordination/session_detail.html",
        {
            "session": session,
            "system": system,
            "agenda": list(session.agenda.all()),
            "members": members,
            "quorum": quorum,
            "resolutions": resolutions,
            "overdue": session.is_overdue(today),
            "can_manage": manage,
            "can_edit": edit,
            "agenda_form": AgendaForm(auto_id="agenda_%s") if edit else None,
            "resolution_form": (
                ResolutionForm(system=system, auto_id="acuerdo_%s") if edit else None
            ),
            "cancel_form": CancelForm(auto_id="cancel_%s") if edit else None,
            "minutes_form": MinutesForm(auto_id="minutes_%s") if edit else None,
            "reopen_form": ReopenForm(auto_id="reopen_%s") if reopen else None,
        },
    )


def _session_action(request, code, run, success, form=None, action=MANAGE):
    session, _scope = get_session_for_user(request.user, code, action)
    if form is None:
        perform(request, lambda: run(session, {}), success=success)
    else:
        bound = form(request.POST, request.FILES)
        submit(
            request, bound, lambda: run(session, bound.cleaned_data), success=success, flash=True
        )
    return redirect("coordination:session", session.code)


@require_POST
@protected
def agenda_add(request: HttpRequest, code) -> HttpResponse:
    return _session_action(
        request,
        code,
        lambda s, data: services.agenda_add(actor=request.user, session=s, text=data["text"]),
        _("Se agregó el punto al orden del día."),
        AgendaForm,
    )


@require_POST
@protected
def attendance(request: HttpRequest, code) -> HttpResponse:
    """One checkbox ``presente-<member>`` and one text ``representa-<member>`` per member on the
    session's date; members not on the list are simply not read."""
    session, _scope = get_session_for_user(request.user, code, MANAGE)
    members, _quorum = selectors.attendance_rows(session)
    present = {m.pk for m in members if request.POST.get(f"presente-{m.code}")}
    represented = {m.pk: request.POST.get(f"representa-{m.code}", "") for m in members}
    perform(
        request,
        lambda: services.attendance_record(
            actor=request.user, session=session, present=present, represented_by=represented
        ),
        success=_("Se registró la asistencia."),
    )
    return redirect("coordination:session", session.code)


@require_POST
@protected
def session_hold(request: HttpRequest, code) -> HttpResponse:
    return _session_action(
        request,
        code,
        lambda s, data: services.session_hold(actor=request.user, session=s),
        _("La sesión quedó registrada como celebrada."),
    )


@require_POST
@protected
def session_cancel(request: HttpRequest, code) -> HttpResponse:
    return _session_action(
        request,
        code,
        lambda s, data: services.session_cancel(
            actor=request.user, session=s, reason=data["reason"]
        ),
        _("Se canceló la sesión."),
        CancelForm,
    )


@require_POST
@protected
def session_reopen(request: HttpRequest, code) -> HttpResponse:
    """The audited correction of a session fixed by its signed acta, with its reason."""
    return _session_action(
        request,
        code,
        lambda s, data: services.session_reopen(
            actor=request.user, session=s, reason=data["reason"]
        ),
        _(
            "Se reabrió la sesión para su corrección; quedará fija de nuevo al subir el acta "
            "firmada corregida."
        ),
        ReopenForm,
        action=REOPEN,
    )


@require_POST
@protected
def minutes_upload(request: HttpRequest, code) -> HttpResponse:
    return _session_action(
        request,
        code,
        lambda s, data: services.minutes_upload(
            actor=request.user, session=s, upload=data["file"], filename=data["file"].name
        ),
        _("Se subió el acta firmada."),
        MinutesForm,
    )


@require_POST
@protected
def resolution_add(request: HttpRequest, code) -> HttpResponse:
    session, _scope = get_session_for_user(request.user, code, MANAGE)
    form = ResolutionForm(request.POST, system=session.system)
    submit(
        request,
        form,
        lambda: services.resolution_add(actor=request.user, session=session, **form.cleaned_data),
        success=lambda r: _("Se registró el acuerdo %(folio)s.") % {"folio": r.folio},
        flash=True,
    )
    return redirect("coordination:session", session.code)


@require_GET
@protected
def minutes_draft(request: HttpRequest, code) -> HttpResponse:
    session, _scope = get_session_for_user(request.user, code, MANAGE)
    content = minutes_docx(session)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"acta-borrador-{session.system.acronym}-{session.year}-{session.label}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@protected
def minutes_download(request: HttpRequest, code) -> FileResponse:
    session, _scope = get_session_for_user(request.user, code)
    if not session.minutes:
        raise not_found()
    return attachment_response(
        session.minutes.open("rb"), session.minutes_name, session.minutes_mime
    )


@require_GET
@protected
def resolution_detail(request: HttpRequest, code) -> HttpResponse:
    resolution, scope = get_resolution_for_user(request.user, code)
    today = timezone.localdate()
    manage = can_manage_system(scope, resolution.session.system)
    return render(
        request,
        "coordination/resolution_detail.html",
        {
            "resolution": resolution,
            "session": resolution.session,
            "system": resolution.session.system,
            "status_label": ResolutionStatus.label(resolution.followup, today),
            "fu": panel_context(resolution.followup, scope, request.user),
            "plan_items": list(resolution.plan_items.select_related("plan")),
            "goals": list(resolution.goals.select_related("agreement")),
            "indicators": list(resolution.indicators.all()),
            "link_form": ResolutionLinkForm(resolution=resolution) if manage else None,
        },
    )


@require_POST
@protected
def resolution_links(request: HttpRequest, code) -> HttpResponse:
    resolution, _scope = get_resolution_for_user(request.user, code, MANAGE)
    form = ResolutionLinkForm(request.POST, resolution=resolution)
    submit(
        request,
        form,
        lambda: services.resolution_link(
            actor=request.user, resolution=resolution, **form.cleaned_data
        ),
        success=_("Se guardaron los vínculos del acuerdo."),
        unchanged=NO_CHANGES,
        flash=True,
    )
    return redirect("coordination:resolution", resolution.code)

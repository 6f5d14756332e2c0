from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, can_do, get_institution_for_user, scope_for
from transversal.core.access import forbidden, protected, public
from transversal.core.forms import NO_CHANGES, error_messages, perform, submit
from transversal.core.pagination import page_query, paginate
from transversal.directory.access import (
    admin_state_ids,
    authorize_keeping,
    can_keep,
    can_register,
    is_coordinator,
    registrable_kinds,
)
from transversal.institutions.forms import InstitutionEditForm, NameForm, RegisterForm
from transversal.institutions.models import Institution, InstitutionKind, OperatingStatus
from transversal.institutions.selectors import institution_profiles, institution_registry
from transversal.institutions.services import (
    institution_name_add,
    institution_register,
    institution_update_profile,
)
from transversal.territory.models import State


def profile_context(user, institution: Institution) -> dict:
    scope = scope_for(user)
    return {
        "institution": institution,
        "can_edit": can_do(scope, institution, EDIT) or can_keep(scope, institution),
        "can_manage": can_keep(scope, institution),
        "is_member": institution.pk in scope.roles or scope.is_national,
    }


@require_GET
@public
def institution_list(request: HttpRequest) -> HttpResponse:
    """The registry: every institution, filtered by state, kind, status and text."""
    filters = {
        "state_code": request.GET.get("entidad", "").strip()[:2],
        "kind": request.GET.get("tipo", ""),
        "status": request.GET.get("situacion", ""),
        "text": request.GET.get("q", "").strip()[:100],
    }
    if filters["kind"] not in InstitutionKind.values:
        filters["kind"] = ""
    if filters["status"] not in OperatingStatus.values:
        filters["status"] = ""
    page = paginate(request, institution_registry(**filters))
    scope = scope_for(request.user)
    return render(
        request,
        "directory/institution_list.html",
        {
            "page": page,
            "page_query": page_query(request),
            "filters": filters,
            "states": State.objects.all(),
            "kinds": InstitutionKind.choices,
            "statuses": OperatingStatus.choices,
            "can_register": bool(registrable_kinds(scope)) if scope.is_authenticated else False,
        },
    )


def _register_states(scope):
    if is_coordinator(scope):
        return State.objects.all()
    return State.objects.filter(pk__in=admin_state_ids(scope))


@require_http_methods(["GET", "POST"])
@protected
def institution_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    kinds = registrable_kinds(scope)
    if not kinds:
        raise PermissionDenied(
            _(
                "Solo la coordinación nacional, o la administración de una entidad para sus "
                "instancias municipales, registra instituciones."
            )
        )
    form = RegisterForm(request.POST or None, kinds=kinds, states=_register_states(scope))
    if request.method == "POST" and form.is_valid():
        data = form.service_arguments()
        state = data["state"]
        if not can_register(scope, data["kind"], state.pk):
            raise forbidden()
        outcome = perform(
            request,
            lambda: institution_register(actor=request.user, **data),
            success=_("Se registró la institución."),
            form=form,
        )
        if outcome.ok:
            return redirect("directory:institution", slug=outcome.result.slug)
    return render(request, "directory/institution_new.html", {"form": form})


@require_GET
@public
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = institution_profiles().filter(slug=slug).first()
    if institution is None:
        raise Http404(_("No se encontró la institución."))
    context = profile_context(request.user, institution)
    if context["can_manage"]:
        context["name_form"] = NameForm()
    return render(request, "directory/institution_detail.html", context)


def _update_profile(
    request: HttpRequest, institution: Institution, form: InstitutionEditForm
) -> dict:
    profile = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
    # the form mutated the instance; the service compares against the database
    institution.refresh_from_db()
    return institution_update_profile(
        actor=request.user, institution=institution, objectives=form.objective_list(), **profile
    )


@require_http_methods(["GET", "POST"])
@protected
def institution_edit(request: HttpRequest, slug: str) -> HttpResponse:
    institution = Institution.objects.with_names().filter(slug=slug).first()
    if institution is None or not can_keep(scope_for(request.user), institution):
        # The registry's keepers edit any entry; otherwise the institution's editors.
        institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    initial = {"objectives": "\n".join(o.text for o in institution.objectives.order_by("number"))}
    form = InstitutionEditForm(request.POST or None, instance=institution, initial=initial)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: _update_profile(request, institution, form),
            success=_("Se guardó el perfil de la institución."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("directory:institution", slug=institution.slug)
    return render(
        request, "directory/institution_edit.html", {"institution": institution, "form": form}
    )


@require_POST
@protected
def institution_name_create(request: HttpRequest, slug: str) -> HttpResponse:
    institution = Institution.objects.with_names().filter(slug=slug).first()
    if institution is None:
        raise Http404(_("No se encontró la institución."))
    authorize_keeping(scope_for(request.user), institution)
    form = NameForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: institution_name_add(
                actor=request.user, institution=institution, **form.cleaned_data
            ),
            success=_("Se registró el nuevo nombre."),
            form=form,
            flash=True,
        )
    else:
        messages.error(
            request, _("Revise el nombre: %(errors)s") % {"errors": "; ".join(error_messages(form))}
        )
    return redirect("directory:institution", slug=institution.slug)

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import ADMIN, EDIT, can_do, get_institution_for_user, scope_for
from transversal.core.access import protected, public
from transversal.core.forms import NO_CHANGES, error_messages, perform, submit
from transversal.institutions.forms import NameForm, ProfileForm
from transversal.institutions.models import Institution
from transversal.institutions.selectors import institution_profiles
from transversal.institutions.services import institution_name_add, institution_update_profile


def profile_context(user, institution: Institution) -> dict:
    scope = scope_for(user)
    return {
        "institution": institution,
        "can_edit": can_do(scope, institution, EDIT),
        "can_manage": can_do(scope, institution, ADMIN),
        "is_member": institution.pk in scope.roles or scope.is_national,
    }


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


def _update_profile(request: HttpRequest, institution: Institution, form: ProfileForm) -> dict:
    profile = {name: form.cleaned_data[name] for name in form.Meta.fields}
    # the form mutated the instance; the service compares against the database
    institution.refresh_from_db()
    return institution_update_profile(
        actor=request.user, institution=institution, objectives=form.objective_list(), **profile
    )


@require_http_methods(["GET", "POST"])
@protected
def institution_edit(request: HttpRequest, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    initial = {"objectives": "\n".join(o.text for o in institution.objectives.order_by("number"))}
    form = ProfileForm(request.POST or None, instance=institution, initial=initial)
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
    institution, _scope = get_institution_for_user(request.user, slug, ADMIN)
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

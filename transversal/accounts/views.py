from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from transversal.accounts.access import ADMIN, READ, can_do, get_institution_for_user
from transversal.accounts.forms import LoginForm, MemberAddForm, MemberRoleForm
from transversal.accounts.models import Membership
from transversal.accounts.services import (
    membership_add,
    membership_change_role,
    membership_end,
    notifications_mark_read,
)
from transversal.core.access import not_found, protected
from transversal.core.codes import is_uuid
from transversal.core.forms import perform, submit
from transversal.core.pagination import page_query, paginate


class LoginView(auth_views.LoginView):
    access = "public"
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    access = "public"


class PasswordChangeView(auth_views.PasswordChangeView):
    access = "protected"
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    access = "protected"
    template_name = "accounts/message.html"
    extra_context = {
        "title": gettext_lazy("Contraseña cambiada"),
        "message": gettext_lazy("Su contraseña se cambió correctamente."),
    }


class PasswordResetView(auth_views.PasswordResetView):
    access = "public"
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    access = "public"
    template_name = "accounts/message.html"
    extra_context = {
        "title": gettext_lazy("Revise su correo"),
        "message": gettext_lazy(
            "Si el correo corresponde a una cuenta, "
            "le enviamos un enlace para elegir una nueva contraseña."
        ),
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    access = "public"
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    access = "public"
    template_name = "accounts/message.html"
    extra_context = {
        "title": gettext_lazy("Contraseña establecida"),
        "message": gettext_lazy("Ya puede iniciar sesión con su nueva contraseña."),
    }


def locked_out(
    request: HttpRequest, response=None, credentials=None, *args, **kwargs
) -> HttpResponse:
    """django-axes calls this when an account is locked: the login page, with the reason."""
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True},
        status=429,
    )


@require_GET
@protected
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's notices (the e-mails the site sends, kept here), newest first; ``?ver=nuevos``
    shows only the unread ones."""
    inbox = request.user.notifications.all()
    unread_only = request.GET.get("ver") == "nuevos"
    page = paginate(request, inbox.filter(read_at__isnull=True) if unread_only else inbox)
    return render(
        request,
        "accounts/notifications.html",
        {
            "page": page,
            "items": page.object_list,
            "page_query": page_query(request),
            "unread_only": unread_only,
            "unread": inbox.filter(read_at__isnull=True).count(),
        },
    )


@require_POST
@protected
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (``aviso``) or all of them (``todos``) as read; then open the notice's link
    when asked (``abrir``), else back to the list."""
    code = request.POST.get("aviso", "")
    codes = None if request.POST.get("todos") else [code] if is_uuid(code) else []
    marked = notifications_mark_read(actor=request.user, codes=codes)
    if codes is None:
        messages.success(request, _("Se marcaron %(n)s avisos como leídos.") % {"n": marked})
    if request.POST.get("abrir") and codes:
        notice = request.user.notifications.filter(code=codes[0]).first()
        if notice is not None and notice.url.startswith("/") and not notice.url.startswith("//"):
            return redirect(notice.url)
    return redirect("accounts:notifications")


@require_GET
@protected
def my_account(request: HttpRequest) -> HttpResponse:
    memberships = (
        request.user.memberships.filter(is_active=True)
        .select_related("institution")
        .prefetch_related("institution__names")
    )
    return render(request, "accounts/my_account.html", {"memberships": memberships})


@require_GET
@protected
def members(request: HttpRequest, slug: str) -> HttpResponse:
    institution, scope = get_institution_for_user(request.user, slug, READ)
    rows = (
        Membership.objects.filter(institution=institution)
        .select_related("user")
        .order_by("-is_active", "user__full_name")
    )
    return render(
        request,
        "accounts/members.html",
        {
            "institution": institution,
            "memberships": rows,
            "can_manage": can_do(scope, institution, ADMIN),
            "add_form": MemberAddForm(),
            "role_form": MemberRoleForm(),
        },
    )


@require_POST
@protected
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, ADMIN)
    form = MemberAddForm(request.POST)
    submit(
        request,
        form,
        lambda: membership_add(
            actor=request.user,
            institution=institution,
            base_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        ),
        success=lambda _membership: (
            _("Se agregó a %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
        flash=True,
    )
    return redirect("accounts:members", slug=slug)


def _membership_for_admin(request: HttpRequest, slug: str, code: str) -> Membership:
    institution, _scope = get_institution_for_user(request.user, slug, ADMIN)
    membership = (
        Membership.objects.filter(institution=institution, code=code)
        .select_related("institution")
        .first()
    )
    if membership is None:
        raise not_found()
    return membership


@require_POST
@protected
def member_role(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    membership = _membership_for_admin(request, slug, code)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            ),
            success=_("Se actualizó el rol."),
            form=form,
            flash=True,
        )
    else:
        messages.error(request, _("Elija un rol válido."))
    return redirect("accounts:members", slug=slug)


@require_POST
@protected
def member_end(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    membership = _membership_for_admin(request, slug, code)
    perform(
        request,
        lambda: membership_end(actor=request.user, membership=membership),
        success=_("La persona ya no es integrante; su historial se conserva."),
    )
    return redirect("accounts:members", slug=slug)

"""Pages where a person creates and revokes their own API tokens (plain HTML, not ninja)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from transversal.accounts.access import Granted, scope_for
from transversal.api.forms import TokenForm
from transversal.api.models import ApiToken
from transversal.api.services import token_create, token_revoke
from transversal.core.access import not_found, protected
from transversal.core.forms import submit


def get_token_for_user(user, code: str) -> Granted[ApiToken]:
    """One of the person's own tokens; anybody else's looks missing."""
    token = ApiToken.objects.filter(code=code, user=user).first()
    if token is None:
        raise not_found()
    return Granted(token, scope_for(user))


def _expiry(days: str) -> dt.datetime | None:
    return timezone.now() + dt.timedelta(days=int(days)) if days else None


@require_http_methods(["GET", "POST"])
@protected
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = secret = None
    status = 200
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_at=_expiry(form.cleaned_data["expires_in"]),
            ),
        )
        if outcome.ok:
            # Rendered, not redirected: this response is the only time the secret is shown.
            created, secret = outcome.result
            form = TokenForm()
        status = 201 if outcome.ok else 400
    tokens = list(ApiToken.objects.filter(user=request.user))
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "created": created,
            "secret": secret,
            "now": timezone.now(),
            "has_active_membership": request.user.memberships.filter(is_active=True).exists(),
        },
        status=status,
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@protected
def token_revoke_view(request: HttpRequest, code: str) -> HttpResponse:
    token, _scope = get_token_for_user(request.user, code)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("Se revocó el token «%(name)s».") % {"name": token.name})
    return redirect("api:token_list")

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _message(exception) -> str:
    text = str(exception) if exception is not None else ""
    # Django's own resolver messages are technical ("Resolver404…"); only ours are shown.
    return text if text and not text.startswith("{") and "Resolver" not in text else ""


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", {"message": _message(exception)}, status=404)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", {"message": _message(exception)}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)

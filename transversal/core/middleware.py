from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Spanish (es-MX) unless the person chose another language with the switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the institution works in Spanish, and English is an explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


MB = 1024 * 1024


def signed_in_body_limit() -> int:
    """The largest body a signed-in person may send: the largest upload plus 1 MB for the
    form's other fields and the multipart framing."""
    return (settings.EVIDENCE_MAX_MB + 1) * MB


def _declared_length(request) -> int:
    # Django reads exactly CONTENT_LENGTH bytes and nothing when it is missing or malformed
    # (a chunked body without a length is never read), so the declared length bounds the body.
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Refuse with 413 a request whose declared body is larger than its sender may send,
    before anything reads it.

    Without this an anonymous 200 MB multipart POST to /entrar/ was parsed (files spooled to
    disk) by the CSRF check before the 403. Anyone not signed in, including API clients (their
    token is not checked yet), may send ANONYMOUS_MAX_BODY_KB; a signed-in person, the largest
    upload (EVIDENCE_MAX_MB) plus 1 MB. Placed after AuthenticationMiddleware; the session is
    looked up only for bodies above the anonymous limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length <= settings.ANONYMOUS_MAX_BODY_KB * 1024:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self._too_large(
                request,
                _("La petición es demasiado grande: sin iniciar sesión se admiten hasta %(n)s KB.")
                % {"n": settings.ANONYMOUS_MAX_BODY_KB},
            )
        if length > signed_in_body_limit():
            return self._too_large(
                request,
                _("La petición es demasiado grande: los archivos pueden medir hasta %(n)s MB.")
                % {"n": settings.EVIDENCE_MAX_MB},
            )
        return self.get_response(request)

    def _too_large(self, request, detail: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": detail, "code": "payload_too_large", "errors": []}, status=413
            )
        return render(request, "errors/413.html", {"message": detail}, status=413)

"""One error shape for every 4xx and 5xx answer of the API, with Spanish messages.

``{"detail": str, "code": str, "errors": [{"field": str | null, "message": str}]}``
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from transversal.core.access import forbidden, not_found
from transversal.monitoring.services import StaleEdit

logger = logging.getLogger(__name__)


class TooManyTokenFailures(Exception):
    """Too many failed token attempts from one client address (see ``auth.TokenAuth``)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed token attempts")
        self.retry_after = retry_after


class ErrorItem(Schema):
    field: str | None = None
    message: str


class Error(Schema):
    detail: str
    code: str
    errors: list[ErrorItem] = []


def body(detail: str, code: str, errors: list[dict] | None = None) -> dict:
    return {"detail": str(detail), "code": code, "errors": errors or []}


def _messages(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": str(message)} for message in exc.messages]


def _location(loc) -> str | None:
    # ninja prefixes the parameter source ("body", "query", "path") and the argument name.
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
        if len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or None


def _schema_message(error: dict) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    known = {
        "missing": _("Este dato es obligatorio."),
        "int_parsing": _("Debe ser un número entero."),
        "int_type": _("Debe ser un número entero."),
        "decimal_parsing": _("Debe ser un número."),
        "decimal_type": _("Debe ser un número."),
        "decimal_max_digits": _("El número tiene demasiados dígitos."),
        "decimal_max_places": _("El número tiene demasiados decimales."),
        "decimal_whole_digits": _("El número tiene demasiados dígitos enteros."),
        "finite_number": _("El valor debe ser un número finito."),
        "string_type": _("Debe ser texto."),
        "dict_type": _("Debe ser un objeto JSON."),
        "model_type": _("Debe ser un objeto JSON."),
        "model_attributes_type": _("Debe ser un objeto JSON."),
        "uuid_parsing": _("Debe ser una clave UUID."),
        "uuid_type": _("Debe ser una clave UUID."),
        "datetime_parsing": _("Debe ser una fecha y hora ISO 8601."),
        "datetime_from_date_parsing": _("Debe ser una fecha y hora ISO 8601."),
        "datetime_type": _("Debe ser una fecha y hora ISO 8601."),
        "string_pattern_mismatch": _("El formato no es válido."),
        "enum": _("El valor no es una de las opciones permitidas."),
        "literal_error": _("El valor no es una de las opciones permitidas."),
        "extra_forbidden": _("Este dato no se admite."),
        "bool_parsing": _("Debe ser verdadero o falso."),
        "bool_type": _("Debe ser verdadero o falso."),
        "json_invalid": _("El cuerpo de la petición no es JSON válido."),
    }
    if kind in known:
        return str(known[kind])
    if kind in ("greater_than_equal", "greater_than"):
        return _("Debe ser al menos %(v)s.") % {"v": context.get("ge", context.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Debe ser como máximo %(v)s.") % {"v": context.get("le", context.get("lt"))}
    if kind == "string_too_long":
        return _("Admite como máximo %(n)s caracteres.") % {"n": context.get("max_length")}
    if kind == "string_too_short":
        return _("Debe tener al menos %(n)s caracteres.") % {"n": context.get("min_length")}
    if kind == "value_error" and context.get("error"):
        return str(context["error"])
    return _("El valor no es válido.")


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    code: str,
    errors: list[dict] | None = None,
) -> HttpResponse:
    return api.create_response(request, body(detail, code, errors), status=status)


def install(api: NinjaAPI) -> None:
    """Register one handler per kind of failure; each answers with ``Error``."""

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc: NinjaValidationError):
        errors = [
            {"field": _location(e.get("loc", ())), "message": _schema_message(e)}
            for e in exc.errors
        ]
        return error_response(
            api,
            request,
            422,
            _("La petición tiene datos con tipo o formato no válido."),
            "invalid_request",
            errors,
        )

    @api.exception_handler(DjangoValidationError)
    def on_validation_error(request, exc: DjangoValidationError):
        return error_response(
            api, request, 400, _("Los datos no son válidos."), "invalid", _messages(exc)
        )

    @api.exception_handler(StaleEdit)
    def on_stale_edit(request, exc: StaleEdit):
        return error_response(api, request, 409, str(exc), "conflict")

    @api.exception_handler(Http404)
    def on_not_found(request, exc: Http404):
        return error_response(
            api,
            request,
            404,
            str(exc) or str(not_found()),
            "not_found",
        )

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc: PermissionDenied):
        return error_response(
            api,
            request,
            403,
            str(exc) or str(forbidden()),
            "forbidden",
        )

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc: AuthenticationError):
        detail = exc.message if exc.message != "Unauthorized" else _("Se requiere un token válido.")
        response = error_response(api, request, 401, detail, "not_authenticated")
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(TooManyTokenFailures)
    def on_too_many_token_failures(request, exc: TooManyTokenFailures):
        minutes = max(1, -(-exc.retry_after // 60))
        detail = ngettext(
            "Demasiados intentos con tokens no válidos desde su dirección. Vuelva a intentarlo en "
            "%(n)s minuto.",
            "Demasiados intentos con tokens no válidos desde su dirección. Vuelva a intentarlo en "
            "%(n)s minutos.",
            minutes,
        ) % {"n": minutes}
        response = error_response(api, request, 429, detail, "too_many_requests")
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400:  # ninja's only 400: a body that is not JSON
            return error_response(
                api,
                request,
                400,
                _("El cuerpo de la petición no es JSON válido."),
                "malformed_json",
            )
        return error_response(
            api, request, exc.status_code, _("La petición no se pudo atender."), "error"
        )

    @api.exception_handler(Exception)
    def on_server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            api, request, 500, _("Error interno del servidor. Ya quedó registrado."), "server_error"
        )


def method_not_allowed(response: HttpResponse) -> HttpResponse:
    """ninja answers 405 in plain text; give it the error shape, keeping ``Allow``."""
    replacement = JsonResponse(
        body(_("Método no permitido en esta dirección."), "method_not_allowed"), status=405
    )
    replacement["Allow"] = response.get("Allow", "")
    return replacement


def query_too_long(limit: int) -> JsonResponse:
    return JsonResponse(
        body(
            _(
                "La consulta de la dirección (lo que sigue a «?») es demasiado larga: se admiten "
                "hasta %(n)s caracteres."
            )
            % {"n": f"{limit:,}"},
            "uri_too_long",
        ),
        status=414,
    )


def not_found_response() -> JsonResponse:
    return JsonResponse(body(_("No existe esta dirección de la API."), "not_found"), status=404)

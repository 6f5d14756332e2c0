"""The API's documentation page, rendered on the server from the OpenAPI schema.

ninja's Swagger UI failed the accessibility check (contrast, nested controls, no page language)
and spoke only English. This page uses the site's layout, labels and language switch instead;
the schema's own texts (summaries, descriptions, tag names) stay as written, in Spanish.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from transversal.core.lights import format_number

REF_PREFIX = "#/components/schemas/"
METHODS = ("get", "put", "post", "patch", "delete")
# A sample per string format, for the request bodies of the curl examples.
FORMAT_SAMPLES = {
    "uuid": "00000000-0000-0000-0000-000000000000",
    "date": "2025-01-31",
    "date-time": "2025-01-31T00:00:00Z",
}


@dataclass
class FieldDoc:
    name: str
    type: SafeString
    required: bool
    description: str
    constraints: list[str]
    location: str = ""


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]
    values: list[str]
    type: SafeString
    # Returned by some operation (its fields are "always present"), not only sent.
    output: bool = True


@dataclass
class ResponseDoc:
    status: str
    meaning: str
    schema: SafeString


@dataclass
class OperationDoc:
    anchor: str
    method: str
    path: str
    summary: str
    description: SafeString
    token_required: bool
    parameters: list[FieldDoc]
    body: SchemaDoc | None
    success: SchemaDoc | None
    responses: list[ResponseDoc]
    curl: str


@dataclass
class TagDoc:
    name: str
    anchor: str
    operations: list[OperationDoc] = field(default_factory=list)


class SiteDocs(DocsBase):
    """ninja's ``docs=`` hook: ``/api/v1/docs`` keeps its route and name, with our page."""

    def __init__(self) -> None:
        self.schemas: dict[tuple, dict] = {}
        self.contexts: dict[tuple, dict] = {}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        # Building the schema takes ninja a third of a second and it only changes with the code
        # (and the script prefix its paths carry): once per process.
        key = (id(api), get_script_prefix(), tuple(sorted(kwargs.items())))
        if key not in self.schemas:
            self.schemas[key] = api.get_openapi_schema(path_params=kwargs)
        # The page's content depends only on the schema, the language and the address the
        # examples are written for (hosts are limited by ALLOWED_HOSTS): built once for each.
        page = (key, get_language(), request.build_absolute_uri("/"))
        if page not in self.contexts:
            self.contexts[page] = docs_context(self.schemas[key], request)
        return render(request, "api/docs.html", self.contexts[page])


def docs_context(schema: dict, request: HttpRequest) -> dict:
    components = schema.get("components", {}).get("schemas", {})
    tags: dict[str, TagDoc] = {}
    referenced: list[str] = []
    returned: list[str] = []
    for path, methods in schema["paths"].items():
        for method in METHODS:
            if method not in methods:
                continue
            operation = operation_doc(path, method, methods[method], components, request)
            tag = (methods[method].get("tags") or [_("otras")])[0]
            if tag not in tags:
                tags[tag] = TagDoc(name=tag, anchor=f"tag-{slugify(tag)}")
            tags[tag].operations.append(operation)
            referenced.extend(refs_in(methods[method]))
            returned.extend(refs_in(methods[method].get("responses", {})))
    outputs = set(reachable(returned, components))
    info = schema.get("info", {})
    return {
        # The schema's own texts are Spanish: marked as such when the page is in English.
        "schema_lang": "" if get_language().startswith("es") else "es-MX",
        "version": info.get("version", ""),
        "description": paragraphs(info.get("description", "")),
        "tags": list(tags.values()),
        "schemas": [
            schema_doc(name, components, output=name in outputs)
            for name in reachable(referenced, components)
        ],
        "openapi_url": reverse("api:openapi-json"),
        "tokens_url": reverse("api:token_list"),
    }


def operation_doc(
    path: str, method: str, operation: dict, components: dict, request: HttpRequest
) -> OperationDoc:
    security = operation.get("security") or []
    token_required = bool(security) and {} not in security
    body_schema = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ).get("schema")
    body = schema_doc(ref_name(body_schema), components) if body_schema else None
    responses, success = [], None
    for code, response in operation.get("responses", {}).items():
        status = str(code)  # an int in ninja's schema, a string once it is JSON
        content = response.get("content", {}).get("application/json", {}).get("schema")
        if status.startswith("2") and content and success is None:
            success = inline_schema(content, components)
        responses.append(
            ResponseDoc(
                status=status,
                meaning=status_meaning(status, token_required) or response.get("description", ""),
                schema=type_html(content) if content else mark_safe(""),
            )
        )
    responses.sort(key=lambda response: response.status)
    parameters = [
        FieldDoc(
            name=parameter["name"],
            type=type_html(parameter.get("schema", {})),
            required=bool(parameter.get("required")),
            description=parameter.get("description")
            or parameter.get("schema", {}).get("description", ""),
            constraints=constraints(parameter.get("schema")),
            location=location_label(parameter["in"]),
        )
        for parameter in operation.get("parameters", [])
    ]
    return OperationDoc(
        anchor=operation["operationId"],
        method=method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        description=paragraphs(operation.get("description", "")),
        token_required=token_required,
        parameters=parameters,
        body=body,
        success=success,
        responses=responses,
        curl=curl_example(request, method, path, token_required, example(body_schema, components)),
    )


def location_label(location: str) -> str:
    return {
        "path": _("en la ruta"),
        "query": _("en la consulta"),
        "header": _("en la cabecera"),
        "cookie": _("en una cookie"),
    }.get(location, location)


def status_meaning(status: str, token_required: bool) -> str:
    if status == "401":
        return (
            _("Falta el token o no es válido (inválido, revocado o vencido).")
            if token_required
            else _("Se envió un token no válido (inválido, revocado o vencido).")
        )
    return {
        "200": _("Correcto."),
        "201": _("Creado."),
        "400": _("Rechazado por las reglas del dominio o por un JSON mal formado."),
        "403": _("La persona del token no tiene permiso para esta acción."),
        "404": _("No existe o no es visible para quien consulta."),
        "409": _("Otra persona guardó antes: vuelva a leer la versión."),
        "413": _("El cuerpo de la petición es demasiado grande."),
        "414": _("La consulta (lo que sigue a «?») es demasiado larga."),
        "422": _("Un parámetro o campo tiene un tipo o formato no válido."),
        "429": _("Demasiados intentos con tokens no válidos: espere lo que indica Retry-After."),
        "500": _("Error del servidor."),
    }.get(status, "")


def ref_name(schema: dict | None) -> str:
    return (schema or {}).get("$ref", "").removeprefix(REF_PREFIX)


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [ref_name(node)] if "$ref" in node else []
        return found + [name for value in node.values() for name in refs_in(value)]
    if isinstance(node, list):
        return [name for value in node for name in refs_in(value)]
    return []


def reachable(names: list[str], components: dict) -> list[str]:
    """The component schemas the operations use, directly or through other schemas, in the
    order they are first met."""
    seen: dict[str, None] = {}
    pending = list(names)
    while pending:
        name = pending.pop(0)
        if name in seen or name not in components:
            continue
        seen[name] = None
        pending.extend(refs_in(components[name]))
    return list(seen)


def inline_schema(schema: dict, components: dict) -> SchemaDoc | None:
    name = ref_name(schema)
    return schema_doc(name, components) if name in components else None


def schema_doc(name: str, components: dict, output: bool = True) -> SchemaDoc:
    schema = components.get(name, {})
    required = set(schema.get("required", []))
    return SchemaDoc(
        name=name,
        anchor=schema_anchor(name),
        description=schema.get("description", ""),
        fields=[
            FieldDoc(
                name=prop_name,
                type=type_html(prop),
                required=prop_name in required,
                description=prop.get("description", ""),
                constraints=constraints(prop),
            )
            for prop_name, prop in schema.get("properties", {}).items()
        ],
        values=[str(value) for value in schema.get("enum", [])],
        type=type_html({key: value for key, value in schema.items() if key != "enum"}),
        output=output,
    )


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


def type_html(schema: dict | None) -> SafeString:
    """A field's type in words, with a link to each named schema it uses."""
    schema = schema or {}
    if "$ref" in schema:
        name = ref_name(schema)
        return format_html('<a href="#{}"><code>{}</code></a>', schema_anchor(name), name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts = [type_html(option) for option in schema[key]]
            word = pgettext("types", "y") if key == "allOf" else pgettext("types", "o")
            joiner = f" {word} "
            return mark_safe(escape(joiner).join(parts))
    kind = schema.get("type")
    if kind == "array":
        return format_html(_("lista de {type}"), type=type_html(schema.get("items")))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return format_html(_("objeto de {type}"), type=type_html(schema["additionalProperties"]))
    if "enum" in schema:
        values = format_html_join(", ", "<code>{}</code>", ((value,) for value in schema["enum"]))
        return format_html(_("uno de: {values}"), values=values)
    if not kind:
        return format_html("<code>{}</code>", "any")
    if schema.get("format"):
        return format_html("<code>{}</code> ({})", kind, schema["format"])
    return format_html("<code>{}</code>", kind)


def number(value: Any) -> str:
    return format_number(value) if isinstance(value, int | float) else str(value)


def constraints(schema: dict | None) -> list[SafeString]:
    """Limits of a value, in words: minimum, maximum, length, pattern (as code), default."""
    schema = schema or {}
    found: list[SafeString] = []
    for option in schema.get("anyOf", []):
        found.extend(constraints(option))
    labels = (
        ("minimum", _("mínimo %(value)s")),
        ("maximum", _("máximo %(value)s")),
        ("multipleOf", _("múltiplo de %(value)s")),
        ("minLength", _("al menos %(value)s caracteres")),
        ("maxLength", _("a lo más %(value)s caracteres")),
        ("maxProperties", _("a lo más %(value)s claves")),
        ("pattern", _("patrón %(value)s")),
        ("default", _("por omisión %(value)s")),
    )
    for key, label in labels:
        if key not in schema:
            continue
        value = schema[key]
        if key == "pattern":
            shown = format_html("<code>{}</code>", value)
        elif key == "default":
            shown = format_html("<code>{}</code>", json.dumps(value, ensure_ascii=False))
        else:
            shown = escape(number(value))
        found.append(mark_safe(escape(label) % {"value": shown}))
    return found


def example(schema: dict | None, components: dict, depth: int = 0) -> Any:
    """A request body shaped like the schema: its own examples or defaults where it has them,
    else a plain value of each type (a shape to copy, not data)."""
    if schema is None or depth > 4:
        return None
    if "$ref" in schema:
        return example(components.get(ref_name(schema)), components, depth + 1)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return example(options[0], components, depth + 1) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: example(prop, components, depth + 1)
            for name, prop in schema.get("properties", {}).items()
        }
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "string":
        return FORMAT_SAMPLES.get(schema.get("format", ""), "")
    return None


def curl_example(
    request: HttpRequest, method: str, path: str, token_required: bool, body: Any
) -> str:
    # Path parameters become shell variables: {code} -> $CODE, set before running the command.
    url = request.build_absolute_uri(re.sub(r"\{(\w+)\}", lambda m: "$" + m[1].upper(), path))
    lines = ["curl" if method == "get" else f"curl -X {method.upper()}"]
    if token_required or body is not None:
        lines.append('-H "Authorization: Bearer $TOKEN"')
    if body is not None:
        lines.append('-H "Content-Type: application/json"')
        lines.append(f"-d '{json.dumps(body, ensure_ascii=False)}'")
    lines.append(f'"{url}"')
    return " \\\n  ".join(lines) if len(lines) > 2 else " ".join(lines)


def paragraphs(text: str) -> SafeString:
    """The schema's light Markdown (paragraphs, **bold**, `code`) as HTML, escaped first."""
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        escaped = escape(" ".join(line.strip() for line in block.splitlines()))
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
        escaped = re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)
        html.append(f"<p>{escaped}</p>")
    return mark_safe("\n".join(html))

"""The API's views are declared public or protected from each operation's auth."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI

from transversal.api.auth import token_optional, token_required
from transversal.api.routing import declared_patterns
from transversal.core.access import PROTECTED, PUBLIC, access_of, iter_views, unprotected_views


def test_no_api_view_is_undeclared():
    assert [route for route in unprotected_views() if route.startswith("api/")] == []


def test_reads_are_public_and_writes_are_protected():
    marks = {
        route: access_of(callback)
        for route, namespace, callback in iter_views()
        if namespace == "api"
    }
    assert marks["api/v1/states"] == PUBLIC
    assert marks["api/v1/updates/<code>"] == PUBLIC
    assert marks["api/v1/indicators/<code>/periods/<label>/draft"] == PROTECTED
    assert marks["api/v1/updates/<code>/submit"] == PROTECTED
    assert marks["api/v1/tokens/"] == PROTECTED


def _api(name: str) -> NinjaAPI:
    return NinjaAPI(urls_namespace=name)


def test_an_operation_without_a_declared_auth_is_refused():
    api = _api("routing-test-undeclared")

    @api.get("/x")
    def undeclared(request):
        return {}

    with pytest.raises(ImproperlyConfigured, match="must declare auth"):
        declared_patterns(api)


def test_a_path_mixing_public_and_protected_operations_is_refused():
    api = _api("routing-test-mixed")

    @api.get("/x", auth=token_optional)
    def read(request):
        return {}

    @api.post("/x", auth=token_required)
    def write(request):
        return {}

    with pytest.raises(ImproperlyConfigured, match="mixes"):
        declared_patterns(api)

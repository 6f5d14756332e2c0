from django.urls import path, re_path

from transversal.api import views
from transversal.api.endpoints import api
from transversal.api.errors import not_found_response
from transversal.api.routing import declared_patterns
from transversal.core.access import public

app_name = "api"


@public
def not_found(request, rest: str = ""):
    """Unknown addresses under /api/v1/ answer with the API's error shape, not an HTML page."""
    return not_found_response()


urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<uuid:code>/revoke", views.token_revoke_view, name="token_revoke"),
    *declared_patterns(api),
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),
]

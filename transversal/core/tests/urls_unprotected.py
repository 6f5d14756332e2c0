from django.http import HttpResponse
from django.urls import path

from transversal.core.access import public


@public
def fine(request):
    return HttpResponse("ok")


def forgotten(request):
    return HttpResponse("ok")


urlpatterns = [
    path("publica/", fine),
    path("sin-proteccion/", forgotten),
]

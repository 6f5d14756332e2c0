from django.urls import path

from transversal.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.national, name="national"),
    path("vega.js", views.vega_js, name="vega_js"),
    path("entidad/<str:code>/", views.state, name="state"),
    path("indicador/<str:code>/", views.indicator, name="indicator"),
]

from django.urls import path

from transversal.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.national, name="national"),
    path("programas/", views.programmes, name="programmes"),
    path("entidad/<str:code>/", views.state, name="state"),
    path("indicador/<str:code>/", views.indicator, name="indicator"),
]

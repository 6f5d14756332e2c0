from django.urls import path

from transversal.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("nuevo/<slug:slug>/", views.indicator_new, name="new"),
    path("<str:code>/", views.indicator_detail, name="detail"),
    path("<str:code>/editar/", views.indicator_edit, name="edit"),
    path("<str:code>/calendario/", views.calendar_generate, name="calendar"),
    path("<str:code>/metas/", views.targets_edit, name="targets"),
]

from django.urls import path

from transversal.monitoring import views_work

app_name = "work"
urlpatterns = [
    path("", views_work.work_list, name="list"),
    path("enviar/", views_work.work_submit, name="submit"),
]

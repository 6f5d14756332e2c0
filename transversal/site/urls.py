from django.urls import path

from transversal.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
]

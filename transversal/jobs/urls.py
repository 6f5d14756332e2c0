from django.urls import path

from transversal.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:code>/", views.job_detail, name="detail"),
]

from django.urls import path

from transversal.followup import views

app_name = "followup"
urlpatterns = [
    path("evidencias/<uuid:code>/", views.evidence_download, name="evidence"),
    path("<uuid:code>/", views.followup_detail, name="detail"),
    path("<uuid:code>/avance/", views.note_add, name="note_add"),
    path("<uuid:code>/evidencia/", views.evidence_add, name="evidence_add"),
    path("<uuid:code>/atendido/", views.mark_done, name="mark_done"),
    path("<uuid:code>/verificar/", views.verify, name="verify"),
    path("<uuid:code>/cancelar/", views.cancel, name="cancel"),
    path("<uuid:code>/reabrir/", views.reopen, name="reopen"),
]

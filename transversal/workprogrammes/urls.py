from django.urls import path

from transversal.workprogrammes import views, views_assistance, views_reports

app_name = "workprogrammes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("nuevo/", views.programme_new, name="new"),
    # assistance requests — keep above the "<uuid:code>/" patterns
    path("asistencia/", views_assistance.request_list, name="requests"),
    path("asistencia/nueva/", views_assistance.request_new, name="request_new"),
    path("asistencia/<uuid:code>/", views_assistance.request_detail, name="request"),
    path("asistencia/<uuid:code>/vincular/", views_assistance.request_link, name="request_link"),
    path("actas/<uuid:code>/", views.minutes_download, name="minutes"),
    path("<uuid:code>/", views.programme_detail, name="programme"),
    path("<uuid:code>/metas/nueva/", views.line_edit, name="line_new"),
    path("<uuid:code>/metas/<int:number>/", views.line_edit, name="line_edit"),
    path("<uuid:code>/metas/<int:number>/quitar/", views.line_remove, name="line_remove"),
    path("<uuid:code>/proponer/", views.propose, name="propose"),
    path("<uuid:code>/observar/", views.observe, name="observe"),
    path("<uuid:code>/corregir/", views.correct, name="correct"),
    path("<uuid:code>/validar/", views.validate, name="validate"),
    path("<uuid:code>/reintegro/", views.refund, name="refund"),
    path("<uuid:code>/acta/", views.minutes_add, name="minutes_add"),
    path("<uuid:code>/cerrar/", views.close, name="close"),
    path("<uuid:code>/reabrir-periodo/", views.period_reopen_view, name="period_reopen"),
    path("<uuid:code>/trimestre/<int:quarter>/", views_reports.report_page, name="report"),
    path(
        "<uuid:code>/trimestre/<int:quarter>/acusar/",
        views_reports.report_acknowledge,
        name="report_acknowledge",
    ),
    path(
        "<uuid:code>/trimestre/<int:quarter>/observar/",
        views_reports.report_observe,
        name="report_observe",
    ),
]

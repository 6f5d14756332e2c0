from django.urls import path

from transversal.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("trabajos/<uuid:code>/", views.job_detail, name="job"),
    path("trabajos/<uuid:code>/descargar/", views.job_download, name="download"),
    path("programa/<uuid:code>.pdf", views.programme_report_pdf, name="programme_report_pdf"),
    path("programa/<uuid:code>.docx", views.programme_report_docx, name="programme_report_docx"),
    path("exportar/convenios.xlsx", views.export_agreements, name="export_agreements"),
    path("exportar/indicadores.xlsx", views.export_indicators, name="export_indicators"),
]

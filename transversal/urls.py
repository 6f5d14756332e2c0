from django.contrib import admin
from django.urls import include, path

from transversal.site import views as site_views

admin.site.site_header = "Transversal"
admin.site.site_title = "Transversal"

urlpatterns = [
    path("", include("transversal.site.urls")),
    path("healthz", site_views.healthz, name="healthz"),
    path("idioma/", site_views.set_language, name="set_language"),
    path("", include("transversal.directory.urls")),
    path("historial/", include("transversal.audit.urls")),
    path("planes/", include("transversal.planning.urls")),
    path("convenios/", include("transversal.agreements.urls")),
    path("indicadores/", include("transversal.monitoring.urls")),
    path("pendientes/", include("transversal.monitoring.urls_work")),
    path("seguimiento/", include("transversal.followup.urls")),
    path("coordinacion/", include("transversal.coordination.urls")),
    path("mejora/", include("transversal.improvement.urls")),
    path("programas/", include("transversal.workprogrammes.urls")),
    path("observatorio/armonizacion/", include("transversal.harmonization.urls")),
    path("observatorio/estadisticas/", include("transversal.genderstats.urls")),
    path("registros/", include("transversal.registers.urls")),
    path("tableros/", include("transversal.dashboards.urls")),
    path("reportes/", include("transversal.reports.urls")),
    path("trabajos/", include("transversal.jobs.urls")),
    path("api/v1/", include("transversal.api.urls")),
    path("buscar/", include("transversal.search.urls")),
    path("", include("transversal.portal.urls")),
    path("", include("transversal.accounts.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "transversal.core.errors.not_found"
handler403 = "transversal.core.errors.forbidden"
handler500 = "transversal.core.errors.server_error"

from django.contrib import admin

from transversal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence and nobody edits it, not even staff."""

    list_display = ("created_at", "actor", "verb", "target_repr", "institution")
    list_filter = ("verb", "target_type", "state")
    search_fields = ("target_repr", "actor__email", "verb")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "institution", "target_type")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

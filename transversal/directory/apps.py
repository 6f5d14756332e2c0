from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """Pages of the states and their institutions: profiles, names, the state summary."""

    name = "transversal.directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The institution's history needs the access rules (accounts), which sit above
        # institutions on the floor plan: this app sits above both.
        from transversal.accounts.access import get_institution_for_user
        from transversal.audit.models import AuditEvent
        from transversal.audit.registry import register_history

        def institution_history(user, slug):
            institution, _scope = get_institution_for_user(user, slug)
            # Everything scoped to the institution: profile, names, members.
            return institution, AuditEvent.objects.filter(institution=institution)

        register_history("institucion", institution_history)

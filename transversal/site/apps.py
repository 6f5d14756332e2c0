from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site shell at the top of the floor plan: home page, header navigation, language,
    health."""

    name = "transversal.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"

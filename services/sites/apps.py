from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "services.sites"
    label = "sites"
    verbose_name = "Sites"

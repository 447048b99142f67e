from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "services.sites"
    label = "sites"
    verbose_name = "Sites"

    def ready(self) -> None:
        from services.audit.words import record_namer_register

        record_namer_register("sites.site", "name")

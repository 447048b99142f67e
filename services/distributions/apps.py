from django.apps import AppConfig


class DistributionsConfig(AppConfig):
    name = "services.distributions"
    label = "distributions"
    verbose_name = "Distributions and stock"

    def ready(self) -> None:
        from services.audit.words import record_namer_register

        record_namer_register("distributions.checkin", "person__code")

from django.apps import AppConfig


class DistributionsConfig(AppConfig):
    name = "services.distributions"
    label = "distributions"
    verbose_name = "Distributions and stock"

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "services.people"
    label = "people"
    verbose_name = "People"

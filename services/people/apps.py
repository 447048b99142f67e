from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "services.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from services.audit.words import record_namer_register

        record_namer_register("people.person", "code")

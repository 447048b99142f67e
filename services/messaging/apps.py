from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "services.messaging"
    label = "messaging"
    verbose_name = "SMS messaging"

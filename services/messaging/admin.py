from django.contrib import admin
from django.http import HttpRequest

from .models import Broadcast, InboundMessage, Message


class ReadOnlyAdmin(admin.ModelAdmin):
    """The outbox is written by the engine only; the admin is for looking."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "kind", "status", "send_at", "attempts", "error_code")
    list_filter = ("status", "kind")
    search_fields = ("idempotency_key", "provider_message_id", "person__code")


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "from_phone", "action")
    list_filter = ("action",)


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "site", "kind", "recipients", "segments")

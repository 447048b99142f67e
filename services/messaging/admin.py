from django.contrib import admin

from fieldapp.readonly_admin import ReadOnlyAdmin

from .models import Broadcast, InboundMessage, Message


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

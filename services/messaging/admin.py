"""The outbox in the admin: to look, and to resend a message whose outcome is unknown."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fieldapp.errors import DomainError
from fieldapp.readonly_admin import ReadOnlyAdmin

from .actions.outcome import message_resend
from .models import Broadcast, InboundMessage, Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "kind", "status", "send_at", "attempts", "error_code")
    list_filter = ("status", "kind")
    search_fields = ("idempotency_key", "provider_message_id", "person__code")
    actions = ["resend"]

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("messaging.resend_message")

    @admin.action(description=_("Send again (outcome unknown)"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        """Through the same action as the SMS log; messages of any other status are left."""
        resent = 0
        for message in queryset.filter(status=Message.Status.UNKNOWN):
            try:
                message_resend(actor=request.user, message=message)  # type: ignore[arg-type]
            except DomainError:
                continue  # decided meanwhile by someone else
            resent += 1
        text = ngettext(
            "%(count)d message will be sent again.",
            "%(count)d messages will be sent again.",
            resent,
        )
        self.message_user(request, text % {"count": resent}, messages.SUCCESS)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "from_phone", "action")
    list_filter = ("action",)


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "site", "kind", "recipients", "segments")

from django.urls import path

from . import views, webhooks

app_name = "messaging"

urlpatterns = [
    path("twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("twilio/inbound/", webhooks.twilio_inbound, name="twilio_inbound"),
    path("", views.message_list, name="list"),
    path("replies/", views.reply_list, name="replies"),
    path("<int:pk>/resend/", views.message_outcome_decide, {"decision": "resend"}, name="resend"),
    path(
        "<int:pk>/give-up/", views.message_outcome_decide, {"decision": "give_up"}, name="give_up"
    ),
    path("broadcast/", views.broadcast_compose, name="broadcast"),
    path("broadcast/preview/", views.broadcast_preview_fragment, name="broadcast_preview"),
]

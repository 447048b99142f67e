"""/api/v1/: one router for every app's API."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from services.audit.api import AuditEntryViewSet
from services.distributions.api import (
    CheckInViewSet,
    ItemTypeViewSet,
    SessionViewSet,
    StockViewSet,
    TicketViewSet,
)
from services.messaging.api import BroadcastViewSet, InboundMessageViewSet, MessageViewSet
from services.people.api import PersonViewSet
from services.sites.api import SiteViewSet

app_name = "v1"

router = DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register("sites", SiteViewSet, basename="site")
router.register("audit-log", AuditEntryViewSet, basename="auditentry")
router.register("messages", MessageViewSet, basename="message")
router.register("replies", InboundMessageViewSet, basename="inboundmessage")
router.register("broadcasts", BroadcastViewSet, basename="broadcast")
router.register("items", ItemTypeViewSet, basename="itemtype")
router.register("stock", StockViewSet, basename="stockbalance")
router.register("distributions", SessionViewSet, basename="distributionsession")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("checkins", CheckInViewSet, basename="checkin")

urlpatterns = [
    *router.urls,
    path("", include("services.partners.api_urls")),
    path("", include("services.referrals.api_urls")),
    path("", include("services.legal.api_urls")),
    path("", include("services.shifts.api_urls")),
]

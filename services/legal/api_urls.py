"""This app's part of /api/v1/ (included by fieldapp/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import AppointmentViewSet, AvailabilityViewSet, SlotViewSet

router = SimpleRouter()
router.register("legal/availability", AvailabilityViewSet, basename="legal-availability")
router.register("legal/slots", SlotViewSet, basename="legal-slot")
router.register("legal/appointments", AppointmentViewSet, basename="legal-appointment")

urlpatterns = router.urls

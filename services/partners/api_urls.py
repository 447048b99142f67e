"""This app's part of /api/v1/ (included by fieldapp/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import PartnerServiceViewSet, PartnerViewSet

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("partner-services", PartnerServiceViewSet, basename="partnerservice")

urlpatterns = router.urls

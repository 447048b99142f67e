"""This app's part of /api/v1/ (included by fieldapp/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import ShiftViewSet, SignUpViewSet

router = SimpleRouter()
router.register("shifts", ShiftViewSet, basename="shift")
router.register("signups", SignUpViewSet, basename="signup")

urlpatterns = router.urls

"""This app's part of /api/v1/ (included by fieldapp/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import FollowUpViewSet, ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
router.register("follow-ups", FollowUpViewSet, basename="followup")

urlpatterns = router.urls

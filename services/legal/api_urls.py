"""This app's part of /api/v1/ (included by fieldapp/api_urls.py)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls

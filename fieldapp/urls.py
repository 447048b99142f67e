from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from services.accounts.middleware import second_factor_not_required

from . import views

handler400 = "fieldapp.views.bad_request"
handler403 = "fieldapp.views.permission_denied"
handler404 = "fieldapp.views.page_not_found"
handler500 = "fieldapp.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-site/", views.my_site_set, name="my_site_set"),
    path("language/", views.language_set, name="language_set"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", second_factor_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("services.accounts.urls")),
    path("people/", include("services.people.urls")),
    path("sites/", include("services.sites.urls")),
    path("messages/", include("services.messaging.urls")),
    path("distributions/", include("services.distributions.urls_table")),
    path("distributions/manage/", include("services.distributions.urls_coordinator")),
    path("partners/", include("services.partners.urls")),
    path("referrals/", include("services.referrals.urls")),
    path("legal/", include("services.legal.urls")),
    path("shifts/", include("services.shifts.urls")),
    path("audit/", include("services.audit.urls")),
    path("privacy/", include("services.privacy.urls")),
    path("dashboard/", include("services.dashboard.urls")),
    path("reports/", include("services.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("fieldapp.api_urls", namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # A person signing in first is sent to the sign-in page, not shown a 403.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]

"""
The account pages. The two links that go by SMS are short (j/ and r/), since every
character of a text in Arabic or Tigrinya script costs: 67 fit in a segment.
"""

from django.urls import path

from . import views, views_team

app_name = "accounts"

urlpatterns = [
    path("j/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "r/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("account/profile/", views.profile, name="profile"),
    path("account/password/", views.password_reset_request, name="password_reset"),
    path("account/password/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("account/two-factor/", views.second_factor_verify_view, name="second_factor_verify"),
    path("account/two-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("account/two-factor/codes/", views.recovery_codes_new, name="recovery_codes_new"),
    path("team/", views_team.team_list, name="team"),
    path("team/<int:pk>/", views_team.team_member, name="team_member"),
    path("team/<int:pk>/stay/", views_team.stay_extend, name="stay_extend"),
    path(
        "team/<int:pk>/second-factor/reset/",
        views_team.second_factor_reset_view,
        name="second_factor_reset",
    ),
    path("team/invitations/", views_team.invitation_list, name="invitations"),
    path("team/invitations/new/", views_team.invitation_create, name="invitation_create"),
    path(
        "team/invitations/<int:pk>/resend/",
        views_team.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "team/invitations/<int:pk>/revoke/",
        views_team.invitation_revoke,
        name="invitation_revoke",
    ),
]

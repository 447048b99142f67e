from django.urls import path

from services.scheduling import ical

from . import views, views_day, views_plan

app_name = "shifts"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("open/", views.open_shifts, name="open"),
    path("<int:pk>/", views_plan.detail, name="detail"),
    path("<int:pk>/sign-up/", views.signup, name="signup"),
    path("sign-ups/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("sign-ups/<int:pk>/arrived/", views_day.arrived, name="arrived"),
    path("board/", views_plan.board, name="board"),
    path("new/", views_plan.create, name="create"),
    path("copy/", views_plan.copy, name="copy"),
    path("<int:pk>/edit/", views_plan.edit, name="edit"),
    path("<int:pk>/cancel/", views_plan.cancel, name="cancel"),
    path("<int:pk>/assign/", views_plan.assign, name="assign"),
    path("today/", views_day.day, name="today"),
    path("handover/", views_day.handover, name="handover"),
    path("handover/<int:pk>/read/", views_day.handover_read, name="handover_read"),
    path("calendar-feed/renew/", views.feed_renew, name="feed_renew"),
    path("calendar-feed/<str:token>.ics", ical.feed, name="feed"),
]

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("new/", views.find_person, name="find"),
    path("new/<str:code>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/book/", views.book, name="book"),
    *(path(f"<int:pk>/{to}/", views.step, {"to": to}, name=f"step_{to}") for to in views.STEPS),
    path("follow-ups/", views.followup_list, name="followups"),
    path("follow-ups/<int:pk>/done/", views.followup_done, name="followup_done"),
]

from django.urls import path

from services.scheduling import ical

from . import views, views_follow_up
from . import views_availability as mine

app_name = "legal"

urlpatterns = [
    path("", views.home, name="home"),
    path("book/", views.book, name="book"),
    path("appointments/<int:pk>/", views.detail, name="detail"),
    path("appointments/<int:pk>/status/", views.status, name="status"),
    path("appointments/<int:pk>/move/", views.move, name="move"),
    path("appointments/<int:pk>/notes/", views.notes, name="notes"),
    path("appointments/<int:pk>/follow-up/", views_follow_up.follow_up, name="follow_up"),
    path("calendar/", views.calendar, name="calendar"),
    path("availability/", mine.availability, name="availability"),
    path("availability/add/", mine.availability_add, name="availability_add"),
    path(
        "availability/<int:pk>/remove/",
        mine.availability_remove,
        name="availability_remove",
    ),
    path("languages/add/", mine.language_add, name="language_add"),
    path(
        "languages/<str:language>/remove/",
        mine.language_remove,
        name="language_remove",
    ),
    path("calendar-feed/renew/", mine.feed_renew, name="feed_renew"),
    path("calendar-feed/<str:token>.ics", ical.feed, name="feed"),
]

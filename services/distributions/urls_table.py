from django.urls import path

from . import views_table

app_name = "distributions_table"

urlpatterns = [
    path("", views_table.home, name="home"),
    path("sw.js", views_table.service_worker, name="service_worker"),
    path("<int:session_id>/checkin/", views_table.checkin, name="checkin"),
    path("<int:session_id>/checkin/register/", views_table.register, name="register"),
    path("<int:session_id>/tickets/", views_table.tickets, name="tickets"),
]

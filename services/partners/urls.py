from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path("<int:pk>/edit/", views.partner_edit, name="edit"),
    path("<int:pk>/active/", views.partner_set_active, name="set_active"),
    path("<int:pk>/services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
]

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("cards/", views.person_cards, name="cards"),
    path("<str:code>/", views.person_detail, name="detail"),
    path("<str:code>/edit/", views.person_edit, name="edit"),
]

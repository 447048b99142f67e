from django.urls import path

from . import views, views_records

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("cards/", views.person_cards, name="cards"),
    path("<str:code>/", views.person_detail, name="detail"),
    path("<str:code>/edit/", views.person_edit, name="edit"),
    path("<str:code>/new-card/", views_records.card_reissue, name="card_reissue"),
    path("<str:code>/merge/", views_records.merge, name="merge"),
]

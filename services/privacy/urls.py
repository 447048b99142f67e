from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("notice/<str:language>/", views.notice, name="notice_in"),
    path("people/<str:code>/record/", views.record_page, name="record"),
    path("people/<str:code>/record.json", views.record_json, name="record_json"),
    path("people/<str:code>/erase/", views.erase, name="erase"),
]

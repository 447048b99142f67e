from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("donor/", views.donor_report_view, name="donor"),
    path("export/", views.export_view, name="export"),
    path("import/", views.import_upload_view, name="import_upload"),
    path("import/<int:pk>/", views.import_detail_view, name="import_detail"),
]

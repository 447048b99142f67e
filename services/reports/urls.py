from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("donor/", views.donor_report_view, name="donor"),
    path("export/", views.export_view, name="export"),
    path("export/<int:pk>/", views.export_status_view, name="export_status"),
    path("export/<int:pk>/file/", views.export_download_view, name="export_download"),
    path("import/", views.import_upload_view, name="import_upload"),
    path("import/<int:pk>/", views.import_detail_view, name="import_detail"),
]

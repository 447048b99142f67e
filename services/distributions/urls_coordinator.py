"""Coordinators' distribution screens, under /distributions/manage/."""

from django.urls import path

from . import views_coordinator as views

app_name = "distributions_coordinator"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_edit, name="item_create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("stock/", views.stock, name="stock"),
    path("stock/<int:pk>/", views.stock_site, name="stock_site"),
    path("stock/<int:pk>/levels/", views.stock_levels, name="stock_levels"),
    path("stock/<int:pk>/receive/", views.stock_move, {"kind": "receive"}, name="stock_receive"),
    path("stock/<int:pk>/transfer/", views.stock_move, {"kind": "transfer"}, name="stock_transfer"),
    path("stock/<int:pk>/adjust/", views.stock_move, {"kind": "adjust"}, name="stock_adjust"),
    path(
        "stock/<int:pk>/write-off/",
        views.stock_move,
        {"kind": "write_off"},
        name="stock_write_off",
    ),
    path("labels/", views.labels, name="labels"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_plan, name="session_plan"),
    path("sessions/<int:pk>/status/", views.session_status, name="session_status"),
    path("sessions/<int:pk>/announce/", views.session_announce, name="session_announce"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("conflicts/<int:pk>/resolve/", views.conflict_resolve, name="conflict_resolve"),
]

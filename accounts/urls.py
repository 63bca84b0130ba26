from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("equality/", views.equality_edit, name="equality"),
    path("delete/", views.account_delete, name="delete"),
    path("data/", views.data_export, name="export"),
    path("data/<uuid:token>/", views.data_export_download, name="export_download"),
]

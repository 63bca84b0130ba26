from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_index, name="index"),
    path("<slug:slug>/", views.programme_hub, name="hub"),
    path("<slug:slug>/follow/", views.programme_follow, name="follow"),
]

from django.urls import path

from . import views
from .site_urls import programme_patterns

app_name = "programmes"
urlpatterns = [
    path("", views.programme_index, name="index"),
    path("<slug:slug>/", views.programme_hub, name="hub"),
    path("<slug:slug>/follow/", views.programme_follow, name="follow"),
    *programme_patterns,
]

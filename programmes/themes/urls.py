"""Included in the staff area as "staff:themes:"."""

from django.urls import path

from . import views

patterns = [
    path("", views.theme_index, name="index"),
    path("<slug:slug>/", views.codebook, name="codebook"),
    path("<slug:slug>/coding/", views.coding, name="coding"),
    path("<slug:slug>/runs/", views.runs, name="runs"),
    path("<slug:slug>/runs/<int:pk>/", views.run_page, name="run"),
    path("<slug:slug>/suggestions/", views.suggestions, name="suggestions"),
    path("<slug:slug>/counts/", views.counts, name="counts"),
    path("<slug:slug>/<int:pk>/", views.theme_page, name="theme"),
]

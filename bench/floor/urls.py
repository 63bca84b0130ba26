"""One view: a ~10 KB page from a template loop, no database (the same page as Talk Health's
/bench/floor/, so the two differ only in the project around them)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from .items import ITEMS


def floor(request):
    return render(request, "bench/floor.html", {"items": ITEMS, "title": "Benchmark floor"})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", floor), path("healthz", healthz)]

"""The floor for page benchmarks: Django's whole request path and a ~10 KB template, no database.

Mounted at /bench/floor/ only when settings.BENCH_FLOOR_VIEW is true (bench/settings.py sets it
from the environment), so it never exists on a real deployment.
"""

from django.shortcuts import render
from django.urls import path

from bench.floor.items import ITEMS


def floor(request):
    return render(request, "bench/floor.html", {"items": ITEMS, "title": "Benchmark floor"})


urlpatterns = [path("", floor, name="bench_floor")]

"""The floor for page benchmarks: Django's whole request path and a ~10 KB template, no database.

Mounted at /bench/floor/ only when settings.BENCH_FLOOR_VIEW is true (bench/settings.py sets it
from the environment), so it never exists on a real deployment.
"""

from django.shortcuts import render
from django.urls import path

ITEMS = [
    {
        "number": number,
        "title": f"Discussion {number}: how could local services work better for you?",
        "summary": "A short summary of a conversation between Londoners, written in plain English, with a "
        "couple of sentences about what people said and what the programme team is doing next.",
        "replies": number * 3 % 17,
        "likes": number * 7 % 23,
    }
    for number in range(1, 16)
]


def floor(request):
    return render(request, "bench/floor.html", {"items": ITEMS, "title": "Benchmark floor"})


urlpatterns = [path("", floor, name="bench_floor")]

"""Staff pages for who was heard, and the evidence packs built from the same figures."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from ..reports.forms import ReportForm
from ..staff import staff_only
from . import baseline, selectors

ABOUT = {"caveats": baseline.CAVEATS, "source": baseline.SOURCE}


def outreach_url(report, dimension, row) -> str:
    """The staff event form, prefilled to plan a session with an under-heard group."""
    where = row.label if dimension.key == "borough" else f"{row.label} ({dimension.title.lower()})"
    about = report.programme.short_name if report.programme else "health services in London"
    initial = {
        "title": f"Listening session: {where}",
        "description": f"A session to hear from people we have heard too little from ({where}) about {about}.",
    }
    if report.programme is not None:
        initial["programme"] = report.programme.pk
    if dimension.key == "borough":
        initial["borough"] = row.code
    return f"{reverse('staff:event_create')}?{urlencode(initial)}"


def period_form(request) -> tuple[ReportForm, dict | None]:
    """The programme-and-period form the staff pages share; its choices, or None when invalid."""
    form = ReportForm(request.GET if "start" in request.GET else None, initial=ReportForm.default_initial())
    if not form.is_bound:
        return form, {"programme": None, **ReportForm.default_initial()}
    return form, (form.cleaned_data if form.is_valid() else None)


@staff_only("programmes.view_reports")
def representativeness(request):
    form, choice = period_form(request)
    context = {"form": form, **ABOUT}
    if choice is not None:
        report = selectors.representativeness(programme=choice["programme"], start=choice["start"], end=choice["end"])
        context["report"] = report
        context["outreach"] = [(d, r, outreach_url(report, d, r)) for d, r in report.under_heard]
    return render(request, "programmes/staff/representativeness.html", context, status=400 if form.errors else 200)

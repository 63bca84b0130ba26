"""Staff pages for who was heard, and the evidence packs built from the same figures."""

import base64
import hashlib
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from ..reports.forms import ReportForm
from ..staff import staff_only
from . import baseline, selectors, services
from .models import EvidencePack

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


class EvidencePackForm(ReportForm):
    """A pack is per programme, for a period."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].required = True
        self.fields["programme"].empty_label = "Choose a programme"
        self.fields["programme"].error_messages["required"] = "Choose the programme the pack is for"


@staff_only("programmes.build_evidence_pack")
def pack_list(request):
    initial = {**ReportForm.default_initial(), "programme": request.GET.get("programme")}
    form = EvidencePackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        pack = services.evidence_pack_request(actor=request.user, **form.cleaned_data)
        messages.success(request, "The evidence pack is being built. This page shows its progress.")
        return redirect(pack)
    return render(
        request,
        "programmes/staff/evidence_pack_list.html",
        {"form": form, "packs": selectors.packs_for_staff()},
        status=400 if form.errors else 200,
    )


@staff_only("programmes.build_evidence_pack")
def pack_detail(request, pk):
    pack = get_object_or_404(EvidencePack.objects.select_related("programme", "published_by"), pk=pk)
    if request.method == "POST":
        try:
            services.evidence_pack_publish(actor=request.user, pack=pack)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "The summary is published on the programme's page.")
        return redirect(pack)
    partial = "programmes/staff/_evidence_pack_progress.html"
    return render(request, partial if request.htmx else "programmes/staff/evidence_pack.html", {"pack": pack})


DOWNLOADS = {
    "html": ("html", "text/html; charset=utf-8", "pack.html"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pack.docx"),
    "zip": ("tables", "application/zip", "tables.zip"),
}


@staff_only("programmes.build_evidence_pack")
def pack_download(request, pk, kind):
    if kind not in DOWNLOADS:
        raise Http404
    field, content_type, name = DOWNLOADS[kind]
    built = [EvidencePack.Status.DRAFT, EvidencePack.Status.PUBLISHED]
    pack = get_object_or_404(EvidencePack, pk=pk, status__in=built)
    file = getattr(pack, field)
    if not file:
        raise Http404
    filename = f"evidence-{pack.start:%Y%m%d}-{pack.end:%Y%m%d}-{name}"
    if kind == "html":
        content = file.open("rb").read()
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Security-Policy"] = pack_policy(content)
        return response
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


def pack_policy(html: bytes) -> str:
    """The HTML pack is one self-contained file (its stylesheet inline, so it prints and travels by
    email): no scripts, nothing fetched, and only its own style blocks allowed, by their hashes."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'"
        for block in re.findall(rb"<style[^>]*>(.*?)</style>", html, re.S)
    )
    styles = hashes or "'none'"
    return f"default-src 'none'; style-src {styles}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def pack_summary(request, slug, pk):
    """A published pack's report, public on the programme's pages. Drafts answer 404."""
    pack = selectors.published_pack(slug=slug, pk=pk)
    return render(request, "programmes/evidence/summary.html", {"pack": pack, "programme": pack.programme})

"""Staff-only engagement reports and discussion exports."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from ..staff import staff_only
from . import charts, exports, selectors
from .forms import ExportForm, ReportForm
from .models import DiscussionExport


@staff_only("programmes.view_reports")
def report(request):
    form = ReportForm(request.GET if "start" in request.GET else None, initial=ReportForm.default_initial())
    context = {"form": form}
    if not form.is_bound:
        initial = ReportForm.default_initial()
        context["report"] = selectors.engagement_report(start=initial["start"], end=initial["end"])
    elif form.is_valid():
        data = form.cleaned_data
        context["report"] = selectors.engagement_report(
            programme=data["programme"], start=data["start"], end=data["end"]
        )
    if "report" in context:
        context["weekly_chart"] = charts.weekly_columns(context["report"].weeks)
        context["borough_chart"] = charts.horizontal_bars([b for b in context["report"].boroughs if not b.is_small])
    return render(request, "programmes/staff/report.html", context, status=400 if form.errors else 200)


@staff_only("programmes.export_discussions")
def export_list(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export = exports.export_request(actor=request.user, programme=form.cleaned_data["programme"])
        messages.success(request, "The export has started. This page shows its progress.")
        return redirect(export)
    return render(request, "programmes/staff/export_list.html", {"form": form, "exports": exports.exports_for_staff()})


@staff_only("programmes.export_discussions")
def export_detail(request, pk):
    export = get_object_or_404(DiscussionExport.objects.select_related("programme"), pk=pk)
    template = "programmes/staff/_export_progress.html" if request.htmx else "programmes/staff/export_detail.html"
    return render(request, template, {"export": export})


@staff_only("programmes.export_discussions")
def export_download(request, pk):
    export = get_object_or_404(DiscussionExport, pk=pk, status=DiscussionExport.Status.DONE)
    if not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="text/csv",
    )

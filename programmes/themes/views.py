"""Staff pages for themes, per programme: codebook, coding, discovery, suggestions, counts.
Each view validates a form and calls a service; every page works without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from forums.models import Board

from ..models import Programme
from ..reports import charts
from ..staff import staff_only
from . import discovery, outcomes, public, selectors, services
from .forms import (
    CodingFilterForm,
    CodingForm,
    CrossTabForm,
    DecisionForm,
    MergeForm,
    ProposalForm,
    RunForm,
    SplitForm,
    ThemeForm,
)
from .models import DiscoveryRun, ProposedTheme, Quote, Theme

VIEW = "programmes.view_themes"


def _programme(slug):
    return get_object_or_404(Programme.objects.only("id", "slug", "short_name", "name"), slug=slug)


def _apply(form, call):
    """Run a service for a valid form; its ValidationError shows on the form in place."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data) or True
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@staff_only(VIEW)
def theme_index(request):
    return render(
        request, "programmes/themes/index.html", {"programmes": Programme.objects.only("slug", "short_name")}
    )


@staff_only(VIEW)
def codebook(request, slug):
    programme = _programme(slug)
    form = ThemeForm(request.POST or None, programme=programme)
    if request.method == "POST":
        theme = _apply(form, lambda d: services.theme_create(actor=request.user, programme=programme, **d))
        if theme:
            messages.success(request, f"“{theme.name}” is in the codebook.")
            return redirect("staff:themes:codebook", slug=slug)
    context = {"programme": programme, "form": form, "book": selectors.codebook(programme)}
    return render(request, "programmes/themes/codebook.html", context, status=400 if form.errors else 200)


THEME_FORMS = {"edit": ThemeForm, "merge": MergeForm, "split": SplitForm, "decision": DecisionForm}


@staff_only(VIEW)
def theme_page(request, slug, pk):
    programme = _programme(slug)
    theme = get_object_or_404(
        Theme.objects.select_related("programme", "parent", "merged_into"), programme=programme, pk=pk
    )
    detail = selectors.theme_detail(theme)
    action = request.POST.get("action", "")
    data = lambda name: request.POST if action == name else None
    forms = {
        "edit": ThemeForm(
            data("edit"),
            programme=programme,
            theme=theme,
            initial={
                "name": theme.name,
                "description": theme.description,
                "inclusion_notes": theme.inclusion_notes,
                "parent": theme.parent_id,
            },
        ),
        "merge": MergeForm(data("merge"), theme=theme),
        "split": SplitForm(data("split"), items=detail.items),
        "decision": DecisionForm(data("decision"), detail=detail),
    }
    if request.method == "POST":
        done, user = None, request.user
        if action == "edit":
            done = _apply(forms["edit"], lambda d: services.theme_edit(actor=user, theme=theme, **d))
        elif action == "merge":
            done = _apply(forms["merge"], lambda d: services.theme_merge(actor=user, source=theme, target=d["target"]))
            if done:
                messages.success(request, f"“{theme.name}” is merged into “{done.name}”.")
                return redirect(done)
        elif action == "split":
            done = _apply(
                forms["split"], lambda d: services.theme_split(actor=user, theme=theme, name=d["name"], keys=d["keys"])
            )
        elif action == "retire":
            services.theme_retire(actor=user, theme=theme)
            messages.success(request, f"“{theme.name}” is retired.")
            return redirect("staff:themes:codebook", slug=slug)
        elif action == "decision":
            done = _apply(
                forms["decision"],
                lambda d: outcomes.theme_decision_link(
                    actor=user, theme=theme, update=d["update"], response=d["response"]
                ),
            )
            if done:
                messages.success(
                    request,
                    f"Linked. {done.people_told} contributor{'s are' if done.people_told != 1 else ' is'} being told.",
                )
        elif action == "quote":
            try:
                outcomes.quote_choose(actor=user, theme=theme, key=request.POST.get("key", ""))
                done = True
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(theme)
        elif action == "unquote":
            quote = get_object_or_404(Quote, theme=theme, pk=request.POST.get("quote") or 0)
            outcomes.quote_remove(actor=user, quote=quote)
            done = True
        if done:
            if action in ("edit", "split", "quote", "unquote"):
                messages.success(request, "Saved.")
            return redirect(theme)
    errors = next((f for f in forms.values() if f.errors), None)
    context = {"programme": programme, "theme": theme, "detail": detail, "forms": forms, "form": errors}
    return render(request, "programmes/themes/theme.html", context, status=400 if errors else 200)


@staff_only(VIEW)
def coding(request, slug):
    programme = _programme(slug)
    boards = Board.objects.filter(programme=programme).only("id", "name").order_by("position", "name")
    filters_form = CodingFilterForm(request.GET or None, boards=list(boards))
    filters = selectors.CodingFilters()
    if filters_form.is_bound and filters_form.is_valid():
        data = filters_form.cleaned_data
        filters = selectors.CodingFilters(
            **{k: data[k] or None for k in ("board", "thread", "start", "end")},
            source=data["source"] or "",
            borough=data["borough"] or "",
        )
    data = selectors.coding_page(programme, filters=filters, page=request.GET.get("page") or 1)
    form = CodingForm(request.POST if request.method == "POST" else None, items=data.items, themes=data.themes)
    if request.method == "POST" and form.is_valid():
        codes = form.codes()
        if not codes:
            form.add_error(None, "Choose at least one theme for an item before saving.")
        else:
            try:
                count = services.items_code(actor=request.user, programme=programme, codes=codes)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{count} item{'s' if count != 1 else ''} coded.")
                return redirect(request.get_full_path())
    rows = [(item, form[item.key], data.suggested.get(item.key, [])) for item in data.items]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "data": data,
        "rows": rows,
        "form": form,
        "filters": filters_form,
        "query": query.urlencode(),
        "theme_names": {t.pk: t.name for t in data.themes},
    }
    return render(request, "programmes/themes/coding.html", context, status=400 if form.errors else 200)


@staff_only(VIEW)
def runs(request, slug):
    programme = _programme(slug)
    form = RunForm(request.POST or None)
    if request.method == "POST":
        job = DiscoveryRun.Job.SUGGEST if request.POST.get("job") == "suggest" else DiscoveryRun.Job.DISCOVER
        run = _apply(form, lambda d: discovery.run_request(actor=request.user, programme=programme, job=job, **d))
        if run:
            return redirect(run)
    recent = DiscoveryRun.objects.filter(programme=programme).select_related("requested_by")[:20]
    return render(
        request,
        "programmes/themes/runs.html",
        {"programme": programme, "form": form, "runs": recent},
        status=400 if form.errors else 200,
    )


@staff_only(VIEW)
def run_page(request, slug, pk):
    programme = _programme(slug)
    run = get_object_or_404(
        DiscoveryRun.objects.select_related("programme", "requested_by"), programme=programme, pk=pk
    )
    if request.htmx and request.method == "GET":
        return render(request, "programmes/themes/_run_progress.html", {"run": run, "programme": programme})
    errors = {}
    if request.method == "POST":
        proposal = get_object_or_404(ProposedTheme, run=run, pk=request.POST.get("proposal") or 0)
        action, user = request.POST.get("action"), request.user
        try:
            if action == "accept":
                form = ProposalForm(request.POST)
                if form.is_valid():
                    theme = discovery.proposal_accept(actor=user, proposal=proposal, name=form.cleaned_data["name"])
                    messages.success(request, f"“{theme.name}” is in the codebook.")
                    return redirect(run)
                errors[proposal.pk] = form.errors["name"][0]
            elif action == "merge":
                theme = get_object_or_404(Theme, programme=programme, pk=request.POST.get("theme") or 0)
                discovery.proposal_merge(actor=user, proposal=proposal, theme=theme)
                return redirect(run)
            elif action == "discard":
                discovery.proposal_discard(actor=user, proposal=proposal)
                return redirect(run)
        except ValidationError as error:
            errors[proposal.pk] = " ".join(error.messages)
    proposals = list(run.proposals.select_related("theme"))
    examples = {}
    if proposals:
        by_key = {i.key: i for i in discovery.corpus_items(programme=programme)}
        examples = {p.pk: [by_key[k] for k in p.examples if k in by_key] for p in proposals}
    context = {
        "programme": programme,
        "run": run,
        "proposals": [(p, examples.get(p.pk, []), errors.get(p.pk)) for p in proposals],
        "themes": selectors.active_themes(programme),
        "errors": errors,
    }
    return render(request, "programmes/themes/run.html", context, status=400 if errors else 200)


@staff_only(VIEW)
def suggestions(request, slug):
    programme = _programme(slug)
    if request.method == "POST":
        confirm = request.POST.get("decision") == "confirm"
        ids = [int(i) for i in request.POST.getlist("coding") if i.isdigit()]
        if ids:
            n = services.suggestions_decide(actor=request.user, programme=programme, coding_ids=ids, confirm=confirm)
            messages.success(
                request, f"{n} suggestion{'s' if n != 1 else ''} {'confirmed' if confirm else 'rejected'}."
            )
        else:
            messages.error(request, "Choose at least one suggestion.")
        return redirect("staff:themes:suggestions", slug=slug)
    rows = selectors.suggestions(programme)
    return render(request, "programmes/themes/suggestions.html", {"programme": programme, "rows": rows})


@staff_only(VIEW)
def counts(request, slug):
    programme = _programme(slug)
    form = CrossTabForm(request.GET if "dimension" in request.GET else None, initial={"dimension": "board"})
    table = chart = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {"dimension": "board", "start": None, "end": None}
        table = selectors.crosstab(programme, **data)
        shown = [(theme, table.totals[theme.pk]) for theme, _, _ in table.rows if table.totals[theme.pk] >= 10]
        chart = charts.horizontal_bars(
            sorted(shown, key=lambda r: -r[1]), value=lambda r: r[1], label=lambda r: r[0].name
        )
    return render(
        request,
        "programmes/themes/counts.html",
        {"programme": programme, "form": form, "table": table, "chart": chart},
        status=400 if form.errors else 200,
    )


def public_theme(request, slug, pk):
    """What Londoners told the partnership about one theme, and the decisions it fed: public once a
    theme is linked to a decision. Not cached: its counts and quotes follow every takedown at once,
    and a contributor signed in sees their own words."""
    data = public.public_theme(slug=slug, pk=pk, user=request.user)
    return render(request, "programmes/themes/public.html", {"programme": data.theme.programme, "data": data})

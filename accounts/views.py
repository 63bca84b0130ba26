from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import services
from .forms import AccountDeleteForm, EqualityForm, ProfileForm
from .models import DataExport, EqualityAnswers


@login_required
def profile_edit(request):
    """The signed-in person's own profile: public display name and borough."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(actor=request.user, user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile has been updated.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


@never_cache
@login_required
def equality_edit(request):
    """The person's own equality answers: asked once after sign-up (skippable) and editable here.
    Withdrawing deletes them. Only the person ever sees this page's contents."""
    answers = EqualityAnswers.objects.filter(user=request.user).first()
    next_url = _next_url(request)
    if request.method == "POST" and "withdraw" in request.POST:
        services.equality_answers_withdraw(actor=request.user, user=request.user)
        messages.success(request, "Your equality answers have been deleted.")
        return redirect("accounts:equality")
    form = EqualityForm(request.POST or None, answers=answers)
    if request.method == "POST" and form.is_valid():
        services.equality_answers_save(actor=request.user, user=request.user, consent=True, **form.answers)
        messages.success(request, "Thank you. Your equality answers have been saved.")
        return redirect(next_url or "accounts:equality")
    return render(
        request,
        "accounts/equality.html",
        {"form": form, "answers": answers, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
def account_delete(request):
    """Delete the signed-in person's account, once they confirm with their password."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(actor=request.user, user=request.user, erase_posts=form.erase_posts)
        logout(request)
        messages.success(request, "Your account has been deleted. Thank you for taking part in Talk Health.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
def data_export(request):
    """Ask for a copy of your information; the page lists recent requests and their links."""
    if request.method == "POST":
        try:
            services.data_export_request(actor=request.user)
        except ValidationError as error:
            exports = list(request.user.data_exports.all()[:5])
            context = {"exports": exports, "days": services.EXPORT_DAYS, "error": " ".join(error.messages)}
            return render(request, "accounts/export.html", context, status=429)
        messages.success(
            request,
            "We are preparing your information. We will email you a link when it is ready, usually within minutes.",
        )
        return redirect("accounts:export")
    exports = list(request.user.data_exports.all()[:5])
    return render(request, "accounts/export.html", {"exports": exports, "days": services.EXPORT_DAYS})


@never_cache
@login_required
def data_export_download(request, token):
    """The ZIP, only for the person it belongs to and only until it expires."""
    export = get_object_or_404(DataExport, token=token, user=request.user)
    if not export.is_downloadable:
        return render(request, "accounts/export_expired.html", {"export": export}, status=410)
    try:
        handle = default_storage.open(export.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"talk-health-data-{export.ready_at:%Y-%m-%d}.zip"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from . import services
from .forms import AccountDeleteForm, ProfileForm
from .models import DataExport


@login_required
def profile_edit(request):
    """The signed-in person's own profile: public display name and borough."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(actor=request.user, user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile has been updated.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


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

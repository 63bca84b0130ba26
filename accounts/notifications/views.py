"""The inbox, email preferences and unsubscribe pages. Every action is a plain form post that works
without JavaScript; with htmx, marking one read swaps the item and the header count in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import NotificationCategory

from . import preferences, selectors, services, tokens
from .forms import PreferencesForm


def _local(request, url: str, fallback: str) -> str:
    safe = url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if safe else fallback


@login_required
def inbox(request):
    page = selectors.inbox_page(user=request.user, page=request.GET.get("page", 1))
    return render(request, "accounts/notifications/inbox.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Go to what the notification is about, marking it read on the way."""
    notification = selectors.notification_for(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_local(request, notification.url, reverse("notifications:inbox")))


@login_required
@require_POST
def notification_read(request, pk):
    notification = selectors.notification_for(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:
        return render(request, "accounts/notifications/_read.html", {"notification": notification})
    return redirect(_local(request, request.POST.get("next", ""), reverse("notifications:inbox")))


@login_required
@require_POST
def notifications_read_all(request):
    marked = services.notifications_mark_all_read(actor=request.user)
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked as read.")
    else:
        messages.info(request, "You have no unread notifications.")
    return redirect("notifications:inbox")


@login_required
def preferences_edit(request):
    form = PreferencesForm(request.POST or None, initial=preferences.for_user(request.user))
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(actor=request.user, user=request.user, frequencies=form.cleaned_data)
        messages.success(request, "Your email settings have been saved.")
        return redirect("notifications:preferences")
    return render(request, "accounts/notifications/preferences.html", {"form": form})


def _labels(categories) -> list[str]:
    return [NotificationCategory(category).label for category in categories]


def _invalid(request):
    return render(request, "accounts/notifications/unsubscribe_invalid.html", status=400)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The link in every email's List-Unsubscribe header and footer.

    A mail client's one-click POST (RFC 8058: body "List-Unsubscribe=One-Click", no cookies) is
    exempt from CSRF; the token alone is the permission. A browser gets a confirmation page, and
    its button is an ordinary CSRF-protected form. GET never changes anything.
    """
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        try:
            services.notification_unsubscribe(token=token)
        except BadSignature:
            return HttpResponse("This unsubscribe link is not valid.\n", status=400, content_type="text/plain")
        return HttpResponse("You have been unsubscribed.\n", content_type="text/plain")
    return _unsubscribe_page(request, token)


@csrf_protect
def _unsubscribe_page(request, token):
    try:
        _, categories = tokens.read(token)
    except BadSignature:
        return _invalid(request)
    if request.method == "POST":
        try:
            _, categories = services.notification_unsubscribe(token=token)
        except BadSignature:
            return _invalid(request)
        return render(request, "accounts/notifications/unsubscribe_done.html", {"labels": _labels(categories)})
    return render(request, "accounts/notifications/unsubscribe.html", {"labels": _labels(categories), "token": token})

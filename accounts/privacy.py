"""A person's data: what "Download my data" contains and what "Delete my account" erases.

Every app that holds personal data has a `privacy` module, found the way admin.py is found, with
`export(user) -> {file name: data}` for the download and, if it holds anything to erase,
`erase(*, user, erase_posts)`. Accounts sits below the other apps and cannot import them, so it
asks each installed app for its module instead of naming it. Erasing runs from the top layer
down, so each app still finds the person as they were; accounts scrubs the person last.
"""

from importlib import import_module
from types import ModuleType

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Count, F, Value
from django.db.models.functions import Greatest, Replace
from django.utils import timezone

from . import equality
from .models import (
    DataExport,
    EqualityAnswers,
    EqualitySnapshot,
    Notification,
    NotificationFanOut,
    NotificationPreference,
    User,
)
from .names import DELETED_NAME
from .notifications import preferences
from .roles import Role


def providers() -> list[ModuleType]:
    """The installed apps' privacy modules, in INSTALLED_APPS order (lowest layer first)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.privacy"
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return found


def page_tags(user) -> set[str]:
    """Page-cache tags of every page showing the person: their profile and what each app's
    `pages_showing(user)` names (the threads they posted in, say)."""
    tags = {f"person:{user.pk}"}
    for provider in providers():
        if hasattr(provider, "pages_showing"):
            tags |= provider.pages_showing(user)
    return tags


def when(value) -> str | None:
    return value.isoformat() if value else None


def _equality(user) -> dict:
    """The person's equality answers and the day-by-day snapshots taken when they took part."""
    answers = EqualityAnswers.objects.filter(user=user).first()
    snapshots = EqualitySnapshot.objects.filter(user=user).select_related("programme").order_by("day", "pk")
    return {
        "consented": when(answers.consented_at) if answers else None,
        "answers": {q: equality.label(f, getattr(answers, f)) for f, q in equality.QUESTIONS.items()}
        if answers
        else {},
        "as_you_took_part": [
            {
                "day": snapshot.day.isoformat(),
                "programme": snapshot.programme.short_name,
                "borough": snapshot.get_borough_display() if snapshot.borough else "",
                **{f: equality.label(f, getattr(snapshot, f)) for f in equality.FIELDS},
            }
            for snapshot in snapshots
        ],
    }


def export(user) -> dict:
    roles = [role.label for role in Role if user.has_role(role)]
    return {
        "profile.json": {
            "email": user.email,
            "display_name": user.display_name,
            "borough": user.get_borough_display() if user.borough else "",
            "show_borough_on_profile": user.show_borough,
            "email_confirmed": user.email_verified,
            "roles": roles,
            "joined": when(user.date_joined),
            "last_signed_in": when(user.last_login),
            "email_addresses": [
                {"email": address.email, "confirmed": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "preferences.json": {
            "email_notifications": {
                str(preferences.Category(category).label): str(preferences.Frequency(frequency).label)
                for category, frequency in preferences.for_user(user).items()
            },
            "show_borough_on_profile": user.show_borough,
        },
        "equality.json": _equality(user),
        "notifications.json": [
            {
                "about": note.get_category_display(),
                "title": note.title,
                "excerpt": note.excerpt,
                "link": note.url,
                "created": when(note.created_at),
                "read": when(note.read_at),
                "email": note.get_email_status_display(),
                "emailed": when(note.email_sent_at),
            }
            for note in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
    }


def erase(*, user, erase_posts: bool) -> None:
    """Called last: the inbox, equality answers, email choices and addresses go, what others were told about the
    person loses their name (and, with `erase_posts`, their words), then the row itself keeps only
    what lets their posts say "Deleted user"."""
    Notification.objects.filter(recipient=user).delete()
    EqualityAnswers.objects.filter(user=user).delete()
    EqualitySnapshot.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    if erase_posts:
        quoting = Notification.objects.filter(actor=user)
        unread = quoting.filter(read_at=None).values("recipient").annotate(n=Count("pk")).order_by()
        for row in unread:
            User.objects.filter(pk=row["recipient"]).update(
                unread_notification_count=Greatest(F("unread_notification_count") - row["n"], 0)
            )
        quoting.delete()
    for model in (Notification, NotificationFanOut):
        scrubbed = {"title": Replace(F("title"), Value(user.display_name), Value(DELETED_NAME)), "actor": None}
        if erase_posts:
            scrubbed["excerpt"] = ""
        model.objects.filter(actor=user).update(**scrubbed)
    EmailAddress.objects.filter(user=user).delete()
    for export in DataExport.objects.filter(user=user).exclude(file=""):
        default_storage.delete(export.file)
    DataExport.objects.filter(user=user).delete()
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)).update(
        object_repr=DELETED_NAME, change_message=""
    )
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = DELETED_NAME
    user.borough = ""
    user.show_borough = False
    user.email_verified = False
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.unread_notification_count = 0
    user.deleted_at = timezone.now()
    user.date_joined = user.deleted_at
    user.set_unusable_password()
    user.save()

"""Writes about people. Each checks its own permission, so views and commands behave alike."""

import io
import json
import zipfile
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone

from talkhealth import outbox, pagecache, timefmt
from talkhealth.insert_select import SQL, insert_select

from . import emails, privacy
from .equality import FIELDS as EQUALITY_FIELDS
from .models import AccountDeletion, DataExport, EqualityAnswers, EqualitySnapshot, User
from .names import normalise
from .rules import is_self
from .roles import Role

UNCONFIRMED_DAYS = 14
EXPORT_DAYS = 7
EXPORT_README = """Your information from Talk Health, as it was on {date}.

Each file is JSON (https://www.json.org), readable in a text editor or a spreadsheet:
{files}

Times are in UTC. Links are relative to {site}.
"""


@transaction.atomic
def user_update_profile(
    *, actor: User, user: User, display_name: str, borough: str, show_borough: bool = False
) -> User:
    """The borough shows on the public profile only while `show_borough` is on, and only if there is one."""
    if not actor.has_perm("accounts.change_user", user):
        raise PermissionDenied("You can only change your own profile.")
    user.display_name = normalise(display_name)
    user.borough = borough
    user.show_borough = bool(show_borough and borough)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "borough", "show_borough"])
    pagecache.invalidate_on_commit(*privacy.page_tags(user))
    return user


@transaction.atomic
def user_mark_email_verified(*, user: User) -> User:
    """Called when allauth confirms the person's primary address."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: Role) -> None:
    """Add `user` to the role's group. `actor=None` is the server operator (a management command)."""
    if actor is not None and not actor.has_perm("accounts.grant_role"):
        raise PermissionDenied("Only administrators can grant roles.")
    user.groups.add(Group.objects.get(name=role.group_name))
    user.__dict__.pop("_role_names", None)


@transaction.atomic
def role_revoke(*, actor: User | None, user: User, role: Role) -> None:
    if actor is not None and not actor.has_perm("accounts.grant_role"):
        raise PermissionDenied("Only administrators can revoke roles.")
    user.groups.remove(Group.objects.get(name=role.group_name))
    user.__dict__.pop("_role_names", None)


@transaction.atomic
def account_delete(*, actor: User, user: User, erase_posts: bool) -> AccountDeletion:
    """Delete a person's account. Their personal data goes at once, in every app; their posts
    stay as by "Deleted user", or with `erase_posts` are erased, keeping their place so replies
    still make sense. The row stays, scrubbed, so nothing pointing at it breaks. Moderators get a
    record that a deletion happened, without the personal data."""
    if not actor.has_perm("accounts.delete_user", user):
        raise PermissionDenied("You can only delete your own account.")
    if user.deleted_at is not None:
        raise ValidationError("This account has already been deleted.", code="deleted")
    user_id = user.pk
    pages = privacy.page_tags(user)
    for provider in reversed(privacy.providers()):
        if hasattr(provider, "erase"):
            provider.erase(user=user, erase_posts=erase_posts)
    sessions_end(user_ids={user_id})
    pagecache.invalidate_on_commit(*pages)
    return AccountDeletion.objects.create(
        account_id=user_id,
        reason=AccountDeletion.Reason.REQUESTED,
        posts=AccountDeletion.Posts.ERASED if erase_posts else AccountDeletion.Posts.KEPT,
    )


@transaction.atomic
def equality_answers_save(*, actor: User, user: User, consent: bool, **answers) -> EqualityAnswers:
    """Equality answers are special-category data, kept only with the person's explicit consent,
    whose moment is recorded; answering again keeps the first consent's time."""
    if not is_self(actor, user):
        raise PermissionDenied("Only the person can give their equality answers.")
    if not consent:
        raise ValidationError("Equality answers are kept only with consent.", code="consent")
    now = timezone.now()
    row = EqualityAnswers.objects.filter(user=user).first() or EqualityAnswers(user=user, consented_at=now)
    for field in EQUALITY_FIELDS:
        value = answers.get(field)
        setattr(row, field, value if value not in (None, "") else (None if field == "year_of_birth" else ""))
    row.updated_at = now
    row.full_clean(exclude=["user"])
    row.save()
    return row


@transaction.atomic
def equality_answers_withdraw(*, actor: User, user: User) -> None:
    """Withdrawing consent deletes the answers and clears them from every snapshot of the person."""
    if not is_self(actor, user):
        raise PermissionDenied("Only the person can withdraw their equality answers.")
    EqualityAnswers.objects.filter(user=user).delete()
    EqualitySnapshot.objects.filter(user=user).update(
        **{field: None if field == "year_of_birth" else "" for field in EQUALITY_FIELDS}
    )


def equality_snapshot_take(*, user: User, programme_id: int, when=None) -> None:
    """Record who the person is as they take part in a programme: their borough and, if they
    consented, their equality answers. The first contribution of a London day takes the day's
    snapshot; later ones that day change nothing (one row per person, programme and day), so
    figures count a person as they were on the day and do not drift later. One INSERT … SELECT of
    their row and their answers, if any."""
    day = timezone.localdate(when or timezone.now())
    quote = connection.ops.quote_name
    equality = EqualityAnswers._meta
    answers = {  # NULL where they gave none: blank, as the model's defaults
        name: SQL(f"answers.{quote(field.column)}" if field.null else f"COALESCE(answers.{quote(field.column)}, '')")
        for name in EQUALITY_FIELDS
        for field in [EqualitySnapshot._meta.get_field(name)]
    }
    insert_select(
        EqualitySnapshot,
        {
            "user": SQL('source."pk"'),
            "programme_id": programme_id,
            "day": day,
            "borough": SQL('source."borough"'),
            **answers,
        },
        User.objects.filter(pk=user.pk).values_list("pk", "borough"),
        join=SQL(
            f"LEFT JOIN {quote(equality.db_table)} answers ON answers.{quote(equality.get_field('user').column)} = "
            'source."pk"'
        ),
        ignore_conflicts=True,
    )


def users_purge_unconfirmed(*, now=None) -> int:
    """Accounts whose email address was never confirmed are deleted UNCONFIRMED_DAYS after sign-up.
    Nobody unconfirmed can post, so nothing else is lost; anyone who somehow holds something that
    must stay (an administrator's audit entry, say) is left for a person to look at."""
    cutoff = (now or timezone.now()) - timedelta(days=UNCONFIRMED_DAYS)
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    stale = User.objects.filter(
        email_verified=False, deleted_at=None, is_staff=False, is_superuser=False, date_joined__lt=cutoff
    ).exclude(Exists(confirmed))
    purged = set()
    for user in stale.iterator():
        try:
            with transaction.atomic():
                user_id = user.pk
                user.delete()
                AccountDeletion.objects.create(
                    reason=AccountDeletion.Reason.UNCONFIRMED, posts=AccountDeletion.Posts.NONE
                )
        except ProtectedError:
            continue
        purged.add(user_id)
    sessions_end(user_ids=purged)
    return len(purged)


def sessions_end(*, user_ids: set[int]) -> int:
    """Sign these people out everywhere by deleting their sessions. Sessions do not record whose they
    are in a column, so each one is read: fine for an occasional deletion, not for a hot path."""
    if not user_ids or settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    wanted = {str(pk) for pk in user_ids}
    ended = 0
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) in wanted:
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def data_export_request(*, actor: User) -> DataExport:
    """Ask for a copy of one's data. A request already being prepared is returned, not repeated
    (unless it has been stuck for an hour, when the task must have failed), and a new one is made
    at most once every ACCOUNTS_DATA_EXPORT_EVERY_HOURS: each is a whole copy of a person's data."""
    if not actor.has_perm("accounts.export_data", actor):
        raise PermissionDenied("Sign in to download your information.")
    now = timezone.now()
    pending = actor.data_exports.filter(status=DataExport.Status.PENDING, requested_at__gte=now - timedelta(hours=1))
    if (found := pending.first()) is not None:
        return found
    every = timedelta(hours=settings.ACCOUNTS_DATA_EXPORT_EVERY_HOURS)
    last = (
        actor.data_exports.exclude(status=DataExport.Status.PENDING)
        .filter(requested_at__gt=now - every)
        .order_by("-requested_at")
        .first()
    )
    if last is not None:
        raise ValidationError(
            f"You can ask for a copy of your information once every {settings.ACCOUNTS_DATA_EXPORT_EVERY_HOURS} "
            f"hours. You can ask again from {timefmt.exact(last.requested_at + every)}.",
            code="too_soon",
        )
    export = DataExport.objects.create(user=actor)
    outbox.job_enqueue("accounts.data_export_build", export.pk)
    return export


def data_export_contents(*, user: User) -> dict[str, object]:
    """Every app's files for `user`: {file name: data}."""
    files: dict[str, object] = {}
    for provider in privacy.providers():
        files.update(provider.export(user))
    return files


def data_export_build(*, export_id: int) -> DataExport | None:
    """Write the ZIP to private storage, mark it ready for EXPORT_DAYS and email the link.
    Safe to run twice: only a pending request is built."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status != DataExport.Status.PENDING or export.user.deleted_at is not None:
            return export
        now = timezone.now()
        files = data_export_contents(user=export.user)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            readme = EXPORT_README.format(
                date=now.strftime("%-d %B %Y"), files="\n".join(f"- {name}" for name in files), site=settings.SITE_URL
            )
            archive.writestr("README.txt", readme)
            for name, data in files.items():
                archive.writestr(name, json.dumps(data, indent=2, ensure_ascii=False, default=str))
        export.file = default_storage.save(f"private/exports/{export.token}.zip", ContentFile(buffer.getvalue()))
        export.size = buffer.tell()
        export.status, export.ready_at = DataExport.Status.READY, now
        export.expires_at = now + timedelta(days=EXPORT_DAYS)
        export.save(update_fields=["file", "size", "status", "ready_at", "expires_at"])
        emails.queue(_export_email(export))
    return export


def _export_email(export: DataExport) -> EmailMultiAlternatives:
    context = {"export": export, "url": f"{settings.SITE_URL}{export.get_absolute_url()}", "days": EXPORT_DAYS}
    return EmailMultiAlternatives(
        subject="Talk Health: your information is ready to download",
        body=render_to_string("accounts/emails/data_export_ready.txt", context),
        to=[export.user.email],
    )


def data_exports_purge(*, now=None) -> int:
    """Delete the files of downloads past their expiry; the request stays, marked expired.
    Requests that never finished are dropped after a day."""
    now = now or timezone.now()
    DataExport.objects.filter(status=DataExport.Status.PENDING, requested_at__lt=now - timedelta(days=1)).delete()
    expired = DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
    count = 0
    for export in expired.iterator():
        _export_file_delete(export)
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="", size=0)
        count += 1
    return count


def _export_file_delete(export: DataExport) -> None:
    if export.file:
        default_storage.delete(export.file)

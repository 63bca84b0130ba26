"""Writes for engagement sessions and offline contributions: keyword-only, one transaction each,
permission checked inside, every change to a contribution written to its audit trail."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import equality
from accounts.boroughs import Borough
from forums import privacy as forum_privacy
from forums import services as forum_services
from forums.models import Comment, Thread
from forums.moderation.safety import personal_information
from talkhealth import pagecache

from ..evidence.services import evidence_packs_words_taken_down
from ..reports.models import DiscussionExport
from .models import (
    Channel,
    Consent,
    ContributionAudit,
    ContributionImport,
    EngagementSession,
    OfflineContribution,
    SessionKind,
)
from .originals import original_check, original_name

SESSION_FIELDS = (
    "kind",
    "title",
    "date",
    "borough",
    "venue",
    "facilitators",
    "attendance",
    "interpreter_languages",
    "bsl",
    "easy_read",
    "hearing_loop",
    "notes",
)
CONTRIBUTION_FIELDS = (
    "programme",
    "channel",
    "text",
    "language",
    "is_translation",
    "borough",
    "consent",
    "year_of_birth",
    "sex",
    "ethnic_group",
    "disability",
    "carer",
)


BOROUGHS = frozenset(Borough.values)
CHANNELS = frozenset(Channel.values)


def _require(actor, perm: str = "programmes.record_offline") -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied("Only partnership staff can record offline contributions.")


def _audit(contribution, action: str, actor, detail: str = "") -> None:
    ContributionAudit.objects.create(contribution=contribution, action=action, actor=actor, detail=detail[:200])


def session_clean(*, kind, title, programmes, date, borough="", attendance=None, **rest) -> dict:
    errors = {}
    title = " ".join((title or "").split())
    if kind not in SessionKind.values:
        errors["kind"] = "Choose what kind of session it was."
    if not title:
        errors["title"] = 'Give the session a name, for example "Brent roadshow".'
    if not programmes:
        errors["programmes"] = "Choose at least one programme the session was about."
    if date is None:
        errors["date"] = "Enter the date of the session."
    elif date > timezone.localdate():
        errors["date"] = "A session is recorded after it happens: the date must be today or earlier."
    if borough and borough not in Borough.values:
        errors["borough"] = "Choose a London borough, or leave it empty."
    if attendance is not None and attendance < 0:
        errors["attendance"] = "Attendance cannot be negative."
    if errors:
        raise ValidationError(errors)
    cleaned = {name: rest.get(name) for name in SESSION_FIELDS if name in rest}
    for name in ("venue", "facilitators", "interpreter_languages", "notes"):
        cleaned[name] = (cleaned.get(name) or "").strip()
    for name in ("bsl", "easy_read", "hearing_loop"):
        cleaned[name] = bool(cleaned.get(name))
    cleaned.update(kind=kind, title=title, date=date, borough=borough or "", attendance=attendance)
    return cleaned


@transaction.atomic
def session_save(*, actor, session: EngagementSession | None = None, programmes, event=None, **fields):
    """Create or change a session. `event` makes it the closing record of a listed event."""
    _require(actor)
    cleaned = session_clean(programmes=programmes, **fields)
    if event is not None:
        if event.ends_at > timezone.now():
            raise ValidationError("An event becomes a session after it has happened.", code="event_not_over")
        taken = EngagementSession.objects.filter(event=event).exclude(pk=getattr(session, "pk", None))
        if taken.exists():
            raise ValidationError("That event already has a session record.", code="event_taken")
    if session is None:
        session = EngagementSession(created_by=actor, event=event)
    elif event is not None:
        session.event = event
    for name, value in cleaned.items():
        setattr(session, name, value)
    session.save()
    session.programmes.set(programmes)
    return session


def session_initial_from_event(event) -> dict:
    """What an event already says about the session it became."""
    return {
        "kind": SessionKind.ROADSHOW,
        "title": event.title,
        "programmes": [event.programme_id],
        "date": timezone.localtime(event.starts_at).date(),
        "borough": event.borough,
        "venue": event.venue,
        "attendance": event.attendee_count or None,
    }


def contribution_clean(
    *, programmes: list, programme, text, channel, consent, borough="", year_of_birth=None, **rest
) -> dict:
    """Check one contribution's fields; errors are keyed by field, so a form and an import row
    report them the same way."""
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter what the person said or wrote."
    elif len(text) > 10000:
        errors["text"] = f"Text can be at most 10,000 characters; this has {len(text):,}."
    if programme is None or not any(p.pk == programme.pk for p in programmes):
        errors["programme"] = "Choose one of the session's programmes."
    if channel not in CHANNELS:
        errors["channel"] = "Choose how it was given: " + ", ".join(label.lower() for label in Channel.labels) + "."
    if consent not in (Consent.PUBLISH, Consent.ANALYSIS):
        errors["consent"] = "Choose what the person agreed to: publish anonymously, or analysis only."
    if borough and borough not in BOROUGHS:
        errors["borough"] = "Choose a London borough, or leave it empty."
    if year_of_birth not in (None, equality.YEAR_PREFER_NOT) and not (
        equality.OLDEST_YEAR <= year_of_birth <= date.today().year
    ):
        errors["year_of_birth"] = (
            f"Enter a year of birth between {equality.OLDEST_YEAR} and {date.today().year}, "
            f"“{equality.PREFER_NOT_LABEL}”, or leave it empty."
        )
    for name, choices in equality.CHOICES.items():
        value = (rest.get(name) or "").strip()
        if value and value not in choices.values:
            errors[name] = f"Choose one of: {'; '.join(str(label) for label in choices.labels)}; or leave it empty."
    if errors:
        raise ValidationError(errors)
    cleaned = {name: rest[name] for name in CONTRIBUTION_FIELDS if name in rest}
    cleaned["language"] = (cleaned.get("language") or "").strip() or "English"
    for name in equality.CHOICES:
        cleaned[name] = (cleaned.get(name) or "").strip()
    cleaned.update(
        programme=programme,
        text=text,
        channel=channel,
        consent=consent,
        borough=borough or "",
        year_of_birth=year_of_birth,
        is_translation=bool(cleaned.get("is_translation")),
    )
    return cleaned


def personal_check(text: str, *, confirmed: bool) -> None:
    """Ask the transcriber to redact personal information (a phone number, an NHS number, ...)
    before the words are kept; they may keep them only by saying they have checked."""
    found = personal_information(text)
    if found and not confirmed:
        message = (
            f"This seems to include {' and '.join(found)}. Replace it with [removed] before saving, or tick the box "
            "to say you have checked it is not personal information."
        )
        raise ValidationError({"text": ValidationError(message, code="personal_info")})


@transaction.atomic
def contribution_record(
    *, actor, session: EngagementSession, original=None, personal_confirmed: bool = False, **fields
) -> OfflineContribution:
    """Record what one person said at a session."""
    _require(actor)
    cleaned = contribution_clean(programmes=list(session.programmes.all()), **fields)
    personal_check(cleaned["text"], confirmed=personal_confirmed)
    if original is not None:
        original_check(original)
    now = timezone.now()
    contribution = OfflineContribution.objects.create(
        session=session, transcribed_by=actor, transcribed_at=now, created_at=now, updated_at=now, **cleaned
    )
    if original is not None:
        contribution.original.save(original_name(original), original, save=True)
    _audit(contribution, ContributionAudit.Action.ENTERED, actor)
    return contribution


@transaction.atomic
def contribution_edit(
    *, actor, contribution: OfflineContribution, original=None, personal_confirmed: bool = False, **fields
) -> OfflineContribution:
    """Correct a contribution. Words already shown in a discussion are a post there, which
    moderators edit like any other."""
    _require(actor)
    contribution = OfflineContribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.consent == Consent.WITHDRAWN:
        raise ValidationError("Consent was withdrawn, so this contribution cannot be changed.", code="withdrawn")
    cleaned = contribution_clean(programmes=list(contribution.session.programmes.all()), **fields)
    if cleaned["text"] != contribution.text:
        if contribution.comment_id:
            raise ValidationError(
                {
                    "text": "These words are shown in a discussion, so they are not changed here. A moderator can "
                    "edit the post."
                },
                code="placed",
            )
        personal_check(cleaned["text"], confirmed=personal_confirmed)
    if contribution.comment_id and cleaned["consent"] != Consent.PUBLISH:
        raise ValidationError(
            {"consent": "This is shown in a discussion. Record a withdrawal to take it down."}, code="placed"
        )
    changed = [name for name, value in cleaned.items() if getattr(contribution, name) != value]
    if original is not None:
        original_check(original)
        changed.append("original")
    for name, value in cleaned.items():
        setattr(contribution, name, value)
    contribution.updated_at = timezone.now()
    contribution.save()
    if original is not None:
        if contribution.original:
            contribution.original.delete(save=False)
        contribution.original.save(original_name(original), original, save=True)
    if changed:
        _audit(contribution, ContributionAudit.Action.EDITED, actor, "Changed: " + ", ".join(changed))
    if {"text", "consent"} & set(changed):  # a pack quoting the words as they were is rebuilt
        evidence_packs_words_taken_down(keys=[f"offline:{contribution.pk}"])
    return contribution


def marker(session: EngagementSession) -> str:
    """ "Said at the Brent roadshow, 12 May · recorded by the partnership"."""
    title = session.title if session.title.lower().startswith("the ") else f"the {session.title}"
    return f"Said at {title}, {session.date.day} {session.date:%B %Y} · recorded by the partnership"


@transaction.atomic
def contribution_publish(*, actor, contribution: OfflineContribution, thread: Thread) -> Comment:
    """Place a contribution the person agreed to publish in a discussion, as a post residents can
    read and reply to, shown with where it was said. The personal-information guard must pass."""
    _require(actor, "programmes.publish_offline")
    contribution = OfflineContribution.objects.select_for_update().select_related("session").get(pk=contribution.pk)
    if contribution.consent != Consent.PUBLISH:
        raise ValidationError("Only contributions the person agreed to publish can be placed in a discussion.")
    if contribution.comment_id:
        raise ValidationError("This contribution is already in a discussion.", code="placed")
    if thread.board.programme_id != contribution.programme_id:
        raise ValidationError("Choose a discussion in the contribution's programme.", code="wrong_programme")
    found = personal_information(contribution.text)
    if found:
        raise ValidationError(
            f"It seems to include {' and '.join(found)}. Edit the text to remove it before publishing.",
            code="personal_info",
        )
    comment = forum_services.comment_post(
        actor=actor, thread=thread, body=contribution.text, offline_marker=marker(contribution.session)
    )
    contribution.comment = comment
    contribution.updated_at = timezone.now()
    contribution.save(update_fields=["comment", "updated_at"])
    _audit(contribution, ContributionAudit.Action.PUBLISHED, actor, f"In discussion {thread.pk}, comment {comment.pk}")
    return comment


@transaction.atomic
def contribution_withdraw(*, actor, contribution: OfflineContribution) -> OfflineContribution:
    """The person withdrew consent: their words, the photo of the original and what they told
    about themselves go from every table, and exports that may hold the words are deleted. The
    row stays, empty, so counts of what was withdrawn and the audit trail remain."""
    _require(actor)
    contribution = OfflineContribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.consent == Consent.WITHDRAWN:
        return contribution
    if contribution.comment_id:
        forum_privacy.comment_words_erase(comment_id=contribution.comment_id)
        pagecache.purge_on_commit()
    if contribution.original:
        contribution.original.delete(save=False)
    OfflineContribution.objects.filter(pk=contribution.pk).update(
        text="",
        original="",
        consent=Consent.WITHDRAWN,
        withdrawn_at=timezone.now(),
        updated_at=timezone.now(),
        borough="",
        year_of_birth=None,
        sex="",
        ethnic_group="",
        disability="",
        carer="",
        language="",
        is_translation=False,
    )
    _exports_delete(contribution.programme_id)
    evidence_packs_words_taken_down(keys=[f"offline:{contribution.pk}"])
    _uploads_drop(contribution.session_id)
    _audit(contribution, ContributionAudit.Action.WITHDRAWN, actor)
    contribution.refresh_from_db()
    return contribution


def _exports_delete(programme_id: int) -> None:
    """Exports are copies: any that may hold withdrawn words is deleted now, not in 7 days."""
    done = DiscussionExport.objects.filter(status=DiscussionExport.Status.DONE)
    for export in done.filter(programme_id__in=[programme_id]) | done.filter(programme__isnull=True):
        if export.file:
            export.file.storage.delete(export.file.name)
        DiscussionExport.objects.filter(pk=export.pk).update(status=DiscussionExport.Status.EXPIRED, file="")


def _uploads_drop(session_id: int) -> None:
    """An uploaded file still waiting for a decision may repeat the withdrawn words: it is dropped,
    and staff upload it again (rows already imported are not added twice)."""
    waiting = ContributionImport.objects.filter(session_id=session_id, status=ContributionImport.Status.CHECKED)
    for upload in waiting:
        if upload.file:
            upload.file.storage.delete(upload.file.name)
    waiting.update(status=ContributionImport.Status.CANCELLED, file="", finished_at=timezone.now())

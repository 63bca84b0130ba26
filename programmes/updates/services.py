"""Writes for programme updates: keyword-only, one transaction each, permission checked inside.

An update is a draft until staff publish it or schedule it. Publishing opens its discussion (a
forums thread in the programme's updates board) and, the first time only, tells the programme's
followers. Unpublishing hides the update and its discussion; publishing again shows both.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forums import text as forum_text

from .. import notifications, pagetags
from ..models import Programme
from ..responses import services as responses
from . import text
from .models import Update, UpdateStatus

log = logging.getLogger(__name__)

TITLE_MAX = 150
SUMMARY_MAX = 300
BODY_MAX = 20_000


def _require(actor, perm: str, message: str = "Only partnership staff can do that.") -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(message)


def _clean(*, title: str, summary: str, body: str, tags, draft: bool = False) -> dict:
    """The fields as they will be stored, or a ValidationError keyed by field. A draft needs only a
    title, so staff can save half-written work; publishing and scheduling need every part."""
    errors = {}
    title = " ".join((title or "").split())
    summary = " ".join((summary or "").split())
    body = (body or "").strip()
    if isinstance(tags, str):
        tags = tags.split(",")
    names = forum_text.tag_names(tags)
    if not title:
        errors["title"] = "Give the update a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Titles can be at most {TITLE_MAX} characters."
    if not summary and not draft:
        errors["summary"] = "Write a summary of one or two sentences."
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = f"Summaries can be at most {SUMMARY_MAX} characters."
    if not body:
        if not draft:
            errors["body"] = "Write the update before publishing it."
    elif len(body) > BODY_MAX:
        errors["body"] = f"Updates can be at most {BODY_MAX:,} characters."
    else:
        try:
            text.check_body(body)
        except ValidationError as error:
            errors["body"] = error.messages
    if len(names) > settings.FORUMS_MAX_TAGS:
        errors["tags"] = f"Use at most {settings.FORUMS_MAX_TAGS} tags."
    else:
        try:
            forum_text.check_tags(names)
        except ValidationError as error:
            errors["tags"] = error.messages
    if errors:
        raise ValidationError(errors)
    return {"title": title, "summary": summary, "body": body, "body_html": text.render(body), "tags": ", ".join(names)}


def _sync_thread(update: Update, actor) -> None:
    """Open or refresh the update's discussion so its title, text, tags and visibility match."""
    thread = responses.thread_announce(
        actor=actor,
        board=responses.announcement_board_ensure(programme=update.programme),
        thread=update.thread,
        title=update.title,
        body=update.body,
        body_html=update.body_html,
        tags=update.tag_list,
        page_url=update.get_absolute_url(),
        visible=update.status == UpdateStatus.PUBLISHED,
    )
    if update.thread_id != thread.pk:
        update.thread = thread
        update.save(update_fields=["thread"])


@transaction.atomic
def update_save(
    *,
    actor,
    title: str,
    summary: str,
    body: str,
    tags="",
    programme: Programme | None = None,
    update: Update | None = None,
    draft: bool = False,
) -> Update:
    """Create a draft update for `programme`, or save changes to `update`. Changes to a published
    update show at once, in its discussion too. A `draft` may leave out the summary and text, unless
    the update is already published."""
    _require(actor, "programmes.change_update")
    draft = draft and (update is None or update.status != UpdateStatus.PUBLISHED)
    fields = _clean(title=title, summary=summary, body=body, tags=tags, draft=draft)
    now = timezone.now()
    if update is None:
        if programme is None:
            raise ValidationError({"programme": "Choose the programme the update is from."})
        update = Update.objects.create(programme=programme, author=actor, created_at=now, updated_at=now, **fields)
        return update
    update = Update.objects.select_for_update(of=("self",)).select_related("programme").get(pk=update.pk)
    if programme is not None and programme.pk != update.programme_id:
        if update.thread_id:
            raise ValidationError({"programme": "A published update stays with its programme."})
        update.programme = programme
    for name, value in fields.items():
        setattr(update, name, value)
    update.updated_at = now
    update.save()
    if update.thread_id:
        _sync_thread(update, actor)
    return update


@transaction.atomic
def update_schedule(*, actor, update: Update, publish_at: datetime) -> Update:
    """Publish later: the beat task publishes it once `publish_at` has passed, on behalf of `actor`."""
    _require(actor, "programmes.publish_update")
    update = Update.objects.select_for_update().get(pk=update.pk)
    if update.status == UpdateStatus.PUBLISHED:
        raise ValidationError("This update is already published. Unpublish it first to schedule it.", code="published")
    _require_complete(update)
    if publish_at is None:
        raise ValidationError({"publish_at": "Enter the date and time to publish the update."})
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": "Choose a time in the future, or publish the update now."})
    update.status, update.publish_at, update.scheduled_by = UpdateStatus.SCHEDULED, publish_at, actor
    update.save(update_fields=["status", "publish_at", "scheduled_by"])
    return update


def _require_complete(update: Update) -> None:
    """A draft saved without its summary or text cannot go out."""
    _clean(title=update.title, summary=update.summary, body=update.body, tags=update.tags)


def _publish(update: Update, actor) -> Update:
    first_time = update.published_at is None
    now = timezone.now()
    update.status, update.publish_at = UpdateStatus.PUBLISHED, None
    update.published_at = update.published_at or now
    update.save(update_fields=["status", "publish_at", "published_at"])
    _sync_thread(update, actor)
    if first_time:
        notifications.programme_followers_notify(
            programme=update.programme,
            event_key=f"programmes.update:{update.pk}",
            title=f"New update from {update.programme.short_name}: {update.title}",
            url=update.get_absolute_url(),
            excerpt=update.summary,
            actor=actor,
            topic=update.title,
        )
    pagetags.programme_changed(update.programme, "updates", "search")
    return update


@transaction.atomic
def update_publish(*, actor, update: Update) -> Update:
    """Publish now. Followers of the programme hear of an update the first time it is published."""
    _require(actor, "programmes.publish_update")
    update = Update.objects.select_for_update(of=("self",)).select_related("programme", "thread").get(pk=update.pk)
    if update.status == UpdateStatus.PUBLISHED:
        return update
    _require_complete(update)
    return _publish(update, actor)


@transaction.atomic
def update_unpublish(*, actor, update: Update) -> Update:
    """Take a published update down (its discussion is hidden with it), or cancel a schedule."""
    _require(actor, "programmes.publish_update")
    update = Update.objects.select_for_update(of=("self",)).select_related("programme", "thread").get(pk=update.pk)
    if update.status == UpdateStatus.SCHEDULED:
        update.status, update.publish_at = UpdateStatus.DRAFT, None
        update.save(update_fields=["status", "publish_at"])
        return update
    if update.status != UpdateStatus.PUBLISHED:
        return update
    update.status = UpdateStatus.UNPUBLISHED
    update.save(update_fields=["status"])
    _sync_thread(update, actor)
    pagetags.programme_changed(update.programme, "updates", "search")
    return update


def updates_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled update whose time has come, each in its own transaction.

    The schedule carries the permission: it was checked when staff scheduled the update, and the
    update goes out on their behalf. If they are no longer partnership staff it goes back to draft.
    """
    now = now or timezone.now()
    published = 0
    due = Update.objects.filter(status=UpdateStatus.SCHEDULED, publish_at__lte=now).order_by("publish_at")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            update = (
                Update.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("programme", "thread", "scheduled_by", "author")
                .filter(pk=pk, status=UpdateStatus.SCHEDULED, publish_at__lte=now)
                .first()
            )
            if update is None:
                continue
            actor = update.scheduled_by or update.author
            if not actor.has_perm("programmes.publish_update"):
                log.warning("Scheduled update %s went back to draft: %s can no longer publish.", pk, actor.pk)
                update.status, update.publish_at = UpdateStatus.DRAFT, None
                update.save(update_fields=["status", "publish_at"])
                continue
            _publish(update, actor)
            published += 1
    return published

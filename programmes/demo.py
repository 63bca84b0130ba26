"""Demo partnership content for `seed_demo`: a published update with a poll inside it, an official
response that led to a change, and an upcoming event. Safe to run again: each is made once."""

from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from forums import services as forum_services
from forums.models import Comment, ModerationConfig, Thread, ThreadStatus

from .events import services as event_services
from .events.models import Event
from .models import Programme
from .polls import services as poll_services
from .responses import services as responses
from .polls.models import Poll
from .updates import services as update_services
from .updates.models import Update

STAFF_EMAIL = "kemi@example.com"
UPDATE_TITLE = "Shorter waits for talking therapies from April"
UPDATE_BODY = """Thank you to everyone who told us about waiting for talking therapies. You said the wait
was the hardest part, and that support while waiting helped.

## What is changing

- From April, everyone referred will hear from a therapist within **two weeks**.
- While you wait, you can join a free online course or a local peer support group.

### Where to start

Ask your GP, or refer yourself through the NHS website. You do not need a GP appointment first."""
POLL_QUESTION = "What would help you most while you wait for therapy?"
EVENT_TITLE = "Talking therapies drop-in, Croydon"
THREAD_TITLE = "Waiting times for talking therapies"


def demo_partnership_ensure(people_by_email: dict) -> list[str]:
    """Make whatever is missing and return what was made, for the command's report."""
    staff = people_by_email[STAFF_EMAIL]
    programme = Programme.objects.get(slug="mental-health")
    made = []
    update = Update.objects.filter(title=UPDATE_TITLE).first()
    if update is None:
        update = update_services.update_save(
            actor=staff,
            programme=programme,
            title=UPDATE_TITLE,
            body=UPDATE_BODY,
            tags="talking therapies",
            summary="Everyone referred will hear from a therapist within two weeks, with support while they wait.",
        )
        update = update_services.update_publish(actor=staff, update=update)
        made.append("a published update")
    if not Poll.objects.filter(question=POLL_QUESTION).exists():
        now = timezone.now()
        poll_services.poll_save(
            actor=staff,
            programme=programme,
            update=update,
            question=POLL_QUESTION,
            kind="multiple",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            choices=["An online course", "A peer support group", "A phone call from a therapist", "Something else"],
        )
        made.append("a poll")
    if not Event.objects.filter(title=EVENT_TITLE).exists():
        start = (timezone.localtime() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
        event_services.event_save(
            actor=staff,
            programme=programme,
            title=EVENT_TITLE,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            description="Meet the talking therapies team, ask about waiting times and try a short taster session.",
            venue="Croydon Central Library, Katharine Street, Croydon CR9 1ET",
            borough="croydon",
            accessibility="Step-free access and a hearing loop. "
            "A BSL (British Sign Language) interpreter can be booked.",
            capacity=30,
        )
        made.append("an event")
    thread = Thread.objects.filter(title=THREAD_TITLE).first()
    if thread is not None and not Comment.objects.filter(thread=thread, is_official=True).exists():
        _answer(staff, thread, update)
        made.append("an official response")
    return made


def _answer(staff, thread, update) -> None:
    """Demo staff post as an established member: rate limits and pre-moderation are relaxed meanwhile."""
    config = ModerationConfig.current()
    premoderated, config.premoderated_posts = config.premoderated_posts, 0
    config.save(update_fields=["premoderated_posts"])
    try:
        with override_settings(FORUMS_RATE_LIMITS=[(1, 1000)], FORUMS_NEW_ACCOUNT_RATE_LIMITS=[(1, 1000)]):
            forum_services.comment_post(
                actor=staff,
                thread=thread,
                official=True,
                body="Thank you all. What you told us here shaped the new waiting-times promise: "
                f"read the update, “{update.title}”.",
            )
        responses.thread_status_set(actor=staff, thread=thread, status=ThreadStatus.CHANGED, update=update)
    finally:
        config.premoderated_posts = premoderated
        config.save(update_fields=["premoderated_posts"])

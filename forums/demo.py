"""Demo discussions for `seed_demo`: a few believable conversations, backdated so times vary."""

from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from . import services
from .models import Board, Comment, ModerationConfig, Thread

# (programme, board, author, title, body, tags, days ago, replies)
# replies: (author, body, parent index or None, hours after the thread)
DEMO_THREADS = [
    (
        "mental-health", "experiences", "alex@example.com",
        "Waiting times for talking therapies",
        "I was referred for talking therapy in March and had my first appointment in *September*. "
        "The wait was the hardest part.\n\nHas anyone found anything that helped while waiting?",
        ["waiting times", "talking therapies"], 40,
        [
            ("priya@example.com", "Same here: about five months in Croydon. The self-help course online kept me going.", None, 3),
            ("kemi@example.com", "Thank you both for sharing this. Reducing waits is one of the programme's priorities "
             "this year, and we will post an update on what is changing.", 0, 20),
            ("tomasz@example.com", "A local peer support group helped me more than I expected.", None, 30),
            ("alex@example.com", "> The self-help course online kept me going.\n\nWhich course was it?", 0, 34),
        ],
    ),
    (
        "primary-care", "ideas", "priya@example.com",
        "Let pharmacies book GP follow-ups directly",
        "When my pharmacist spots a problem they tell me to ring the surgery at 8am. "
        "It would save everyone time if they could book the follow-up for me.",
        ["gp appointments", "pharmacy"], 12,
        [
            ("grace@example.com", "Yes please. The 8am scramble is awful when you work shifts.", None, 2),
            ("tomasz@example.com", "Some practices in Ealing already share a booking system with pharmacies.", None, 5),
        ],
    ),
    (
        "urgent-care", "general", "tomasz@example.com",
        "When should I use an urgent treatment centre instead of A&E?",
        "I never know whether to go to A&E or the urgent treatment centre. Is there a simple rule?",
        ["a&e", "nhs 111"], 3,
        [
            ("kemi@example.com", "A good first step is NHS 111, online or by phone: they can book you a time at an "
             "urgent treatment centre if that is the right place. For anything life-threatening, call 999.", None, 1),
        ],
    ),
    (
        "children", "general", "grace@example.com",
        "Support for parents of children with asthma",
        "My son was diagnosed with asthma last year. School asthma plans seem to vary a lot between schools.",
        ["asthma", "schools"], 1,
        [],
    ),
]


def demo_discussions_ensure(people_by_email: dict) -> int:
    """Post the demo conversations once; returns how many threads were created.

    The demo people post as established members: rate limits and pre-moderation of first posts
    are relaxed while they do, and pre-moderation is restored afterwards.
    """
    config = ModerationConfig.current()
    premoderated = config.premoderated_posts
    config.premoderated_posts = 0
    config.save(update_fields=["premoderated_posts"])
    try:
        return _post_demo_threads(people_by_email)
    finally:
        config.premoderated_posts = premoderated
        config.save(update_fields=["premoderated_posts"])


def _post_demo_threads(people_by_email: dict) -> int:
    created = 0
    relaxed = override_settings(FORUMS_RATE_LIMITS=[(1, 1000)], FORUMS_NEW_ACCOUNT_RATE_LIMITS=[(1, 1000)])
    with relaxed:
        for programme, board_slug, author, title, body, tags, days_ago, replies in DEMO_THREADS:
            if Thread.objects.filter(title=title).exists():
                continue
            board = Board.objects.get(programme__slug=programme, slug=board_slug)
            thread = services.thread_create(actor=people_by_email[author], board=board, title=title, body=body, tags=tags)
            started = timezone.now() - timedelta(days=days_ago)
            comments = []
            for reply_author, reply_body, parent_index, hours in replies:
                parent = comments[parent_index] if parent_index is not None else None
                comment = services.comment_post(
                    actor=people_by_email[reply_author], thread=thread, body=reply_body, parent=parent
                )
                Comment.objects.filter(pk=comment.pk).update(created_at=started + timedelta(hours=hours))
                comments.append(comment)
            last = started + timedelta(hours=max([h for *_, h in replies], default=0))
            Thread.objects.filter(pk=thread.pk).update(created_at=started, last_activity_at=last)
            created += 1
    return created

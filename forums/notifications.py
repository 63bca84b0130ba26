"""Who hears about what happens in discussions. The forum services call these at their end, in
their transaction; accounts.notifications writes the rows and queues the emails on commit.

One notification per person per post, the most specific: a reply to you, then a mention of you,
then a new comment in a discussion you follow. Nobody hears about their own post, and nothing is
said about a post until everyone can see it (a held post is announced when a moderator approves it).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts import notifications
from accounts.notifications.mentions import mentioned_users
from talkhealth.links import url_prefix

from . import hooks
from .models import Board, Comment, Thread, Visibility
from .querysets import text_may_travel

Category = notifications.Category
TAKEN_DOWN_TOPIC = notifications.TAKEN_DOWN_TOPIC

PARTNERSHIP = "The Healthy London Partnership"


def thread_followers(*, thread_id: int):
    """The fan-out audience for a discussion: everyone following it."""
    return get_user_model().objects.filter(thread_follows__thread_id=thread_id)


def _section(thread: Thread) -> str:
    if thread.loaded_board:
        return thread.loaded_board.programme.short_name
    return Board.objects.filter(pk=thread.board_id).values_list("programme__short_name", flat=True).first() or ""


WITHHELD = "Open the discussion on Talk Health to read it."


def _excerpt(post) -> str:
    """The words that travel in inboxes and emails; none while crisis language waits for a first look."""
    return notifications.excerpt(post.body_html) if text_may_travel(post) else WITHHELD


def _title(thread: Thread) -> str:
    """A discussion's title, which is its author's words too: withheld by the same rule."""
    return thread.title if text_may_travel(thread) else "a discussion"


def _comment_event(comment: Comment, thread: Thread) -> notifications.Event:
    return notifications.Event(
        key=f"forums.comment:{comment.pk}",
        url=comment.get_absolute_url(),
        actor=comment.author_id,
        excerpt=_excerpt(comment),
        section=_section(thread),
        topic=_title(thread),
        topic_url=thread.get_absolute_url(),
    )


def _answered_id(comment: Comment) -> int | None:
    """Whose words the comment answers: the person it replies to below the third level, else the parent's author."""
    if comment.in_reply_to_id:
        return comment.in_reply_to_id
    if comment.parent_id:
        return Comment.objects.filter(pk=comment.parent_id).values_list("author_id", flat=True).first()
    return None


def comment_posted(*, comment: Comment, official: bool = False, thread: Thread | None = None) -> None:
    """Tell the person answered, anyone mentioned, and the discussion's followers about a new comment.

    `official` (a partnership answer) makes the reply and the followers' notice official responses.
    `thread` is the comment's, as the caller read it in this transaction (else it is read here).
    """
    if thread is None:
        thread = Thread.objects.only(
            "id", "title", "board_id", "author_id", "visibility", "under_review", "page_url"
        ).get(pk=comment.thread_id)
    if comment.visibility != Visibility.PUBLISHED or thread.visibility != Visibility.PUBLISHED:
        return
    name = PARTNERSHIP if official else comment.author.display_name
    title = _title(thread)
    event = _comment_event(comment, thread)
    answered = _answered_id(comment)
    reply_category = Category.OFFICIAL_RESPONSE if official else Category.REPLY
    if answered:
        recipients = [(answered, reply_category, f"{name} replied to your comment in “{title}”")]
    else:
        recipients = [(thread.author_id, reply_category, f"{name} replied to your discussion “{title}”")]
    recipients += [
        (person, Category.MENTION, f"{comment.author.display_name} mentioned you in “{title}”")
        for person in mentioned_users(comment.body)
    ]
    notifications.notifications_fan_out(
        event=event,
        category=Category.OFFICIAL_RESPONSE if official else Category.FOLLOWED_THREAD,
        title=f"{name} responded in “{title}”" if official else f"{name} commented in “{title}”",
        audience="forums.notifications.thread_followers",
        audience_kwargs={"thread_id": thread.pk},
        first=recipients,
    )


def comment_edited(*, comment: Comment) -> None:
    """People newly mentioned by an edit hear of it; everyone already told of the comment does not again."""
    if comment.visibility != Visibility.PUBLISHED or comment.is_deleted:
        return
    people = mentioned_users(comment.body)
    if not people:
        return
    thread = Thread.objects.only("id", "title", "board_id", "visibility", "under_review").get(pk=comment.thread_id)
    if thread.visibility != Visibility.PUBLISHED:
        return
    title = f"{comment.author.display_name} mentioned you in “{_title(thread)}”"
    notifications.notifications_create(
        event=_comment_event(comment, thread), recipients=[(person, Category.MENTION, title) for person in people]
    )


def thread_posted(*, thread: Thread) -> None:
    """Anyone mentioned in a new discussion hears of it."""
    if thread.visibility != Visibility.PUBLISHED:
        return
    people = mentioned_users(thread.body)
    if not people:
        return
    event = notifications.Event(
        key=f"forums.thread:{thread.pk}",
        url=thread.get_absolute_url(),
        actor=thread.author_id,
        excerpt=_excerpt(thread),
        section=_section(thread),
        topic=_title(thread),
        topic_url=thread.get_absolute_url(),
    )
    title = f"{thread.author.display_name} mentioned you in a new discussion, “{_title(thread)}”"
    notifications.notifications_create(
        event=event, recipients=[(person, Category.MENTION, title) for person in people]
    )


def thread_participants(*, thread_id: int):
    """Everyone who took part in a discussion: who started it and everyone with a comment in it."""
    started = Thread.objects.filter(pk=thread_id).values("author_id")
    commented = Comment.objects.filter(thread_id=thread_id, is_deleted=False).values("author_id")
    return get_user_model().objects.filter(Q(pk__in=started) | Q(pk__in=commented))


def thread_status_changed(*, thread: Thread, actor, url: str | None = None, excerpt: str = "") -> None:
    """Everyone who took part hears the discussion's new status; `url` (the thread's own by default)
    and `excerpt` say where to read more, such as the update that records a change."""
    if thread.visibility != Visibility.PUBLISHED:
        return
    status = thread.get_status_display().lower()
    url = url or thread.get_absolute_url()
    section = _section(thread)
    event = notifications.Event(
        key=f"forums.status:{thread.pk}:{thread.status}:{int(thread.status_changed_at.timestamp())}",
        url=url,
        actor=actor,
        excerpt=notifications.excerpt(excerpt),
        section=section,
        topic=_title(thread),
        topic_url=thread.get_absolute_url(),
    )
    team = f"The {section} team" if section else PARTNERSHIP
    notifications.notifications_fan_out(
        event=event,
        category=Category.OFFICIAL_RESPONSE,
        title=f"{team} marked “{_title(thread)}” as {status}",
        audience="forums.notifications.thread_participants",
        audience_kwargs={"thread_id": thread.pk},
    )


def _item_key(content) -> str:
    """The post as analysis names it (programmes.contributions.corpus): "comment:12", "thread:3"."""
    return f"{'comment' if isinstance(content, Comment) else 'thread'}:{content.pk}"


def _key(content) -> str:
    return f"forums.{_item_key(content)}"


def content_taken_down(*, content) -> None:
    """A post nobody else may see any more (hidden, removed, deleted, erased) is forgotten by every
    notification that quoted it; a discussion's title and the words in its links go too, from
    notifications about anything in it."""
    hooks.words_taken_down([_item_key(content)])
    if isinstance(content, Comment):
        notifications.notifications_withdraw(event_keys=[_key(content)])
        return
    notifications.notifications_withdraw(
        event_keys=[_key(content)],
        key_prefixes=[f"forums.status:{content.pk}:"],
        topic_urls=[f"{url_prefix('forums:thread_short')}{content.pk}/"],
        topic=content.title,
    )


def content_revised(*, content) -> None:
    """After an edit, notifications quote the post as it now reads; one taken down stays unquoted.
    Copies elsewhere of the words as they were (an evidence pack's quotes) are forgotten."""
    hooks.words_taken_down([_item_key(content)])
    if content.visibility != Visibility.PUBLISHED or getattr(content, "is_deleted", False):
        return
    notifications.notifications_revise(event_key=_key(content), excerpt_text=content.body_html)

"""The reads each discussion page needs, with every join decided here: a page costs a fixed
number of queries however many threads or comments it shows."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator

from accounts.roles import Role
from talkhealth.search import plain

from . import hooks
from .models import (
    Board,
    Comment,
    CommentLike,
    Tag,
    TaggedThread,
    Thread,
    ThreadFollow,
    ThreadLike,
    Visibility,
)

SORTS = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "liked": ("-like_count", "created_at", "id"),
}
SORT_LABELS = {"oldest": "Oldest first", "newest": "Newest first", "liked": "Most liked"}


def _with_tags(threads):
    """Each thread's tags as a plain list, `tag_list`: cheaper to read a hundred times than `tags.all()`."""
    return threads.prefetch_related(Prefetch("tags", to_attr="tag_list"))


def boards_for_programme(*, programme) -> list[Board]:
    """The boards residents start discussions on (updates have their own section)."""
    return list(Board.objects.filter(programme=programme, accepts_threads=True))


def latest_threads_for_programme(*, programme, user, limit: int = 10) -> list[Thread]:
    """Residents' latest discussions; programme updates have their own list on the hub."""
    threads = Thread.objects.visible_to(user).filter(board__programme=programme, board__accepts_threads=True).for_listing()
    return list(threads.order_by("-last_activity_at")[:limit])


def board_detail(*, programme_slug: str, slug: str) -> Board:
    return get_object_or_404(Board.objects.select_related("programme"), programme__slug=programme_slug, slug=slug)


THREAD_SORTS = {
    "activity": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "unanswered": ("-created_at", "-id"),
    "liked": ("-like_count", "-last_activity_at", "-id"),
}
THREAD_SORT_LABELS = {
    "activity": "Latest activity", "newest": "Newest", "unanswered": "Unanswered", "liked": "Most liked",
}


def thread_sort(sort: str | None) -> str:
    return sort if sort in THREAD_SORTS else "activity"


def _sorted_threads(threads, sort: str, *, pinned_first: bool = False):
    """A thread list in the chosen order; "unanswered" keeps only discussions with no reply yet.
    Pinned discussions lead a board in its default order only, so other orders mean what they say."""
    if sort == "unanswered":
        threads = threads.filter(reply_count=0)
    order = THREAD_SORTS[sort]
    if pinned_first and sort == "activity":
        order = ("-is_pinned", *order)
    return threads.order_by(*order)


def board_threads(*, board: Board, user, page: int | str, sort: str = "activity") -> Page:
    threads = _with_tags(Thread.objects.visible_to(user).filter(board=board).for_listing())
    threads = _sorted_threads(threads, thread_sort(sort), pinned_first=True)
    return Paginator(threads, settings.FORUMS_THREADS_PER_PAGE).get_page(page)


def tag_detail(*, slug: str) -> Tag:
    return get_object_or_404(Tag, slug=slug)


def tag_threads(*, tag: Tag, user, page: int | str, sort: str = "activity") -> Page:
    thread_ids = TaggedThread.objects.filter(tag=tag).values("object_id")
    threads = _with_tags(Thread.objects.visible_to(user).filter(pk__in=thread_ids).for_listing())
    return Paginator(_sorted_threads(threads, thread_sort(sort)), settings.FORUMS_THREADS_PER_PAGE).get_page(page)


def tag_suggestions(*, prefix: str, limit: int = 10) -> list[str]:
    prefix = " ".join(prefix.replace("\x00", "").split()).lower()
    if not prefix:
        return []
    return list(Tag.objects.filter(name__startswith=prefix).order_by("name").values_list("name", flat=True)[:limit])


# Columns the thread page never reads: the search index, and the author's sign-in details.
DETAIL_DEFERRED = (
    "search_vector", "author__password", "author__last_login", "author__date_joined", "author__email",
    "author__display_name_key", "author__unread_notification_count", "author__deleted_at",
)  # fmt: skip


def thread_detail(*, pk: int, user) -> Thread:
    """The thread with its board, programme and author, or 404 when missing or not visible to `user`.

    Annotated in the same query with whether its author is partnership staff and, for a signed-in
    reader, whether they like and follow it: the thread page needs all three.
    """
    threads = (
        Thread.objects.visible_to(user)
        .select_related("board", "board__programme", "author")
        .defer(*DETAIL_DEFERRED)
        .annotate(author_is_staff=Role.STAFF.held_by("author_id"))
    )
    if user.is_authenticated:
        threads = threads.annotate(
            viewer_liked=Exists(ThreadLike.objects.filter(user=user, thread=OuterRef("pk"))),
            viewer_following=Exists(ThreadFollow.objects.filter(user=user, thread=OuterRef("pk"))),
        )
    thread = get_object_or_404(threads, pk=pk)
    # Its tags in one plain query: lighter than a generic prefetch for a single thread.
    thread.tag_list = list(
        Tag.objects.filter(
            tagged_threads__content_type=ContentType.objects.get_for_model(Thread), tagged_threads__object_id=thread.pk
        ).order_by("name")
    )
    return thread


def thread_for_reply(*, pk: int, user) -> Thread:
    """The thread a reply is posted to, visible to `user`, with its board and programme; 404
    otherwise. What only the page shows (tags, likes, the staff badge) is read by thread_detail,
    when a reply is sent back with an error."""
    threads = Thread.objects.visible_to(user).select_related("board", "board__programme").defer("search_vector")
    return get_object_or_404(threads, pk=pk)


@dataclass
class ThreadPage:
    """One page of a thread: top-level comments in the chosen order, each with its replies in tree order."""

    page: Page
    comments: list[Comment]
    sort: str
    liked_comment_ids: set[int] = field(default_factory=set)
    staff_ids: set[int] = field(default_factory=set)
    thread_liked: bool = False
    following: bool = False
    official_notes: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def thread_page(*, thread: Thread, user, page: int | str = 1, sort: str = "oldest") -> ThreadPage:
    sort = sort if sort in SORTS else "oldest"
    per_page = settings.FORUMS_COMMENTS_PER_PAGE
    page_obj = Paginator(range(thread.top_level_count), per_page).get_page(page)
    start = page_obj.start_index() - 1 if thread.top_level_count else 0

    comments = (
        Comment.objects.select_related("author", "in_reply_to")
        .only(
            "id", "thread_id", "author_id", "parent_id", "root_id", "depth", "body_html", "visibility", "under_review",
            "is_deleted", "is_official", "offline_marker", "created_at", "edited_at", "like_count", "in_reply_to_id",
            "author__display_name", "author__is_active", "author__email_verified", "in_reply_to__display_name",
        )
        .annotate(author_is_staff=Role.STAFF.held_by("author_id"))
    )
    if user.is_authenticated:
        comments = comments.annotate(viewer_liked=Exists(CommentLike.objects.filter(user=user, comment=OuterRef("pk"))))
    # The page's top-level ids first, from the index alone; then those comments and all their
    # replies in one query, so the joins and annotations run for the page's rows only.
    top_ids = list(
        Comment.objects.filter(thread=thread, depth=1)
        .order_by(*SORTS[sort])
        .values_list("pk", flat=True)[start : start + per_page]
    )
    position = {pk: index for index, pk in enumerate(top_ids)}
    rows = list(comments.filter(Q(pk__in=top_ids) | Q(root__in=top_ids)).order_by("created_at", "id")) if top_ids else []
    top = sorted((c for c in rows if c.pk in position), key=lambda c: position[c.pk])
    replies = [c for c in rows if c.pk not in position]

    children: dict[int, list[Comment]] = {}
    for reply in replies:
        children.setdefault(reply.parent_id, []).append(reply)

    def flatten(comment: Comment) -> list[Comment]:
        nested = [comment]
        for child in children.get(comment.pk, []):
            nested.extend(flatten(child))
        return nested

    for comment in top:
        comment.thread_replies = [reply for child in children.get(comment.pk, []) for reply in flatten(child)]
    page_obj.object_list = top

    everyone = top + replies
    result = ThreadPage(page=page_obj, comments=top, sort=sort)
    result.staff_ids = {c.author_id for c in everyone if c.author_is_staff}
    if official := [c.pk for c in everyone if c.is_official and not c.is_deleted]:
        result.official_notes = hooks.official_replies.notes(official)
    if getattr(thread, "author_is_staff", None) is None:  # not loaded by thread_detail
        thread.author_is_staff = get_user_model().objects.filter(
            pk=thread.author_id, groups__name=Role.STAFF.group_name
        ).exists()
    if thread.author_is_staff:
        result.staff_ids.add(thread.author_id)
    if user.is_authenticated:
        result.liked_comment_ids = {c.pk for c in everyone if c.viewer_liked}
        if getattr(thread, "viewer_liked", None) is None:  # not loaded by thread_detail
            thread.viewer_liked, thread.viewer_following = (
                Thread.objects.filter(pk=thread.pk)
                .values_list(
                    Exists(ThreadLike.objects.filter(user=user, thread=OuterRef("pk"))),
                    Exists(ThreadFollow.objects.filter(user=user, thread=OuterRef("pk"))),
                )
                .get()
            )
        result.thread_liked, result.following = thread.viewer_liked, thread.viewer_following
    return result


def discussion(thread: Thread, user, *, page: int | str = 1, sort: str = "oldest") -> dict:
    """One discussion as the comment partials read it, wherever it is shown (its thread page or the
    page of the update it belongs to): one page of comments and what the viewer may do there."""
    can_reply = user.has_perm("forums.add_comment") and (
        not thread.is_locked or user.has_perm("forums.reply_when_locked", thread)
    )
    return {
        "thread": thread,
        "listing": thread_page(thread=thread, user=user, page=page, sort=sort),
        "sorts": SORT_LABELS,
        "can_reply": can_reply,
        "can_post_official": hooks.official_replies.allowed(user),
        "viewer_is_moderator": user.has_perm("forums.view_held_posts", thread),
        "can_report": user.has_perm("forums.report_content"),
    }


def comment_for_action(*, pk: int, user) -> Comment:
    """A comment in a thread `user` can see, with the thread loaded; 404 otherwise."""
    comment = get_object_or_404(Comment.objects.select_related("thread", "thread__board", "author"), pk=pk)
    if not Thread.objects.visible_to(user).filter(pk=comment.thread_id).exists():
        raise Http404
    if (
        comment.visibility != Visibility.PUBLISHED
        and comment.author_id != user.pk
        and not user.has_perm("forums.view_held_posts", comment)
    ):
        raise Http404
    return comment


def comment_page_number(*, comment: Comment) -> int:
    """The page (in oldest-first order) that shows `comment`, for permalinks."""
    root = comment.root or comment
    earlier = Comment.objects.filter(thread_id=comment.thread_id, depth=1).filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk)
    )
    return earlier.count() // settings.FORUMS_COMMENTS_PER_PAGE + 1


def comment_revisions(*, comment: Comment):
    return comment.revisions.select_related("edited_by")


def thread_revisions(*, thread: Thread):
    return list(thread.revisions.select_related("edited_by"))


def programmes_for_filter() -> list[tuple[str, str]]:
    """(slug, short name) of every programme with boards, for filter menus."""
    return list(
        Board.objects.order_by("programme__position")
        .values_list("programme__slug", "programme__short_name")
        .distinct()
    )


def paginate(queryset, page, *, per_page: int) -> Page:
    return Paginator(queryset, per_page).get_page(page)


def programme_by_slug(*, slug: str):
    """The programme that owns boards with this slug, or 404 (forums reads programmes through its boards)."""
    board = Board.objects.select_related("programme").filter(programme__slug=slug).first()
    if board is None:
        raise Http404
    return board.programme


PROFILE_TABS = {"threads": "Discussions", "comments": "Comments"}


@dataclass
class Profile:
    """A person's public page: who they are, and one tab of what they wrote that the viewer may see."""

    person: object
    roles: list[str]
    tab: str
    page: Page
    thread_count: int
    comment_count: int


def person_for_profile(*, pk: int):
    """Someone with a confirmed, active account, or 404: nobody else has a public page."""
    people = get_user_model().objects.only("id", "display_name", "date_joined", "borough", "show_borough")
    return get_object_or_404(people, pk=pk, is_active=True, email_verified=True)


def profile_page(*, person, user, tab: str = "threads", page: int | str = 1) -> Profile:
    """Their threads or comments, newest first, through the same visibility scopes as every other
    listing; the roles that earn a label (Staff, Moderator) come in one query."""
    tab = tab if tab in PROFILE_TABS else "threads"
    threads = Thread.objects.visible_to(user).filter(author=person)
    comments = Comment.objects.visible_to(user).filter(author=person)
    group_names = set(person.groups.values_list("name", flat=True))
    labels = ((Role.STAFF, "Staff"), (Role.MODERATOR, "Moderator"))
    roles = [label for role, label in labels if role.group_name in group_names]
    if tab == "threads":
        listing = _with_tags(threads.for_listing()).order_by("-created_at", "-id")
        page_obj = Paginator(listing, settings.FORUMS_THREADS_PER_PAGE).get_page(page)
        thread_count, comment_count = page_obj.paginator.count, comments.count()
    else:
        listing = comments.select_related("thread__board__programme").only(
            "id", "body", "visibility", "created_at", "thread__id", "thread__title",
            "thread__board__slug", "thread__board__name", "thread__board__programme__slug",
            "thread__board__programme__short_name",
        ).order_by("-created_at", "-id")
        page_obj = Paginator(listing, settings.FORUMS_THREADS_PER_PAGE).get_page(page)
        page_obj.object_list = list(page_obj.object_list)
        for comment in page_obj.object_list:
            comment.excerpt = Truncator(plain(comment.body)).words(40)
        thread_count, comment_count = threads.count(), page_obj.paginator.count
    return Profile(
        person=person, roles=roles, tab=tab, page=page_obj, thread_count=thread_count, comment_count=comment_count
    )

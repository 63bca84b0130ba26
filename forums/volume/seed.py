"""Bulk rows for the volume seeder: people, threads, nested comments, likes, follows, tags."""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from forums.models import Board, Comment, CommentLike, Tag, TaggedThread, Thread, ThreadFollow, ThreadLike, Visibility
from talkhealth import markdown, pagecache

from .texts import (
    SEED_PASSWORD,
    HISTORY_DAYS,
    THREAD_ACTIVE_DAYS,
    TOP_LEVEL_SHARE,
    BIG_THREAD_TOP_LEVEL_SHARE,
    MAX_COMMENT_LIKES,
    MAX_THREAD_LIKES,
    FIRST_NAMES,
    INITIALS,
    TAG_NAMES,
    TITLE_SUBJECTS,
    TITLE_FORMS,
    THREAD_BODIES,
    COMMENT_BODIES,
)


@dataclass
class Seeded:
    """What one run created."""

    author_ids: list[int] = field(default_factory=list)
    thread_ids: list[int] = field(default_factory=list)
    comments: int = 0
    comment_likes: int = 0
    thread_likes: int = 0
    follows: int = 0
    big_thread: Thread | None = None


class TextProgress:
    """A one-line text bar on a terminal; one line per step elsewhere, so logs stay readable."""

    def __init__(self, stream, label: str, total: int, width: int = 30):
        self.stream, self.label, self.total, self.width = stream, label, total, width
        self.done_count, self.started = 0, time.monotonic()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def advance(self, count: int) -> None:
        self.done_count = min(self.total, self.done_count + count)
        filled = self.width * self.done_count // max(self.total, 1)
        line = (
            f"{self.label:<14} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{self.done_count:>9,}/{self.total:,} {time.monotonic() - self.started:6.1f}s"
        )
        if self.tty:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("")


class _NoProgress:
    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


def _rendered(texts: list[str]) -> list[tuple[str, str]]:
    return [(text, markdown.render(text)) for text in texts]


def _skewed_weights(count: int, rng: random.Random, alpha: float) -> list[float]:
    """Heavy-tailed weights: a few people and threads account for much of the activity, as on real forums."""
    return [rng.paretovariate(alpha) for _ in range(count)]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _like_total(rng: random.Random, alpha: float, cap: int) -> int:
    return min(cap, int(rng.paretovariate(alpha)) - 1)


def _likers(rng: random.Random, author_ids: list[int], count: int, exclude: int) -> list[int]:
    """`count` distinct people other than `exclude`: nobody likes their own post."""
    picked = rng.sample(author_ids, min(len(author_ids), count + 1))
    return [pk for pk in picked if pk != exclude][:count]


def authors_create(*, count: int, rng: random.Random, batch_size: int = 5000) -> list[int]:
    """`count` residents with confirmed emails (User.email_verified and a verified primary EmailAddress)."""
    first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    password = make_password(SEED_PASSWORD)
    joined = timezone.now() - timedelta(days=HISTORY_DAYS + 30)
    users = [
        User(
            email=f"volume{n}@example.com",
            display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(INITIALS)} {n}",
            email_verified=True,
            password=password,
            date_joined=joined,
        )
        for n in range(first, first + count)
    ]
    User.objects.bulk_create(users, batch_size=batch_size)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True) for user in users],
        batch_size=batch_size,
    )
    return [user.pk for user in users]


def tags_ensure(names: list[str] = TAG_NAMES) -> list[int]:
    existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [Tag(name=name, slug=slugify(name) or f"tag-{index}") for index, name in enumerate(names)
               if name not in existing]
    Tag.objects.bulk_create(missing)
    existing.update(Tag.objects.filter(name__in=[tag.name for tag in missing]).values_list("name", "pk"))
    return [existing[name] for name in names]


class _Generator:
    """Builds rows in memory with one random source, so `--seed` reproduces a run."""

    def __init__(self, *, rng: random.Random, author_ids: list[int], batch_size: int, now=None):
        self.rng, self.author_ids, self.batch_size = rng, author_ids, batch_size
        self.now = now or timezone.now()
        self.author_cum = _cumulative(_skewed_weights(len(author_ids), rng, alpha=1.2))
        self.thread_bodies = _rendered(THREAD_BODIES)
        self.comment_bodies = _rendered(COMMENT_BODIES)
        self.thread_type = ContentType.objects.get_for_model(Thread)

    def author(self) -> int:
        return self.rng.choices(self.author_ids, cum_weights=self.author_cum)[0]

    def threads_create(self, *, boards: list[Board], count: int, title: str | None = None) -> list[Thread]:
        """`count` threads over `boards`: mostly published, a few pinned, locked, held or hidden."""
        rng, tag_ids = self.rng, tags_ensure()
        threads = []
        for _ in range(count):
            body, body_html = rng.choice(self.thread_bodies)
            created = self.now - timedelta(seconds=rng.uniform(3600, HISTORY_DAYS * 86400))
            roll = rng.random()
            visibility = Visibility.PUBLISHED
            if roll < 0.01:
                visibility = Visibility.HELD if roll < 0.005 else Visibility.HIDDEN
            author_id = self.author()
            threads.append(
                Thread(
                    board=rng.choice(boards),
                    author_id=author_id,
                    title=title or rng.choice(TITLE_FORMS).format(rng.choice(TITLE_SUBJECTS))[:150],
                    body=body,
                    body_html=body_html,
                    visibility=visibility,
                    is_pinned=rng.random() < 0.005,
                    is_locked=rng.random() < 0.01,
                    created_at=created,
                    last_activity_at=created,
                    last_poster_id=author_id,
                )
            )
        for start in range(0, len(threads), self.batch_size):
            batch = threads[start : start + self.batch_size]
            Thread.objects.bulk_create(batch)
            tagged = []
            for thread in batch:
                for tag_id in rng.sample(tag_ids, rng.choice((0, 1, 1, 2, 2, 3))):
                    tagged.append(TaggedThread(content_type=self.thread_type, object_id=thread.pk, tag_id=tag_id))
            TaggedThread.objects.bulk_create(tagged)
        return threads

    def comment_tree(self, thread: Thread, count: int, top_level_share: float) -> list[Comment]:
        """`count` comments in time order, shaped as comment_post shapes them.

        A reply goes to a recent comment; a reply to a third-level comment attaches beside it at the
        third level and records whom it answers. Statuses are decided afterwards, as moderation and
        deletion happen after replies arrive.
        """
        rng = self.rng
        if count == 0:
            return []
        end = min(self.now, thread.created_at + timedelta(days=THREAD_ACTIVE_DAYS))
        span = max((end - thread.created_at).total_seconds(), 60.0)
        offsets = sorted(rng.uniform(1, span) for _ in range(count))
        author_ids = rng.choices(self.author_ids, cum_weights=self.author_cum, k=count)
        comments: list[Comment] = []
        for index, (offset, author_id) in enumerate(zip(offsets, author_ids)):
            body, body_html = rng.choice(self.comment_bodies)
            comment = Comment(
                thread_id=thread.pk, author_id=author_id, body=body, body_html=body_html,
                created_at=thread.created_at + timedelta(seconds=offset),
            )
            comment.seed_parent = comment.seed_root = None
            if index and rng.random() >= top_level_share:
                parent = comments[max(0, index - 1 - int(rng.expovariate(1 / 6)))]
                if parent.depth >= Comment.MAX_DEPTH:
                    comment.in_reply_to_id = parent.author_id if parent.author_id != author_id else None
                    parent = parent.seed_parent
                comment.depth = parent.depth + 1
                comment.seed_parent, comment.seed_root = parent, parent.seed_root or parent
            comments.append(comment)
        for comment in comments:
            roll = rng.random()
            if roll < 0.01:
                comment.is_deleted, comment.body, comment.body_html = True, "", ""
            elif roll < 0.015:
                comment.visibility = Visibility.REMOVED
            elif roll < 0.02:
                comment.visibility = Visibility.HIDDEN
            elif roll < 0.025:
                comment.visibility = Visibility.HELD
        return comments

    def comments_insert(self, comments: list[Comment]) -> None:
        """Insert a level at a time, so each reply's parent and root already have their ids."""
        for depth in range(1, Comment.MAX_DEPTH + 1):
            level = [comment for comment in comments if comment.depth == depth]
            for comment in level:
                if comment.seed_parent is not None:
                    comment.parent_id, comment.root_id = comment.seed_parent.pk, comment.seed_root.pk
            Comment.objects.bulk_create(level, batch_size=self.batch_size)

    def reactions_insert(self, threads: list[Thread], comments: list[Comment], seeded: Seeded) -> None:
        """Likes from people other than the author; follows from the thread's author and everyone who replied."""
        rng, most = self.rng, len(self.author_ids) - 1
        comment_cap, thread_cap = min(most, MAX_COMMENT_LIKES), min(most, MAX_THREAD_LIKES)
        comment_likes = [
            CommentLike(user_id=user_id, comment_id=comment.pk, created_at=comment.created_at + timedelta(hours=1))
            for comment in comments
            if not comment.is_deleted
            for user_id in _likers(rng, self.author_ids, _like_total(rng, 1.5, comment_cap), comment.author_id)
        ]
        thread_likes = [
            ThreadLike(user_id=user_id, thread_id=thread.pk, created_at=thread.created_at + timedelta(hours=1))
            for thread in threads
            for user_id in _likers(rng, self.author_ids, _like_total(rng, 1.1, thread_cap), thread.author_id)
        ]
        people: dict[int, set[int]] = {thread.pk: {thread.author_id} for thread in threads}
        for comment in comments:
            people[comment.thread_id].add(comment.author_id)
        follows = [ThreadFollow(user_id=user, thread_id=thread) for thread, users in people.items() for user in users]
        CommentLike.objects.bulk_create(comment_likes, batch_size=self.batch_size)
        ThreadLike.objects.bulk_create(thread_likes, batch_size=self.batch_size)
        ThreadFollow.objects.bulk_create(follows, batch_size=self.batch_size)
        seeded.comment_likes += len(comment_likes)
        seeded.thread_likes += len(thread_likes)
        seeded.follows += len(follows)

    def comments_create(self, plan: list[tuple[Thread, int, float]], seeded: Seeded, progress) -> None:
        """Comments for each (thread, count, top-level share), in chunks of about one batch."""
        chunk_threads: list[Thread] = []
        chunk: list[Comment] = []
        for position, (thread, count, share) in enumerate(plan):
            chunk_threads.append(thread)
            chunk.extend(self.comment_tree(thread, count, share))
            if len(chunk) >= self.batch_size or position == len(plan) - 1:
                self.comments_insert(chunk)
                self.reactions_insert(chunk_threads, chunk, seeded)
                seeded.comments += len(chunk)
                progress.advance(len(chunk))
                chunk_threads, chunk = [], []


def counters_fix(*, threads, boards) -> None:
    """Recompute the stored counters of `threads`, their comments and `boards` from the rows.

    The rules are the services': reply_count counts published comments not deleted by their
    author; top_level_count counts every top-level row, as thread pages paginate over all of them;
    last activity is the newest comment (else the thread itself); thread_count counts every thread.
    """

    def count_of(queryset, group_by: str):
        return Coalesce(Subquery(queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")), 0)

    in_thread = Comment.objects.filter(thread=OuterRef("pk"))
    newest = in_thread.order_by("-created_at", "-id")
    Comment.objects.filter(thread__in=threads).update(
        like_count=count_of(CommentLike.objects.filter(comment=OuterRef("pk")), "comment")
    )
    threads.update(
        reply_count=count_of(in_thread.filter(visibility=Visibility.PUBLISHED, is_deleted=False), "thread"),
        top_level_count=count_of(in_thread.filter(depth=1), "thread"),
        like_count=count_of(ThreadLike.objects.filter(thread=OuterRef("pk")), "thread"),
        last_activity_at=Coalesce(Subquery(newest.values("created_at")[:1]), F("created_at")),
        last_poster=Coalesce(Subquery(newest.values("author_id")[:1]), F("author_id")),
    )
    boards.update(thread_count=count_of(Thread.objects.filter(board=OuterRef("pk")), "board"))


def statistics_refresh() -> None:
    """Bring the planner's statistics up to date after a bulk load (autovacuum may be off or not yet
    run: with stale counts PostgreSQL hash-joins whole tables). On PostgreSQL, outside a
    transaction, also clear the dead rows the counter UPDATEs leave behind, as autovacuum would in time."""
    command = "VACUUM ANALYZE" if connection.vendor == "postgresql" and not connection.in_atomic_block else "ANALYZE"
    models = (User, EmailAddress, Thread, Comment, CommentLike, ThreadLike, ThreadFollow, TaggedThread)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'{command} "{model._meta.db_table}"')


def volume_seed(
    *,
    boards: list[Board],
    threads: int,
    comments: int,
    authors: int,
    rng: random.Random,
    batch_size: int = 5000,
    big_thread_comments: int = 0,
    stdout=None,
) -> Seeded:
    """Create `authors` people, `threads` threads over `boards` sharing `comments` comments, likes,
    follows and tags, plus one thread of exactly `big_thread_comments` comments in the first board;
    then fix every stored counter and empty the page cache. One transaction: a failed run leaves
    nothing behind."""
    if authors < 2:
        raise ValueError("At least two authors are needed: nobody may like their own post.")
    if comments and not threads:
        raise ValueError("Comments need threads to go in.")

    def bar(label: str, total: int):
        return TextProgress(stdout, label, total) if stdout is not None and total else _NoProgress()

    seeded = Seeded()
    with transaction.atomic():
        seeded.author_ids = authors_create(count=authors, rng=rng, batch_size=batch_size)
        generator = _Generator(rng=rng, author_ids=seeded.author_ids, batch_size=batch_size)
        progress = bar("threads", threads)
        created = generator.threads_create(boards=boards, count=threads)
        progress.advance(threads)
        progress.finish()
        weights = _skewed_weights(len(created), rng, alpha=1.3)
        per_thread = [0] * len(created)
        for index in rng.choices(range(len(created)), weights=weights, k=comments) if created else []:
            per_thread[index] += 1
        plan = [(thread, count, TOP_LEVEL_SHARE) for thread, count in zip(created, per_thread)]
        if big_thread_comments:
            (big,) = generator.threads_create(
                boards=boards[:1], count=1, title="Waiting times for GP appointments: what happened to you?"
            )
            big.visibility, big.is_locked = Visibility.PUBLISHED, False
            Thread.objects.filter(pk=big.pk).update(visibility=big.visibility, is_locked=False)
            plan.append((big, big_thread_comments, BIG_THREAD_TOP_LEVEL_SHARE))
            created.append(big)
            seeded.big_thread = big
        progress = bar("comments", comments + big_thread_comments)
        generator.comments_create(plan, seeded, progress)
        progress.finish()
        seeded.thread_ids = [thread.pk for thread in created]
        if created:
            counters_fix(
                threads=Thread.objects.filter(pk__gte=min(seeded.thread_ids)),
                boards=Board.objects.filter(pk__in={board.pk for board in boards}),
            )
        transaction.on_commit(pagecache.invalidate_all)
    if seeded.big_thread is not None:
        seeded.big_thread.refresh_from_db()
    return seeded

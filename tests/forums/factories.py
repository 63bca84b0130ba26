"""Discussion factories. Threads and comments are made through the services, so counters,
follows and rendered HTML are exactly what a real post would leave behind."""

import factory

from forums import services
from forums.models import Board, Comment, Thread
from tests.factories import UserFactory


def general_board(programme_slug: str = "prevention") -> Board:
    """Boards are seeded by a migration: every programme has a "general" board."""
    return Board.objects.select_related("programme").get(programme__slug=programme_slug, slug="general")


def _apply(obj, model, fields: dict):
    """Set fields the services do not take (created_at, is_locked, visibility, ...) after creation."""
    if fields:
        model.objects.filter(pk=obj.pk).update(**fields)
        for name, value in fields.items():
            setattr(obj, name, value)
    return obj


class ThreadFactory(factory.Factory):
    class Meta:
        model = Thread

    author = factory.SubFactory(UserFactory)
    board = factory.LazyFunction(general_board)
    title = factory.Sequence(lambda n: f"Discussion number {n}")
    body = factory.Sequence(lambda n: f"The opening post of discussion {n}.")
    tags = ()

    @classmethod
    def _create(cls, model_class, *, author, board, title, body, tags, **extra):
        thread = services.thread_create(actor=author, board=board, title=title, body=body, tags=list(tags))
        return _apply(thread, Thread, extra)


class CommentFactory(factory.Factory):
    """`parent=` makes a reply in the parent's thread; `thread=` a top-level comment."""

    class Meta:
        model = Comment

    parent = None
    thread = factory.LazyAttribute(lambda o: o.parent.thread if o.parent is not None else ThreadFactory())
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"A reply, number {n}.")

    @classmethod
    def _create(cls, model_class, *, thread, author, body, parent, **extra):
        comment = services.comment_post(actor=author, thread=thread, body=body, parent=parent)
        return _apply(comment, Comment, extra)

from django.utils import timezone

from accounts.boroughs import Borough
from forums.models import Board, Comment, Thread
from tests.factories import UserFactory

from .synthetic import planted_corpus

BOROUGHS = [Borough.CROYDON, Borough.BRENT, Borough.HACKNEY, ""]


def seed_planted(programme, *, per_theme=20, authors=6, seed=16):
    """Published posts in `programme` with planted themes: one discussion per theme opened by a
    resident, its comments spread over a few authors and boroughs. Returns {key: planted theme}."""
    board = Board.objects.get(programme=programme, slug="general")
    people = [UserFactory(borough=BOROUGHS[i % len(BOROUGHS)]) for i in range(authors)]
    corpus = planted_corpus(per_theme, seed=seed)
    now = timezone.now()
    planted = {}
    threads = {}
    for n, theme in enumerate(sorted({t for t, _ in corpus})):
        opener = next(text for t, text in corpus if t == theme)
        threads[theme] = Thread.objects.create(
            board=board,
            author=people[n % authors],
            title=f"About {theme}",
            body=opener,
            body_html=f"<p>{opener}</p>",
            created_at=now - timezone.timedelta(days=40),
        )
        planted[f"thread:{threads[theme].pk}"] = theme
    comments = Comment.objects.bulk_create(
        Comment(
            thread=threads[theme],
            author=people[i % authors],
            body=text,
            body_html=f"<p>{text}</p>",
            created_at=now - timezone.timedelta(days=i % 60),
        )
        for i, (theme, text) in enumerate(corpus)
    )
    for comment, (theme, _) in zip(comments, corpus, strict=True):
        planted[f"comment:{comment.pk}"] = theme
    return planted

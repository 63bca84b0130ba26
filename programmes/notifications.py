"""Telling a programme's followers. The staff features (updates, official responses) call this at
the end of their service; the request returns at once and a task writes the notifications."""

from django.contrib.auth import get_user_model

from accounts import notifications

from .models import Programme

Category = notifications.Category


def programme_followers(*, programme_id: int):
    """The fan-out audience for a programme: everyone following it."""
    return get_user_model().objects.filter(programme_follows__programme_id=programme_id)


def programme_followers_notify(
    *,
    programme: Programme,
    event_key: str,
    title: str,
    url: str,
    excerpt: str = "",
    actor=None,
    topic: str = "",
    category: str = Category.PROGRAMME_UPDATE,
):
    """Notify everyone following `programme` of one event, say `event_key="programmes.update:7"`.

    `url` is site-relative and leads to the update itself; `excerpt` may be HTML or text.
    """
    event = notifications.Event(
        key=event_key,
        url=url,
        actor=actor,
        excerpt=notifications.excerpt(excerpt),
        section=programme.short_name,
        topic=topic or title,
        topic_url=url,
    )
    return notifications.notifications_fan_out(
        event=event,
        category=category,
        title=title,
        audience="programmes.notifications.programme_followers",
        audience_kwargs={"programme_id": programme.pk},
    )

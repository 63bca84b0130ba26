"""What a theme shows and leads to: quotes chosen by staff, and decisions that close the loop with
each person whose words fed the theme."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts import notifications
from accounts.boroughs import Borough
from forums.models import Comment, Thread, Visibility
from forums.moderation.safety import personal_information

from ..contributions.corpus import corpus_items_for
from ..updates.models import Update, UpdateStatus
from .models import Coding, CodingStatus, Quote, Theme, ThemeChange, ThemeDecision
from .services import audit, parse_key, require


def attribution(item) -> str:
    """Anonymous, as a report would print it: "Resident, Croydon, online"; offline, the session
    names the place: "Resident at the Brent roadshow"."""
    if item.source != "online":
        return f"Resident at the {item.session_title}" if item.session_title else "Resident at an engagement session"
    borough = Borough(item.borough).label if item.borough in Borough.values else ""
    return ", ".join(filter(None, ["Resident", borough, "online"]))


@transaction.atomic
def quote_choose(*, actor, theme: Theme, key: str) -> Quote:
    """Pick a quote for a theme: a published or consented item coded with the theme, which the
    personal-information guard passes again now (it may have been written before the guard)."""
    require(actor)
    kind, pk = parse_key(key)
    if not Coding.objects.filter(theme=theme, kind=kind, item_pk=pk, status=CodingStatus.CONFIRMED).exists():
        raise ValidationError("Quote only items a person has coded with this theme.")
    item = next(iter(corpus_items_for([key], programme=theme.programme)), None)
    if item is None or not item.publishable:
        raise ValidationError("Only published posts, or offline contributions with consent to publish, can be quoted.")
    if found := personal_information(item.text):
        raise ValidationError(f"This contribution contains {', '.join(found)}, so it cannot be quoted.")
    quote, created = Quote.objects.get_or_create(
        theme=theme,
        kind=kind,
        item_pk=pk,
        defaults={"attribution": attribution(item), "chosen_by": actor},
    )
    if created:
        audit(theme, actor, ThemeChange.Action.QUOTED, f"Chose a quote ({quote.attribution}).")
    return quote


@transaction.atomic
def quote_remove(*, actor, quote: Quote) -> None:
    require(actor)
    quote.delete()


def contributor_ids_q(theme_id: int) -> Q:
    """People whose confirmed-coded words fed the theme, as a filter on users."""
    coded = Coding.objects.filter(theme_id=theme_id, status=CodingStatus.CONFIRMED)
    comments = Comment.objects.filter(pk__in=coded.filter(kind="comment").values("item_pk")).values("author_id")
    threads = Thread.objects.filter(pk__in=coded.filter(kind="thread").values("item_pk")).values("author_id")
    return Q(pk__in=comments) | Q(pk__in=threads)


def theme_contributors(*, theme_id: int):
    """The audience of a decision's notifications (a fan-out audience: a queryset of users)."""
    return get_user_model().objects.filter(contributor_ids_q(theme_id))


def _decision_target(theme: Theme, update, response):
    if (update is None) == (response is None):
        raise ValidationError("Choose one decision: a programme update or an official response.")
    if update is not None:
        ok = update.programme_id == theme.programme_id and update.status == UpdateStatus.PUBLISHED
        if not ok:
            raise ValidationError({"update": "Choose a published update from this programme."})
        return update.title, update.get_absolute_url(), update.summary
    response = Comment.objects.select_related("thread__board").get(pk=response.pk)
    ok = (
        response.is_official
        and response.visibility == Visibility.PUBLISHED
        and not response.is_deleted
        and response.thread.board.programme_id == theme.programme_id
    )
    if not ok:
        raise ValidationError({"response": "Choose a published official response in this programme."})
    return f"Official response in “{response.thread.title}”", response.path, response.body


@transaction.atomic
def theme_decision_link(
    *, actor, theme: Theme, update: Update | None = None, response: Comment | None = None
) -> ThemeDecision:
    """Link a theme to a decision and tell, once, everyone whose coded words fed the theme, in
    their notification inbox and by email as their preferences say. Offline contributors have no
    account and are counted, not told."""
    require(actor)
    theme = Theme.objects.select_for_update().select_related("programme").get(pk=theme.pk)
    if not theme.is_active:
        raise ValidationError("Only a theme in use can be linked to a decision.")
    title, url, excerpt = _decision_target(theme, update, response)
    if ThemeDecision.objects.filter(theme=theme).filter(Q(update=update) if update else Q(response=response)).exists():
        raise ValidationError("This theme is already linked to that decision.")
    people = theme_contributors(theme_id=theme.pk).filter(is_active=True).exclude(pk=actor.pk).count()
    offline = Coding.objects.filter(theme=theme, status=CodingStatus.CONFIRMED, kind="offline").count()
    decision = ThemeDecision.objects.create(
        theme=theme, update=update, response=response, linked_by=actor, people_told=people, offline_not_told=offline
    )
    audit(theme, actor, ThemeChange.Action.LINKED, f"Linked to a decision: {title}.")
    event = notifications.Event(
        key=decision.event_key,
        url=url,
        actor=actor,
        excerpt=notifications.excerpt(excerpt),
        section=theme.programme.short_name,
        topic=theme.name,
        topic_url=theme.get_public_url(),
    )
    notifications.notifications_fan_out(
        event=event,
        category=notifications.Category.OFFICIAL_RESPONSE,
        title=f"What you said about “{theme.name}” fed a decision: {title}",
        audience="programmes.themes.outcomes.theme_contributors",
        audience_kwargs={"theme_id": theme.pk},
    )
    return decision

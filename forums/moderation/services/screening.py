"""Screening new posts: hold what needs a first look, queue crisis language and alert at once."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ...models import Comment, Thread, UnderReview, Visibility
from .. import safeguarding, safety
from ..models import FlaggedItem, ModerationConfig, Priority
from ._common import _pending_item, _set_under_review, _set_visibility


@dataclass
class Screening:
    held: bool = False
    hold_reasons: list[str] = field(default_factory=list)
    crisis: bool = False


def post_screen(*, actor, text: str, personal_confirmed: bool = False, editing: bool = False) -> Screening:
    """Decide whether a post may go straight up, must wait for a moderator, or is refused.

    Personal information makes the person think again first; if they post anyway it waits for a
    moderator. A new account's first posts, and posts matching the hold list, wait too. An author's
    edit is screened the same way, except that it is not one of their first posts.
    """
    findings = safety.check(text)
    if findings.block_words:
        raise ValidationError(
            "Your post includes words that are not allowed here. Please read the house rules and change it.",
            code="blocked",
        )
    if findings.personal and not personal_confirmed:
        raise ValidationError(
            "Your post seems to include %(found)s. To protect your privacy, please remove it. If you want to post "
            "it anyway, tick the box below and a moderator will check your post before anyone else sees it.",
            code="personal_info",
            params={"found": " and ".join(findings.personal)},
        )
    reasons = []
    if findings.personal:
        reasons.append("May contain " + " and ".join(findings.personal))
    if findings.hold_words:
        reasons.append("Matches the hold list: " + ", ".join(findings.hold_words))
    if not (editing or actor.is_moderator or actor.is_partnership_staff):
        first = ModerationConfig.current().premoderated_posts
        if first and _posts_fewer_than(actor, first):
            reasons.append(f"One of a new account's first {first} posts")
    return Screening(held=bool(reasons), hold_reasons=reasons, crisis=findings.crisis)


def _posts_fewer_than(actor, limit: int) -> bool:
    """Whether the person has posted fewer than `limit` times: counts stop at the limit, so an
    established resident costs one short query, not a count of everything they ever wrote."""
    posted = Comment.objects.filter(author=actor)[:limit].count()
    if posted < limit:
        posted += Thread.objects.filter(author=actor)[: limit - posted].count()
    return posted < limit


def post_flag(*, content, screening: Screening) -> FlaggedItem | None:
    """Queue a post that is held or uses crisis language; alert moderators about crisis at once.

    A post already waiting in the queue (reported, say) keeps its one item, raised in priority.
    """
    if not (screening.held or screening.crisis):
        return None
    if screening.held and content.visibility == Visibility.PUBLISHED:
        _set_visibility(content, Visibility.HELD)
    item = _pending_item(content, priority=Priority.AT_RISK if screening.crisis else Priority.HELD)
    item.held = item.held or screening.held
    new_reasons = screening.hold_reasons + (["Crisis language"] if screening.crisis else [])
    item.hold_reasons = item.hold_reasons + [r for r in new_reasons if r not in item.hold_reasons]
    item.save(update_fields=["held", "hold_reasons"])
    if screening.crisis:
        _set_under_review(content, UnderReview.CRISIS)
        safeguarding.alert_raise(item=item, reason="Crisis language in a post")
    return item

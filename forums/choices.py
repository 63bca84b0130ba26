"""Choices that models, querysets and services share. Querysets cannot import the models (the models
import them), so the constants live here and nothing compares against a bare string."""

from django.db import models


class Visibility(models.TextChoices):
    """Where a post stands with moderation. Only PUBLISHED is shown to everyone."""

    PUBLISHED = "published", "Published"
    HELD = "held", "Held for review"
    HIDDEN = "hidden", "Hidden"
    REMOVED = "removed", "Removed by a moderator"


class ThreadStatus(models.TextChoices):
    """Where the partnership stands on what a discussion raised, set by partnership staff."""

    OPEN = "open", "Open"
    CONSIDERING = "considering", "Under consideration"
    RESPONDED = "responded", "Responded"
    CHANGED = "changed", "Led to a change"


class UnderReview(models.TextChoices):
    """Why a post waits for a moderator's first look, kept on the post so pages and excerpts need no join.

    A post flagged for crisis language stays up (the person is never silenced), but no excerpt of it
    leaves the site until a moderator has looked (forums.querysets.text_may_travel)."""

    NO = "", "No"
    REPORTS = "reports", "Reported"
    CRISIS = "crisis", "Crisis language"

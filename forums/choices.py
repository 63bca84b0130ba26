"""Choices that models, querysets and services share. Querysets cannot import the models (the models
import them), so the constants live here and nothing compares against a bare string."""

from django.db import models


class Visibility(models.TextChoices):
    """Where a post stands with moderation. Only PUBLISHED is shown to everyone."""

    PUBLISHED = "published", "Published"
    HELD = "held", "Held for review"
    HIDDEN = "hidden", "Hidden while under review"
    REMOVED = "removed", "Removed by a moderator"


class ThreadStatus(models.TextChoices):
    """Where the partnership stands on what a discussion raised, set by partnership staff."""

    OPEN = "open", "Open"
    CONSIDERING = "considering", "Under consideration"
    RESPONDED = "responded", "Responded"
    CHANGED = "changed", "Led to a change"

"""The two roles beyond resident. Each is a Group, created by a data migration."""

from django.db import models


class Role(models.TextChoices):
    MODERATOR = "moderator", "Moderators"
    STAFF = "staff", "Partnership staff"

    @property
    def group_name(self) -> str:
        return self.label

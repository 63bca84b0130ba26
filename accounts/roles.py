"""The roles beyond resident. Each is a Group, created by a data migration."""

from django.db import models
from django.db.models import Exists, OuterRef


class Role(models.TextChoices):
    MODERATOR = "moderator", "Moderators"
    STAFF = "staff", "Partnership staff"
    SAFEGUARDING_LEAD = "safeguarding", "Safeguarding leads"

    @property
    def group_name(self) -> str:
        return self.label

    def held_by(self, user_field: str) -> Exists:
        """EXISTS(the person in `user_field` of the outer row is in this role's group): annotates
        rows (comments by their author, say) with the role in the same query."""
        from django.contrib.auth import get_user_model

        memberships = get_user_model().groups.through.objects.filter(
            user_id=OuterRef(user_field), group__name=self.group_name
        )
        return Exists(memberships)

"""Official responses: partnership staff answer a discussion on behalf of the programme team.

The first published one is linked from the top of the discussion, and an open discussion becomes
"responded". Forums asks this policy through forums.hooks; programmes sets it when the app is ready.
"""

import rules

from forums import hooks
from forums.models import Thread, ThreadStatus

from ..themes.public import themes_behind


class OfficialResponses(hooks.OfficialReplies):
    def allowed(self, user) -> bool:
        return rules.has_perm("programmes.post_official_response", user)

    def notes(self, comment_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        """The themes of what Londoners said that each response answers (programmes.themes)."""
        found = themes_behind(responses=comment_ids)
        return {pk: [(t.name, t.get_public_url()) for t in themes] for (_, pk), themes in found.items()}

    def posted(self, *, thread, comment, when) -> None:
        Thread.objects.filter(pk=thread.pk, official_response__isnull=True).update(official_response=comment)
        Thread.objects.filter(pk=thread.pk, status=ThreadStatus.OPEN).update(
            status=ThreadStatus.RESPONDED, status_changed_at=when
        )

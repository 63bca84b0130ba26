"""Official responses: partnership staff answer a discussion on behalf of the programme team.

The first published one is linked from the top of the discussion, and an open discussion becomes
"responded". Forums asks this policy through forums.hooks; programmes sets it when the app is ready.
"""

import rules

from forums import hooks
from forums.models import Thread, ThreadStatus


class OfficialResponses(hooks.OfficialReplies):
    def allowed(self, user) -> bool:
        return rules.has_perm("programmes.post_official_response", user)

    def posted(self, *, thread, comment, when) -> None:
        Thread.objects.filter(pk=thread.pk, official_response__isnull=True).update(official_response=comment)
        Thread.objects.filter(pk=thread.pk, status=ThreadStatus.OPEN).update(
            status=ThreadStatus.RESPONDED, status_changed_at=when
        )

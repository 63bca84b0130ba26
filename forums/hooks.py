"""Where an app above forums adds its rules to a forum write, without forums importing it.

Words taken down: apps that keep copies of posts' words (programmes' evidence packs quote them)
listen, and forget them whenever a post is deleted, hidden, removed, erased or edited.

Official replies: a reply posted on behalf of a team. Who may post one, and what follows from one,
is the partnership's policy (programmes.responses.official sets it when the app is ready); until a
policy is set, nobody may.
"""


class OfficialReplies:
    """The policy forums asks about official replies; this default allows none."""

    def allowed(self, user) -> bool:
        return False

    def posted(self, *, thread, comment, when) -> None:
        """Called in the posting transaction once an official reply is published (not held)."""

    def notes(self, comment_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        """What official replies on a page answer, as links shown under each: {comment id: [(text,
        url)]}. Asked only when a page shows an official reply; one query at most."""
        return {}


official_replies = OfficialReplies()


def official_replies_set(policy: OfficialReplies) -> None:
    global official_replies
    official_replies = policy


_words_taken_down = []


def words_taken_down_listen(listener) -> None:
    """`listener(keys)` is called, in the taking-down transaction, with the posts' keys ("comment:12",
    "thread:3") whose words must leave every copy the listener's app keeps."""
    if listener not in _words_taken_down:
        _words_taken_down.append(listener)


def words_taken_down(keys: list[str]) -> None:
    for listener in _words_taken_down:
        listener(keys)

"""Signed unsubscribe tokens: a person and the categories one click turns off, with no login.

The token is the authority, so it is signed with SECRET_KEY under its own salt and checked in full;
anything tampered with or malformed reads as BadSignature.
"""

from django.core import signing

from accounts.models import NotificationCategory

SALT = "accounts.notifications.unsubscribe"


def make(user_id: int, categories: list[str]) -> str:
    return signing.dumps({"u": user_id, "c": sorted(set(categories))}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, list[str]]:
    payload = signing.loads(token, salt=SALT)
    try:
        user_id, categories = payload["u"], payload["c"]
    except (KeyError, TypeError) as exc:
        raise signing.BadSignature("Malformed unsubscribe token.") from exc
    if (
        not isinstance(user_id, int)
        or not isinstance(categories, list)
        or not categories
        or not set(categories) <= set(NotificationCategory.values)
    ):
        raise signing.BadSignature("Malformed unsubscribe token.")
    return user_id, categories

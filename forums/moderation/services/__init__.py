"""Moderation writes: screening new posts, reports, moderator actions, sanctions and appeals.

Each action needs a reason, is checked against the moderator's scope, and is written to the
audit log with the content's state before and after.
"""

from ._common import Kind, APPEALABLE, content_key
from .screening import Screening, post_screen, post_flag
from .reports import report_file, item_for
from .actions import (
    item_dismiss,
    item_approve,
    item_hide,
    item_remove,
    items_bulk,
    content_edit,
    thread_lock_set,
    thread_pin_set,
    thread_move,
)
from .sanctions import user_warn, items_close_for_deleted, user_suspend, user_ban
from .appeals import appeal_file, appeal_decide

__all__ = [
    "Kind",
    "APPEALABLE",
    "content_key",
    "Screening",
    "post_screen",
    "post_flag",
    "report_file",
    "item_for",
    "item_dismiss",
    "item_approve",
    "item_hide",
    "item_remove",
    "items_bulk",
    "content_edit",
    "thread_lock_set",
    "thread_pin_set",
    "thread_move",
    "user_warn",
    "items_close_for_deleted",
    "user_suspend",
    "user_ban",
    "appeal_file",
    "appeal_decide",
]

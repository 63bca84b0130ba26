"""Who may do what in discussions."""

import rules

from accounts.rules import is_verified

rules.add_perm("forums.add_thread", is_verified)
rules.add_perm("forums.add_comment", is_verified)

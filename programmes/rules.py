"""Who may do what with programmes."""

import rules

rules.add_perm("programmes.follow_programme", rules.is_authenticated)

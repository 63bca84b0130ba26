"""Who may do what with programmes."""

import rules

from accounts.rules import is_partnership_staff, is_verified
from forums.rules import can_post

rules.add_perm("programmes.follow_programme", rules.is_authenticated)

# Partnership staff: updates, polls, events, official responses and reports. Everyone else gets 404.
rules.add_perm("programmes.access_staff_area", is_partnership_staff)
rules.add_perm("programmes.change_update", is_partnership_staff)
rules.add_perm("programmes.publish_update", is_partnership_staff)
rules.add_perm("programmes.change_poll", is_partnership_staff)
rules.add_perm("programmes.view_poll_boroughs", is_partnership_staff)
rules.add_perm("programmes.change_event", is_partnership_staff)
rules.add_perm("programmes.view_reports", is_partnership_staff)
rules.add_perm("programmes.export_discussions", is_partnership_staff)
rules.add_perm("programmes.post_official_response", is_partnership_staff)
rules.add_perm("programmes.set_thread_status", is_partnership_staff)
rules.add_perm("programmes.announce", is_partnership_staff)
rules.add_perm("programmes.vote_poll", can_post)
rules.add_perm("programmes.attend_event", is_verified)
rules.add_perm("programmes.build_evidence_pack", is_partnership_staff)
rules.add_perm("programmes.publish_evidence_pack", is_partnership_staff)

# Themes: the codebook, coding, discovery and what themes led to.
rules.add_perm("programmes.view_themes", is_partnership_staff)
rules.add_perm("programmes.change_theme", is_partnership_staff)
rules.add_perm("programmes.record_offline", is_partnership_staff)
rules.add_perm("programmes.publish_offline", is_partnership_staff)

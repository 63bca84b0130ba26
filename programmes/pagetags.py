"""What a write to a programme's updates, events or polls changes, as page-cache tags (talkhealth.pagecache).

A programme's own pages (updates, events, polls, "you said, we did") carry `programme:<slug>`, its
hub `hub:<slug>`; the home page, the site-wide lists and search show every programme's.
"""

from talkhealth import pagecache


def programme_changed(programme, *also: str) -> None:
    """After commit, make the programme's pages stale, and the site-wide pages named in `also`."""
    pagecache.invalidate_on_commit(f"programme:{programme.slug}", f"hub:{programme.slug}", "home", *also)

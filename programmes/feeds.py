"""RSS and Atom feeds of programme updates: the whole site's, and each programme's."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from talkhealth.feeds import CleanFeed

from .models import Programme
from .updates import selectors

FEED_ITEMS = 20


class SiteUpdatesFeed(CleanFeed):
    title = "Talk Health: programme updates"
    description = "News from the Healthy London Partnership's 13 programmes."

    def link(self):
        return reverse("updates")

    def items(self):
        return selectors.published_updates()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """Feed readers read a description as HTML: a summary is plain text, so it is escaped."""
        return escape(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.programme.short_name]


class SiteUpdatesAtomFeed(SiteUpdatesFeed):
    feed_type = Atom1Feed
    subtitle = SiteUpdatesFeed.description


class ProgrammeUpdatesFeed(SiteUpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Programme, slug=slug)

    def title(self, programme):
        return f"Talk Health: {programme.short_name} updates"

    def description(self, programme):
        return f"News from the {programme.short_name} programme: {programme.name}."

    def link(self, programme):
        return reverse("programmes:updates", kwargs={"slug": programme.slug})

    def items(self, programme):
        return selectors.published_updates(programme=programme)[:FEED_ITEMS]


class ProgrammeUpdatesAtomFeed(ProgrammeUpdatesFeed):
    feed_type = Atom1Feed

    def subtitle(self, programme):
        return self.description(programme)

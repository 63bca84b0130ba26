"""The sitemap: public pages search engines may list. Only what a visitor can read is included."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from forums.models import Thread

from .events.selectors import upcoming_events
from .models import Programme
from .updates.selectors import published_updates


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "programmes:index", "updates", "events", "house_rules", "privacy", "accessibility"]

    def location(self, item):
        return reverse(item)


class ProgrammeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Programme.objects.only("slug").order_by("position")


class UpdateSitemap(Sitemap):
    def items(self):
        return published_updates()

    def lastmod(self, update):
        return update.updated_at


class ThreadSitemap(Sitemap):
    """Residents' discussions (an update's discussion is listed as the update)."""

    limit = 5000

    def items(self):
        return (
            Thread.objects.visible_to(AnonymousUser())
            .filter(page_url="")
            .only("id", "title", "last_activity_at", "page_url")
            .order_by("-last_activity_at", "-id")
        )

    def lastmod(self, thread):
        return thread.last_activity_at


class EventSitemap(Sitemap):
    def items(self):
        return upcoming_events()

    def lastmod(self, event):
        return event.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "programmes": ProgrammeSitemap,
    "updates": UpdateSitemap,
    "discussions": ThreadSitemap,
    "events": EventSitemap,
}

"""Site-wide pages from programmes (all updates, all events, feeds, the sitemap) and the staff area,
included once at the site root."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import feeds, staff_views
from .events import staff_views as event_staff
from .events import views as events
from .polls import staff_views as poll_staff
from .polls import views as polls
from .reports import views as reports
from .responses import views as responses
from .sitemaps import SITEMAPS
from .updates import staff_views as update_staff
from .updates import views as updates

staff_patterns = [
    path("", staff_views.staff_home, name="home"),
    path("updates/", update_staff.update_list, name="updates"),
    path("updates/new/", update_staff.update_create, name="update_create"),
    path("updates/plain-english/", update_staff.plain_english_check, name="plain_english"),
    path("updates/<int:pk>/", update_staff.update_edit, name="update_edit"),
    path("updates/<int:pk>/unpublish/", update_staff.update_unpublish, name="update_unpublish"),
    path("polls/", poll_staff.poll_list, name="polls"),
    path("polls/new/", poll_staff.poll_create, name="poll_create"),
    path("polls/<int:pk>/", poll_staff.poll_edit, name="poll_edit"),
    path("events/", event_staff.event_list, name="events"),
    path("events/new/", event_staff.event_create, name="event_create"),
    path("events/<int:pk>/", event_staff.event_edit, name="event_edit"),
    path("events/<int:pk>/attendees/", event_staff.event_attendees, name="event_attendees"),
    path("events/<int:pk>/cancel/", event_staff.event_cancel, name="event_cancel"),
    path("threads/<int:pk>/status/", responses.thread_status, name="thread_status"),
    path("reports/", reports.report, name="report"),
    path("exports/", reports.export_list, name="exports"),
    path("exports/<int:pk>/", reports.export_detail, name="export"),
    path("exports/<int:pk>/download/", reports.export_download, name="export_download"),
]

urlpatterns = [
    path("staff/", include((staff_patterns, "staff"))),
    path("updates/", updates.all_updates, name="updates"),
    path("updates/feed/", feeds.SiteUpdatesFeed(), name="updates_feed"),
    path("updates/feed/atom/", feeds.SiteUpdatesAtomFeed(), name="updates_atom"),
    path("events/", events.upcoming, name="events"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

programme_patterns = [
    path("<slug:slug>/updates/", updates.programme_updates, name="updates"),
    path("<slug:slug>/updates/feed/", feeds.ProgrammeUpdatesFeed(), name="updates_feed"),
    path("<slug:slug>/updates/feed/atom/", feeds.ProgrammeUpdatesAtomFeed(), name="updates_atom"),
    path("<slug:slug>/updates/<int:pk>/", updates.update_detail, name="update"),
    path("<slug:slug>/you-said-we-did/", responses.you_said_we_did, name="you_said_we_did"),
    path("<slug:slug>/polls/<int:pk>/", polls.poll_detail, name="poll"),
    path("<slug:slug>/polls/<int:pk>/vote/", polls.poll_vote, name="poll_vote"),
    path("<slug:slug>/events/", events.upcoming, name="events"),
    path("<slug:slug>/events/<int:pk>/", events.event_detail, name="event"),
    path("<slug:slug>/events/<int:pk>/attend/", events.event_attend, name="event_attend"),
    path("<slug:slug>/events/<int:pk>/calendar.ics", events.event_calendar, name="event_calendar"),
]

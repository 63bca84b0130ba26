"""Site-wide pages from programmes (the home page, all updates, all events, feeds, the sitemap) and
the staff area, included once at the site root."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import feeds, staff_views, views
from .contributions import staff_views as offline
from .evidence import views as evidence
from .events import staff_views as event_staff
from .events import views as events
from .polls import staff_views as poll_staff
from .polls import views as polls
from .reports import views as reports
from .responses import views as responses
from .sitemaps import SITEMAPS
from .themes import urls as theme_urls
from .themes import views as themes
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
    path("sessions/", offline.session_list, name="sessions"),
    path("sessions/new/", offline.session_create, name="session_create"),
    path("sessions/from-event/<int:pk>/", offline.session_from_event, name="session_from_event"),
    path("sessions/<int:pk>/", offline.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", offline.session_edit, name="session_edit"),
    path("sessions/<int:pk>/import/", offline.import_upload, name="session_import"),
    path("sessions/imports/<int:pk>/", offline.import_detail, name="contribution_import"),
    path("sessions/imports/<int:pk>/rejects.csv", offline.import_rejects, name="contribution_import_rejects"),
    path("sessions/import-template/", offline.import_template, name="contribution_template"),
    path("contributions/<int:pk>/", offline.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/publish/", offline.contribution_publish, name="contribution_publish"),
    path("contributions/<int:pk>/withdraw/", offline.contribution_withdraw, name="contribution_withdraw"),
    path("contributions/<int:pk>/original/", offline.contribution_original, name="contribution_original"),
    path("reports/", reports.report, name="report"),
    path("who-was-heard/", evidence.representativeness, name="representativeness"),
    path("evidence-packs/", evidence.pack_list, name="evidence_packs"),
    path("evidence-packs/<int:pk>/", evidence.pack_detail, name="evidence_pack"),
    path("evidence-packs/<int:pk>/<str:kind>/", evidence.pack_download, name="evidence_pack_download"),
    path("exports/", reports.export_list, name="exports"),
    path("exports/<int:pk>/", reports.export_detail, name="export"),
    path("exports/<int:pk>/download/", reports.export_download, name="export_download"),
    path("themes/", include((theme_urls.patterns, "themes"))),
]

urlpatterns = [
    path("", views.home, name="home"),
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
    path("<slug:slug>/what-we-heard/<int:pk>/", evidence.pack_summary, name="evidence_summary"),
    path("<slug:slug>/what-you-told-us/<int:pk>/", themes.public_theme, name="theme"),
    path("<slug:slug>/polls/<int:pk>/", polls.poll_detail, name="poll"),
    path("<slug:slug>/polls/<int:pk>/vote/", polls.poll_vote, name="poll_vote"),
    path("<slug:slug>/events/", events.upcoming, name="events"),
    path("<slug:slug>/events/<int:pk>/", events.event_detail, name="event"),
    path("<slug:slug>/events/<int:pk>/attend/", events.event_attend, name="event_attend"),
    path("<slug:slug>/events/<int:pk>/calendar.ics", events.event_calendar, name="event_calendar"),
]

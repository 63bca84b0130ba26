from django.urls import path

from . import authoring_views, feeds, views
from .moderation import views as moderation_views

app_name = "forums"
urlpatterns = [
    path("programmes/<slug:programme_slug>/boards/<slug:slug>/", views.board_detail, name="board"),
    path("programmes/<slug:programme_slug>/moderation/", moderation_views.public_figures, name="moderation_figures"),
    path("programmes/<slug:programme_slug>/boards/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("threads/<int:pk>/", views.thread_detail, name="thread_short"),
    path("threads/<int:pk>/reply/", views.comment_create, name="comment_create"),
    path("threads/<int:pk>/like/", views.thread_like, name="thread_like"),
    path("threads/<int:pk>/follow/", views.thread_follow, name="thread_follow"),
    path("threads/<int:pk>/edit/", authoring_views.thread_edit, name="thread_edit"),
    path("threads/<int:pk>/delete/", authoring_views.thread_delete, name="thread_delete"),
    path("threads/<int:pk>/history/", authoring_views.thread_history, name="thread_history"),
    path("threads/<int:pk>/report/", moderation_views.thread_report, name="thread_report"),
    path("threads/<int:pk>/feed/", feeds.ThreadCommentsFeed(), name="thread_feed"),
    path("threads/<int:pk>/feed/atom/", feeds.ThreadCommentsAtomFeed(), name="thread_atom"),
    path("threads/<int:pk>/<slug:slug>/", views.thread_detail, name="thread"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/like/", views.comment_like, name="comment_like"),
    path("comments/<int:pk>/report/", moderation_views.comment_report, name="comment_report"),
    path("comments/<int:pk>/history/", views.comment_history, name="comment_history"),
    path("people/<int:pk>/", views.person_profile, name="person"),
    path("tags/suggest/", views.tag_suggest, name="tag_suggest"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
]

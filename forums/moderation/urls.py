from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("items/<int:pk>/", views.item, name="item"),
    path("log/", views.audit_log, name="log"),
    path("appeals/", views.appeals, name="appeals"),
    path("deletions/", views.deletions, name="deletions"),
    path("appeals/<int:pk>/", views.appeal, name="appeal"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("threads/<int:pk>/", views.thread_moderate, name="thread"),
    path("comments/<int:pk>/", views.comment_moderate, name="comment"),
    path("safeguarding/", views.safeguarding_log, name="safeguarding"),
]

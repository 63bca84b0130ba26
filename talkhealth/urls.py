from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import views

# Each app's pages come in through include(): the project imports no app's views, so every import
# runs one way (programmes -> forums -> accounts -> talkhealth). The home page is programmes'.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("house-rules/", TemplateView.as_view(template_name="pages/house_rules.html"), name="house_rules"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("accounts.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("programmes/", include("programmes.urls")),
    path("", include("programmes.site_urls")),
    path("search/", include("programmes.search.urls")),
    path("", include("forums.urls")),
    path("moderation/", include("forums.moderation.urls")),
    path("admin/", admin.site.urls),
]
if getattr(settings, "BENCH_FLOOR_VIEW", False):
    urlpatterns.append(path("bench/floor/", include("talkhealth.bench_views")))

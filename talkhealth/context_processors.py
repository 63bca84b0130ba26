from django.conf import settings


def site(request):
    """Values every page's layout needs; none of them queries the database."""
    return {"SITE_NAME": "Talk Health", "SITE_URL": settings.SITE_URL}

from django.conf import settings


def site(request):
    """Values every page's layout needs; none of them queries the database."""
    return {"SITE_NAME": "Talk Health", "SITE_URL": settings.SITE_URL}


def viewer(request):
    """Who is reading, as plain values for the Jinja2 partials (jinja2/): they test it once per
    comment, and each test through the lazy `request.user` costs a proxy call."""
    user = getattr(request, "user", None)
    return {"viewer_id": user.pk if user is not None else None, "signed_in": bool(user and user.is_authenticated)}

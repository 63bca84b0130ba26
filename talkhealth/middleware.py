"""Request and response rules that hold for every page.

`BadInputMiddleware` answers 400 to a query string carrying a NUL byte (PostgreSQL cannot store
or compare one; forms strip it from text, see talkhealth.forms) and 404 to an id too big for any
row (SQLite cannot even compare one), so bad input is the visitor's error, never the server's.
`SecurityHeadersMiddleware` adds the Content-Security-Policy, and `Cache-Control: private` to
every page a signed-in person gets, so no shared cache keeps a copy of their page.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .forms import BIGGEST_ID


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET):
            return render(
                request,
                "400.html",
                {"message": "The web address contains a character that cannot be used (a NUL byte)."},
                status=400,
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """An id bigger than any row can have names nothing: 404, like any other missing thing."""
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > BIGGEST_ID:
                raise Http404("No such page.")
        return None


def content_security_policy() -> str:
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in settings.CONTENT_SECURITY_POLICY.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        user = getattr(request, "user", None) if settings.SESSION_COOKIE_NAME in request.COOKIES else None
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response

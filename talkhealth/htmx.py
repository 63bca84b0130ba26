"""htmx requests show their errors in place, in production and under DEBUG alike.

htmx is configured (base.html's `htmx-config`) to swap 4xx answers like 2xx, so a form view that
answers its partial with errors and status 400 or 422 needs nothing more. Anything else a 4xx htmx
request gets (a refusal raised as PermissionDenied, a 404, a CSRF failure, a rate limit, an empty
405) becomes a short NHS.UK error summary placed just after the element that made the request, and
talkhealth.js moves focus to it. Forms added later get this for free.
"""

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.http import HttpResponse

MESSAGES = {
    400: "Something went wrong with that. Reload the page and try again.",
    403: "You cannot do that here.",
    404: "This is no longer available. Reload the page to see the latest.",
    405: "That did not work. Reload the page and try again.",
    429: "You have done that too often. Wait a few minutes, then try again.",
}
PAGE_MARK = b"<html"


def refusal(request, message: str, *, status: int = 400) -> HttpResponse:
    """An error summary saying `message`, shown just after the element that made the htmx request."""
    html = render_to_string("includes/_htmx_refusal.html", {"message": message}, request=request)
    response = HttpResponse(html, status=status)
    response["HX-Retarget"] = "this"
    response["HX-Reswap"] = "afterend"
    return response


class HtmxErrorsMiddleware:
    """Turn refusals and whole error pages answering htmx requests into an in-place error summary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or not 400 <= response.status_code < 500 or response.has_header("HX-Retarget"):
            return response
        body = getattr(response, "content", b"")
        if body.strip() and PAGE_MARK not in body[:600]:
            return response
        return refusal(request, MESSAGES.get(response.status_code, MESSAGES[400]), status=response.status_code)

    def process_exception(self, request, exception):
        if getattr(request, "htmx", False) and isinstance(exception, PermissionDenied):
            return refusal(request, str(exception) or MESSAGES[403], status=403)
        return None

"""The staff area's gate: partnership staff only. Everyone else, signed in or not, gets a 404, so
the staff pages do not even admit to existing."""

from functools import wraps

from talkhealth.access import permitted_or_404


def staff_only(perm: str = "programmes.access_staff_area"):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            permitted_or_404(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""The staff area's gate: partnership staff only. Everyone else, signed in or not, gets a 404, so
the staff pages do not even admit to existing."""

from functools import wraps

from django.http import Http404


def staff_only(perm: str = "programmes.access_staff_area"):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""Hidden things 404: a person without the permission learns nothing, not even that the page exists."""

from django.http import Http404


def permitted_or_404(user, perm: str, obj=None) -> None:
    """Go on only if `user` has `perm` (on `obj`); otherwise the page does not exist for them."""
    if not user.has_perm(perm, obj):
        raise Http404

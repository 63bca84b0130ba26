from django.utils.functional import SimpleLazyObject


def moderation(request):
    """For moderators, the count of items waiting in their programmes (the header badge), asked only
    when a page shows it; nothing for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("forums.access_moderation"):
        return {}
    from .moderation.selectors import waiting_count

    return {"moderation_waiting": SimpleLazyObject(lambda: waiting_count(user=user))}

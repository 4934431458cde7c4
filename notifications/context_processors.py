from django.utils.functional import SimpleLazyObject


def unread(request):
    """The unread count for the navigation bar: one query, only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": SimpleLazyObject(lambda: _count(user))}


def _count(user):
    from .models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

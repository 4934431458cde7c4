"""Authentication backend: NIP + password, loading the employee with the user; the
session lifetime each role gets at login."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmployeeBackend(ModelBackend):
    """Django's model backend, plus two things every page needs.

    The session user is loaded together with its employee record and OPD in one query
    (every page checks the role, and the check-in page is the hottest path in the app).
    A NIP typed with surrounding spaces still logs in.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("employee__opd").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def session_age_for(user) -> int:
    """Seconds a session of this user lasts: long for an ASN, short for everyone else
    (OPD heads, BKPSDM, superusers and staff accounts without an employee record)."""
    from .access import role_of
    from .models import Role

    if role_of(user) == Role.ASN and not user.is_staff and not user.is_superuser:
        return settings.SESSION_AGE_ASN_SECONDS
    return settings.SESSION_AGE_STAFF_SECONDS


def set_session_lifetime(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the app's login page and the admin's alike."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(session_age_for(user))

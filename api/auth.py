"""Who is calling the API: a key in ``Authorization: Bearer <key>`` or ``X-Api-Key``.

There is no session authentication here, so a signed-in browser never reaches the
API by its cookie alone and CSRF protection is not weakened.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey, hash_secret

# last_used_at is written at most this often per key, so a busy key costs no update per
# request.
LAST_USED_GRAIN = timedelta(minutes=1)


class ApiClient:
    """``request.user`` of a call made with a key: authenticated, and nobody's account."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None

    def __init__(self, key: ApiKey):
        self.key = key

    def __str__(self):
        return self.key.name


def presented_secret(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.META.get("HTTP_X_API_KEY", "").strip()


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        secret = presented_secret(request)
        if not secret:
            return None
        key = (
            ApiKey.objects.select_related("opd")
            .filter(hashed=hash_secret(secret), active=True)
            .first()
        )
        if key is None:
            raise exceptions.AuthenticationFailed(_("Kunci API salah atau sudah dicabut."))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRAIN:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        return ApiClient(key), key

    def authenticate_header(self, request):
        # A WWW-Authenticate header makes DRF answer 401 (not 403) without a key.
        return 'Bearer realm="api"'


class HasScope(BasePermission):
    """The view's ``scope`` must be one of the key's scopes."""

    def has_permission(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            raise exceptions.NotAuthenticated(
                _("Kunci API wajib dikirim di header Authorization: Bearer <kunci>.")
            )
        if not key.allows(view.scope):
            raise exceptions.PermissionDenied(
                _('Kunci API ini tidak mempunyai cakupan "{scope}".').format(scope=view.scope)
            )
        return True


class ApiKeyThrottle(SimpleRateThrottle):
    """Requests per key (``API_RATE_LIMIT``, e.g. ``600/min``), read at each request so
    tests can lower it with a settings override."""

    scope = "api_key"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None

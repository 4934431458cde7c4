"""The personal calendar feed's token: made, replaced, revoked and looked up.

The address ``/kalender/<token>.ics`` is the only credential a calendar app can send,
so the token is random (32 bytes, URL-safe), stored only as a SHA-256 hash and shown
once. What the feed says is built in ``attendance.ical`` from
``attendance.selectors.expected_days``.
"""

import hashlib
import secrets
import string

from django.utils import timezone

from opd.models import Employee

from .models import CalendarFeed

TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # len(secrets.token_urlsafe(32))
_TOKEN_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def turn_on(employee: Employee) -> str:
    """A new token for the person (the old address, if any, stops working); the token
    itself is returned to be shown once and is not stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    CalendarFeed.objects.update_or_create(
        employee=employee,
        defaults={
            "token_hash": hash_token(token),
            "created_at": timezone.now(),
            "revoked_at": None,
        },
    )
    return token


def turn_off(employee: Employee) -> bool:
    """Revoke the person's feed; False when it was not on."""
    return bool(
        CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def feed_of(employee: Employee) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(employee=employee).first()


def is_current(employee: Employee, token: str) -> bool:
    """Whether ``token`` is the person's active token (to show it once, no older one)."""
    return CalendarFeed.objects.filter(
        employee=employee, token_hash=hash_token(token), revoked_at__isnull=True
    ).exists()


def employee_for_token(token: str) -> Employee | None:
    """The active employee whose active feed has this token, or None (one query; none
    for a token that cannot be one)."""
    if len(token) != TOKEN_LENGTH or not set(token) <= _TOKEN_ALPHABET:
        return None
    feed = (
        CalendarFeed.objects.select_related("employee")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, employee__active=True)
        .first()
    )
    return feed.employee if feed else None

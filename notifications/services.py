"""Tell people something: one in-app notice each, and an e-mail copy sent by Celery."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification, Preference

BATCH = 5000


def notify(
    *,
    recipients: Iterable[int],
    kind: str,
    key: str,
    title: str,
    body: str = "",
    params: dict | None = None,
    url: str = "",
) -> int:
    """One notice per recipient (user id) for ``key``; returns how many were new.

    ``title`` and ``body`` are message ids marked with ``gettext_noop`` and formatted
    with ``params`` when shown. Idempotent: a recipient who already has a notice with
    this key gets no second one, and no second e-mail. The e-mails are queued after
    the commit and sent in chunks by ``tasks.send_notice_emails``.
    """
    ids = sorted(set(recipients))
    if not ids:
        return 0
    before = Notification.objects.filter(key=key).count()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=kind,
                key=key,
                title=title,
                body=body,
                params=params or {},
                url=url,
            )
            for user_id in ids
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    created = Notification.objects.filter(key=key).count() - before

    def queue():
        from .tasks import send_notice_emails

        send_notice_emails.delay(key)

    if created:
        transaction.on_commit(queue)
    return created


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    notices = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        notices = notices.filter(pk__in=list(ids))
    return notices.update(read_at=timezone.now())


def reminders_enabled(user) -> bool:
    return not Preference.objects.filter(user=user, reminders=False).exists()


def set_reminders(user, on: bool) -> None:
    Preference.objects.update_or_create(user=user, defaults={"reminders": on})


def reminders_off() -> set[int]:
    """The users who turned the check-in reminder off."""
    return set(Preference.objects.filter(reminders=False).values_list("user_id", flat=True))

"""Tell people something: one in-app notice each, and an e-mail copy sent by Celery."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
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


@dataclass(frozen=True)
class Notice:
    """One ``notify`` call's arguments, for ``notify_many``."""

    recipients: tuple[int, ...]
    kind: str
    key: str
    title: str
    body: str = ""
    params: dict = field(default_factory=dict)
    url: str = ""


def notify_many(notices: Iterable[Notice]) -> int:
    """``notify`` for many keys at once (e.g. one per short post), in three queries
    whatever their number; the same idempotence per recipient and key."""
    notices = [n for n in notices if n.recipients]
    if not notices:
        return 0
    keys = sorted({n.key for n in notices})

    def counts():
        return dict(
            Notification.objects.filter(key__in=keys)
            .order_by()
            .values("key")
            .annotate(n=Count("id"))
            .values_list("key", "n")
        )

    before = counts()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=n.kind,
                key=n.key,
                title=n.title,
                body=n.body,
                params=n.params,
                url=n.url,
            )
            for n in notices
            for user_id in sorted(set(n.recipients))
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    after = counts()
    new_keys = [key for key in keys if after.get(key, 0) > before.get(key, 0)]

    def queue():
        from .tasks import send_notice_emails

        for key in new_keys:
            send_notice_emails.delay(key)

    if new_keys:
        transaction.on_commit(queue)
    return sum(after.get(key, 0) - before.get(key, 0) for key in keys)


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

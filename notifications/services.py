"""Tell people something: one in-app notice each, and an e-mail copy sent by Celery."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
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
    return notify_many(
        [
            Notice(
                recipients=tuple(recipients),
                kind=kind,
                key=key,
                title=title,
                body=body,
                params=params or {},
                url=url,
            )
        ]
    )


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
    """``notify`` for many keys at once (e.g. one per short post, or one per approved
    roster); the same idempotence per recipient and key. Returns how many notices were
    new, and queues one mail task per key that got any, after the commit."""
    notices = [n for n in notices if n.recipients]
    if not notices:
        return 0
    if connection.vendor == "postgresql":
        added = _insert_postgresql(notices)
    else:
        added = _insert_orm(notices)
    new_keys = sorted(key for key, n in added.items() if n)

    def queue():
        from .tasks import send_notice_emails

        for key in new_keys:
            send_notice_emails.delay(key)

    if new_keys:
        transaction.on_commit(queue)
    return sum(added.values())


# One statement for any number of notices: the texts travel once per notice, the
# recipients as two integer arrays (user id, notice number); the rows are inserted in
# the order the notices and their sorted recipients come, and the statement answers how
# many rows each key got. 50,000 notices: about a second, where the ORM's bulk_create
# spent most of eight seconds quoting the same texts 50,000 times.
_INSERT = """
WITH notice AS (
    SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::jsonb[], %s::text[])
    WITH ORDINALITY AS n(kind, key, title, body, params, url, i)
), added AS (
    INSERT INTO {table}
        (recipient_id, kind, key, title, body, params, url, created_at, emailed_to)
    SELECT r.recipient_id, n.kind, n.key, n.title, n.body, n.params, n.url, %s, ''
    FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS r(recipient_id, i, position)
    JOIN notice n USING (i)
    ORDER BY r.position
    ON CONFLICT DO NOTHING
    RETURNING key
)
SELECT key, count(*) FROM added GROUP BY key
"""


def _insert_postgresql(notices: list[Notice]) -> dict[str, int]:
    """Insert the notices in one statement; how many rows each key got."""
    encoder = Notification._meta.get_field("params").encoder
    recipients: list[int] = []
    numbers: list[int] = []
    for number, notice in enumerate(notices, start=1):
        ids = sorted(set(notice.recipients))
        recipients.extend(ids)
        numbers.extend([number] * len(ids))
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT.format(table=table),
            [
                [n.kind for n in notices],
                [n.key for n in notices],
                [n.title for n in notices],
                [n.body for n in notices],
                [json.dumps(n.params, cls=encoder) for n in notices],
                [n.url for n in notices],
                timezone.now(),
                recipients,
                numbers,
            ],
        )
        return dict(cursor.fetchall())


def _insert_orm(notices: list[Notice]) -> dict[str, int]:
    """Elsewhere: bulk_create ignoring conflicts, counting each key before and after."""
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
    return {key: after.get(key, 0) - before.get(key, 0) for key in keys}


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

"""Sending the e-mail copies of notices: in chunks, each notice at most once."""

import json

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

CHUNK = 500


def send_chunk(key: str, mail=None) -> int:
    """Mail up to ``CHUNK`` unsent notices of ``key``; returns how many were settled.

    The rows are locked (SKIP LOCKED) and marked in the same transaction as the
    sending, so two workers never mail the same notice, and a redelivered task finds
    nothing left to send. A recipient without an address is settled without mail.
    ``mail``: a mail connection to open if needed and keep open for the next chunk
    (the caller closes it); without one, a connection for this chunk alone.
    """
    with transaction.atomic():
        notices = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(key=key, emailed_at__isnull=True)
            .order_by("id")[:CHUNK]
        )
        if not notices:
            return 0
        messages = []
        # The e-mail names nobody: render each distinct text once (a chunk of one key
        # usually has a single one), not once per recipient.
        texts: dict[tuple, tuple[str, str]] = {}
        site_url = settings.SITE_URL.rstrip("/")
        with translation.override(settings.LANGUAGE_CODE):
            for notice in notices:
                address = notice.recipient.email
                notice.emailed_to = address
                if not address:
                    continue
                content = (
                    notice.title,
                    notice.body,
                    notice.url,
                    json.dumps(notice.params, sort_keys=True),
                )
                if content not in texts:
                    context = {"notice": notice, "site_url": site_url}
                    texts[content] = (
                        f"[WFH ASN] {notice.title_text}",
                        render_to_string("notifications/email.txt", context),
                    )
                subject, body = texts[content]
                messages.append(
                    EmailMessage(
                        subject=subject,
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                    )
                )
        if messages:
            if mail is None:
                get_connection().send_messages(messages)
            else:
                mail.open()  # once: a no-op while it is open
                mail.send_messages(messages)
        _mark_mailed(notices, timezone.now())
    return len(notices)


def _mark_mailed(notices: list[Notification], now) -> None:
    """Record when and to which address each notice went: one UPDATE from two arrays
    on PostgreSQL (bulk_update's CASE per row cost more than building the e-mails)."""
    if connection.vendor != "postgresql":
        for notice in notices:
            notice.emailed_at = now
        Notification.objects.bulk_update(notices, ["emailed_at", "emailed_to"])
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # The table name comes from the model; the values are bound.
            f"UPDATE {table} AS notice SET emailed_at = %s, emailed_to = mailed.address "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::text[]) AS mailed(id, address) "
            "WHERE notice.id = mailed.id",
            [now, [n.pk for n in notices], [n.emailed_to for n in notices]],
        )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notice_emails(key: str) -> int:
    """Mail every unsent notice of ``key``, chunk by chunk, over one SMTP connection;
    returns how many. A chunk short of ``CHUNK`` was the last: SKIP LOCKED only passes
    over rows another worker is sending."""
    total = 0
    mail = get_connection()
    try:
        while True:
            settled = send_chunk(key, mail)
            total += settled
            if settled < CHUNK:
                return total
    finally:
        mail.close()

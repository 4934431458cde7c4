"""Sending the e-mail copies of notices: in chunks, each notice at most once."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

CHUNK = 500


def send_chunk(key: str) -> int:
    """Mail up to ``CHUNK`` unsent notices of ``key``; returns how many were settled.

    The rows are locked (SKIP LOCKED) and marked in the same transaction as the
    sending, so two workers never mail the same notice, and a redelivered task finds
    nothing left to send. A recipient without an address is settled without mail.
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
        with translation.override(settings.LANGUAGE_CODE):
            for notice in notices:
                address = notice.recipient.email
                notice.emailed_to = address
                if not address:
                    continue
                context = {"notice": notice, "site_url": settings.SITE_URL.rstrip("/")}
                messages.append(
                    EmailMessage(
                        subject=f"[WFH ASN] {notice.title_text}",
                        body=render_to_string("notifications/email.txt", context),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                    )
                )
        if messages:
            get_connection().send_messages(messages)
        now = timezone.now()
        for notice in notices:
            notice.emailed_at = now
        Notification.objects.bulk_update(notices, ["emailed_at", "emailed_to"])
    return len(notices)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notice_emails(key: str) -> int:
    """Mail every unsent notice of ``key``, chunk by chunk; returns how many."""
    total = 0
    while True:
        settled = send_chunk(key)
        if not settled:
            return total
        total += settled

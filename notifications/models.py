"""In-app notices and their e-mail copies. Knows nothing of rosters or check-ins: the
apps that have something to say call ``services.notify``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    # Message ids (marked with gettext_noop by the caller) and their parameters: the
    # words are chosen when the notice is shown or mailed, in the reader's language.
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    # One notice per recipient and key: a repeated call (a redelivered task) adds none.
    key = models.CharField(max_length=160)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    # When the e-mail went out, or was settled without one (no address); the address.
    emailed_at = models.DateTimeField(_("dikirim per e-mail"), null=True, blank=True)
    emailed_to = models.CharField(max_length=254, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["key", "emailed_at"], name="notice_to_mail"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind} {self.key}"

    def _render(self, text: str) -> str:
        try:
            return gettext(text).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return gettext(text)

    @property
    def title_text(self) -> str:
        return self._render(self.title)

    @property
    def body_text(self) -> str:
        return self._render(self.body) if self.body else ""


class Preference(models.Model):
    """What a person wants to be told. No row: the defaults (everything on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notice_preference",
    )
    # The check-in reminder at the start of working hours (attendance.tasks).
    reminders = models.BooleanField(_("pengingat presensi"), default=True)

    class Meta:
        verbose_name = _("preferensi pemberitahuan")
        verbose_name_plural = _("preferensi pemberitahuan")

    def __str__(self):
        return f"{self.user_id} reminders={self.reminders}"

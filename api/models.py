"""API keys of other systems (the attendance app, e-Kinerja, SIASN) and the request log.

A key's secret is shown once when BKPSDM creates it; only its SHA-256 hash is stored,
with a short prefix that names it in the admin and in the log.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.models import Opd

SECRET_START = "wfh_"  # noqa: S105 - the visible start of every secret, not a secret


class Scope(models.TextChoices):
    SCHEDULE_READ = "schedule:read", _("baca jadwal (roster disetujui)")
    ATTENDANCE_READ = "attendance:read", _("baca kehadiran harian")
    RECAP_READ = "recap:read", _("baca rekap bulanan")
    REPORTS_READ = "reports:read", _("baca laporan kinerja harian yang diterima")
    LEAVE_WRITE = "leave:write", _("kirim data cuti")
    EMPLOYEES_WRITE = "employees:write", _("kirim data pegawai")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    name = models.CharField(_("nama"), max_length=100, help_text=_('Misalnya "K-Mob".'))
    prefix = models.CharField(_("awalan kunci"), max_length=16, unique=True, editable=False)
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("cakupan"), default=list, blank=True)
    opd = models.ForeignKey(
        Opd,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD"),
        help_text=_("Kosongkan agar kunci berlaku untuk semua OPD."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        _("terakhir dipakai"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Give the key a fresh secret and return it; only its hash is kept."""
        self.prefix = secrets.token_hex(4)
        secret = f"{SECRET_START}{self.prefix}_{secrets.token_urlsafe(32)}"
        self.hashed = hash_secret(secret)
        return secret

    def revoke(self) -> None:
        self.active = False
        self.revoked_at = timezone.now()
        self.save(update_fields=["active", "revoked_at"])

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class ApiRequest(models.Model):
    """One line per API request: which key, what, and the answer (one insert)."""

    key_name = models.CharField(_("kunci"), max_length=100, blank=True)
    method = models.CharField(_("metode"), max_length=8)
    path = models.CharField(_("alamat"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("permintaan API")
        verbose_name_plural = _("log permintaan API")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"

"""The organisation: agencies (OPD), their service posts and their employees (ASN)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .nip import nip_error


def _coordinates_pair(prefix: str, name: str) -> list[models.CheckConstraint]:
    """Latitude and longitude are both set or both empty, and inside the valid range."""
    lat, lon = f"{prefix}_lat", f"{prefix}_lon"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{lat}__isnull": True, f"{lon}__isnull": True})
            | Q(**{f"{lat}__isnull": False, f"{lon}__isnull": False}),
            name=f"{name}_{prefix}_lat_lon_together",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{lat}__isnull": True}) | Q(**{f"{lat}__gte": -90, f"{lat}__lte": 90}),
            name=f"{name}_{prefix}_lat_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{lon}__isnull": True})
            | Q(**{f"{lon}__gte": -180, f"{lon}__lte": 180}),
            name=f"{name}_{prefix}_lon_range",
        ),
    ]


class Opd(models.Model):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    essential = models.BooleanField(
        _("esensial"),
        default=False,
        help_text=_("OPD pelayanan dasar: seluruh pegawainya selalu bekerja di kantor."),
    )
    office_lat = models.FloatField(_("lintang kantor"), null=True, blank=True)
    office_lon = models.FloatField(_("bujur kantor"), null=True, blank=True)
    geofence_radius_m = models.PositiveIntegerField(
        _("radius geofence (meter)"),
        default=200,
        help_text=_("Presensi WFO di luar radius ini dari kantor ditandai untuk diperiksa."),
    )
    monthly_operating_cost = models.PositiveBigIntegerField(
        _("biaya operasional kantor per bulan (Rp)"), null=True, blank=True
    )
    fixed_cost_share_percent = models.PositiveSmallIntegerField(
        _("bagian biaya tetap (%)"),
        null=True,
        blank=True,
        help_text=_(
            "Bagian biaya operasional yang tidak turun karena WFH (server, ruang layanan "
            "yang tetap buka). Kosong: memakai nilai kota."
        ),
    )

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="opd_code_not_empty"),
            models.CheckConstraint(
                condition=Q(geofence_radius_m__gt=0), name="opd_geofence_radius_positive"
            ),
            *_coordinates_pair("office", "opd"),
            models.CheckConstraint(
                condition=Q(fixed_cost_share_percent__lte=100),
                name="opd_fixed_cost_share_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.code} - {self.name}"


class CostSettings(models.Model):
    """The city's savings figures; one row, edited by BKPSDM."""

    fixed_share_percent = models.PositiveSmallIntegerField(
        _("bagian biaya tetap kota (%)"),
        default=30,
        help_text=_("Dipakai untuk setiap OPD yang tidak punya nilai sendiri."),
    )
    target_low_percent = models.PositiveSmallIntegerField(
        _("target hemat, batas bawah (%)"), default=35
    )
    target_high_percent = models.PositiveSmallIntegerField(
        _("target hemat, batas atas (%)"), default=40
    )

    class Meta:
        verbose_name = _("pengaturan penghematan")
        verbose_name_plural = _("pengaturan penghematan")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="cost_settings_single_row"),
            models.CheckConstraint(
                condition=Q(fixed_share_percent__lte=100), name="cost_settings_fixed_share_range"
            ),
            models.CheckConstraint(
                condition=Q(target_low_percent__lte=models.F("target_high_percent"))
                & Q(target_high_percent__lte=100),
                name="cost_settings_target_ordered",
            ),
        ]

    def __str__(self):
        return str(_("Pengaturan penghematan"))

    @classmethod
    def current(cls) -> "CostSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class MonthlyCost(models.Model):
    """An OPD's actual operating cost of one month (the bills), from ``costs.csv``."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="monthly_costs")
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan itu."))
    amount = models.PositiveBigIntegerField(_("biaya (Rp)"))

    class Meta:
        verbose_name = _("biaya operasional bulanan")
        verbose_name_plural = _("biaya operasional bulanan")
        ordering = ["-month", "opd__code"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "month"], name="monthly_cost_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_cost_first_of_month"),
        ]

    def __str__(self):
        return f"{self.opd_id} {self.month:%Y-%m}"

    def clean(self):
        # A date picked in the admin stands for its month.
        if self.month is not None:
            self.month = self.month.replace(day=1)


class ServicePost(models.Model):
    opd = models.ForeignKey(
        Opd, on_delete=models.CASCADE, related_name="posts", verbose_name=_("OPD")
    )
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    min_onsite = models.PositiveSmallIntegerField(
        _("minimal di kantor"),
        default=1,
        help_text=_("Jumlah orang yang harus hadir di kantor setiap hari kerja."),
    )

    class Meta:
        verbose_name = _("pos pelayanan")
        verbose_name_plural = _("pos pelayanan")
        ordering = ["opd__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "code"], name="post_code_unique_in_opd"),
            models.CheckConstraint(condition=~Q(code=""), name="post_code_not_empty"),
            models.CheckConstraint(condition=Q(min_onsite__gte=0), name="post_min_onsite_gte_0"),
        ]

    def __str__(self):
        return f"{self.code} - {self.name}"


class Role(models.TextChoices):
    ASN = "asn", _("ASN")
    HEAD = "head", _("Kepala OPD")
    BKPSDM = "bkpsdm", _("BKPSDM")


class Employee(models.Model):
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, related_name="employees", verbose_name=_("OPD")
    )
    post = models.ForeignKey(
        ServicePost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("pos pelayanan"),
        help_text=_("Kosong untuk pegawai back office."),
    )
    wfh_eligible = models.BooleanField(_("boleh WFH"), default=True)
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.ASN)
    home_lat = models.FloatField(_("lintang rumah"), null=True, blank=True)
    home_lon = models.FloatField(_("bujur rumah"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employee",
        verbose_name=_("akun login"),
    )

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["nip"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nip__regex=r"^[0-9]{18}$"), name="employee_nip_18_digits"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="employee_role_valid"),
            *_coordinates_pair("home", "employee"),
        ]
        indexes = [models.Index(fields=["opd", "post"], name="employee_opd_post")]

    def __str__(self):
        return f"{self.nip} {self.name}"

    def clean(self):
        message = nip_error(self.nip or "")
        if message:
            raise ValidationError({"nip": message})
        if self.post_id and self.opd_id and self.post.opd_id != self.opd_id:
            raise ValidationError({"post": _("Pos pelayanan harus milik OPD pegawai ini.")})

"""Working hours, lateness bands, check-in records and their corrections."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.dates import day_text
from opd.models import Employee, Opd, ServicePost
from scheduling.models import Mode

# The modes a person works in; LEAVE and HOLIDAY days have no check-in.
WORK_MODES = (Mode.WFO, Mode.WFH, Mode.WFA)


class WorkingHours(models.Model):
    """A working-hours schedule: the default (no dates) or a dated one such as Ramadan."""

    name = models.CharField(_("nama"), max_length=120, unique=True)
    start_date = models.DateField(_("berlaku mulai"), null=True, blank=True)
    end_date = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, end_date__isnull=True)
                | Q(
                    start_date__isnull=False, end_date__isnull=False, end_date__gte=F("start_date")
                ),
                name="hours_dates_together_and_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class WorkingDay(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Senin")
        TUESDAY = 2, _("Selasa")
        WEDNESDAY = 3, _("Rabu")
        THURSDAY = 4, _("Kamis")
        FRIDAY = 5, _("Jumat")

    hours = models.ForeignKey(WorkingHours, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start = models.TimeField(_("masuk"))
    end = models.TimeField(_("pulang"))

    class Meta:
        verbose_name = _("hari kerja")
        verbose_name_plural = _("hari kerja")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["hours", "weekday"], name="working_day_once_per_schedule"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="working_day_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=5), name="working_day_mon_fri"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Band(models.Model):
    """A grade of late arrival (TL) or early leave (PSW) by minutes, for TPP deductions."""

    class Kind(models.TextChoices):
        LATE = "TL", _("TL: terlambat masuk")
        EARLY = "PSW", _("PSW: pulang sebelum waktunya")

    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    code = models.CharField(_("kode"), max_length=6)
    min_minutes = models.PositiveSmallIntegerField(_("dari menit ke-"))
    max_minutes = models.PositiveSmallIntegerField(
        _("sampai menit ke-"), null=True, blank=True, help_text=_("Kosong: tanpa batas atas.")
    )
    deduction_percent = models.DecimalField(
        _("potongan TPP per kejadian (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("Bawaan (Permentan 68/2012): 0,5; 1; 1,5 dan 2 persen untuk golongan 1-4."),
    )

    class Meta:
        verbose_name = _("golongan TL/PSW")
        verbose_name_plural = _("golongan TL/PSW")
        ordering = ["kind", "min_minutes"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="band_code_unique_per_kind"),
            models.CheckConstraint(
                condition=Q(min_minutes__gte=1), name="band_starts_at_one_minute"
            ),
            models.CheckConstraint(
                condition=Q(max_minutes__isnull=True) | Q(max_minutes__gte=F("min_minutes")),
                name="band_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(deduction_percent__gte=0, deduction_percent__lte=100),
                name="band_deduction_percent_range",
            ),
        ]

    def __str__(self):
        upper = self.max_minutes if self.max_minutes is not None else "…"
        return f"{self.code} ({self.min_minutes}-{upper})"


class AttendanceRules(models.Model):
    """The thresholds behind the location flags; one row, edited by BKPSDM."""

    poor_accuracy_m = models.PositiveIntegerField(_("akurasi buruk di atas (meter)"), default=100)
    home_radius_m = models.PositiveIntegerField(
        _("jarak WFH dari rumah terdaftar, paling jauh (meter)"), default=1000
    )
    checkout_jump_m = models.PositiveIntegerField(
        _("jarak presensi pulang dari presensi masuk, paling jauh (meter)"), default=2000
    )

    class Meta:
        verbose_name = _("aturan lokasi presensi")
        verbose_name_plural = _("aturan lokasi presensi")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="attendance_rules_single_row"),
        ]

    def __str__(self):
        return str(_("Aturan lokasi presensi"))


class TppRules(models.Model):
    """The TPP deduction table beyond the TL/PSW bands; one row, edited by BKPSDM.

    The defaults are an example to be replaced by the Pemda's own Perkada: the TL/PSW
    percentages (on the bands) follow Permentan 68/2012; the other figures here are the
    values BKPSDM should check first."""

    regulation = models.CharField(
        _("dasar hukum"),
        max_length=200,
        default="Permentan 68/2012 (TL/PSW); sesuaikan dengan Perkada",
        help_text=_("Peraturan yang menetapkan angka potongan ini, ditampilkan di rekap."),
    )
    absent_day_percent = models.DecimalField(
        _("potongan per hari tidak hadir tanpa keterangan (%)"),
        max_digits=5,
        decimal_places=2,
        default=3,
    )
    missing_report_percent = models.DecimalField(
        _("potongan per laporan harian yang tidak ada (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.5"),
    )
    monthly_cap_percent = models.DecimalField(
        _("potongan paling banyak per bulan (%)"), max_digits=5, decimal_places=2, default=100
    )

    class Meta:
        verbose_name = _("aturan potongan TPP")
        verbose_name_plural = _("aturan potongan TPP")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="tpp_rules_single_row"),
            models.CheckConstraint(
                condition=Q(
                    absent_day_percent__gte=0,
                    absent_day_percent__lte=100,
                    missing_report_percent__gte=0,
                    missing_report_percent__lte=100,
                    monthly_cap_percent__gte=0,
                    monthly_cap_percent__lte=100,
                ),
                name="tpp_rules_percent_range",
            ),
        ]

    def __str__(self):
        return str(_("Aturan potongan TPP"))


class Attendance(models.Model):
    """One employee's working day: check-in, check-out, where, and the daily report."""

    class Status(models.TextChoices):
        PRESENT = "present", _("hadir")
        ABSENT = "absent", _("tidak hadir tanpa keterangan")

    class Report(models.TextChoices):
        NONE = "", _("tidak perlu")
        PENDING = "pending", _("menunggu tinjauan")
        ACCEPTED = "accepted", _("diterima")
        RETURNED = "returned", _("dikembalikan")

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="attendances", db_index=False
    )
    # The OPD at the time of the day, for the OPD's daily and monthly pages.
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    mode = models.CharField(
        _("mode"), max_length=3, choices=[(m.value, m.label) for m in WORK_MODES]
    )
    from_approved_roster = models.BooleanField(_("dari roster yang disetujui"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PRESENT
    )
    check_in_at = models.DateTimeField(_("masuk"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("pulang"), null=True, blank=True)
    in_lat = models.FloatField(null=True, blank=True)
    in_lon = models.FloatField(null=True, blank=True)
    in_accuracy = models.FloatField(null=True, blank=True)
    out_lat = models.FloatField(null=True, blank=True)
    out_lon = models.FloatField(null=True, blank=True)
    out_accuracy = models.FloatField(null=True, blank=True)
    # What the request said about the client, for a head reviewing a flagged record:
    # the address as the TLS proxy reports it (opd.http.client_ip) and the browser.
    in_ip = models.GenericIPAddressField(_("alamat IP masuk"), null=True, blank=True)
    in_user_agent = models.CharField(_("peramban masuk"), max_length=300, blank=True)
    out_ip = models.GenericIPAddressField(_("alamat IP pulang"), null=True, blank=True)
    out_user_agent = models.CharField(_("peramban pulang"), max_length=300, blank=True)
    late_minutes = models.PositiveSmallIntegerField(_("menit terlambat"), default=0)
    early_minutes = models.PositiveSmallIntegerField(_("menit pulang cepat"), default=0)
    tl_code = models.CharField(_("TL"), max_length=6, blank=True)
    psw_code = models.CharField(_("PSW"), max_length=6, blank=True)
    flags = models.JSONField(_("tanda"), default=list, blank=True)
    report = models.TextField(_("laporan kinerja harian"), blank=True)
    report_status = models.CharField(
        _("status laporan"), max_length=10, choices=Report.choices, blank=True, default=Report.NONE
    )
    report_comment = models.TextField(_("catatan kepala OPD"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        ordering = ["-date", "employee__nip"]
        constraints = [
            # Exactly once: a repeated submit can never make a second row.
            models.UniqueConstraint(fields=["employee", "date"], name="attendance_once_per_day"),
            models.CheckConstraint(
                condition=Q(status="absent") | Q(check_in_at__isnull=False),
                name="attendance_present_has_check_in",
            ),
            models.CheckConstraint(
                condition=Q(check_out_at__isnull=True)
                | Q(check_in_at__isnull=False, check_out_at__gte=F("check_in_at")),
                name="attendance_check_out_after_check_in",
            ),
            models.CheckConstraint(condition=Q(mode__in=WORK_MODES), name="attendance_mode_valid"),
            models.CheckConstraint(
                condition=Q(in_lat__isnull=True)
                | Q(in_lat__gte=-90, in_lat__lte=90, in_lon__gte=-180, in_lon__lte=180),
                name="attendance_in_position_valid",
            ),
            models.CheckConstraint(
                condition=Q(out_lat__isnull=True)
                | Q(out_lat__gte=-90, out_lat__lte=90, out_lon__gte=-180, out_lon__lte=180),
                name="attendance_out_position_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["opd", "date"], name="attendance_opd_date"),
            # Finds other check-ins of the day sent from the very same point (fake GPS).
            models.Index(fields=["date", "in_lat", "in_lon"], name="attendance_same_point"),
            # Daily reports waiting for review, counted per OPD on the home page; only
            # the few pending rows are in it.
            models.Index(
                fields=["opd"],
                condition=Q(report_status="pending"),
                name="attendance_pending_reports",
            ),
            # Unexcused absences of a year, counted per person for the PP 94/2021 ladder;
            # a few percent of the rows.
            models.Index(
                fields=["date", "employee"],
                condition=Q(status="absent"),
                name="attendance_absent_days",
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.date}"

    def clean(self):
        """The record's own invariants, for every writer (the admin's correction form,
        the correction service): present needs a check-in, a check-out comes after the
        check-in, and both times fall on the record's date (WIB)."""
        errors = {}
        if self.status == self.Status.PRESENT and self.check_in_at is None:
            errors["check_in_at"] = _("Status hadir membutuhkan jam masuk.")
        if self.check_out_at is not None and self.check_in_at is None:
            errors["check_out_at"] = _("Jam pulang membutuhkan jam masuk.")
        elif self.check_out_at is not None and self.check_out_at < self.check_in_at:
            errors["check_out_at"] = _("Jam pulang tidak boleh sebelum jam masuk.")
        for name in ("check_in_at", "check_out_at"):
            moment = getattr(self, name)
            on_other_day = (
                moment is not None
                and self.date is not None
                and timezone.localdate(moment) != self.date
            )
            if name not in errors and on_other_day:
                errors[name] = str(
                    _("Jam masuk dan pulang harus pada tanggal presensi ({date}).")
                ).format(date=day_text(self.date))
        if errors:
            raise ValidationError(errors)

    @property
    def present(self) -> bool:
        return self.status == self.Status.PRESENT


class AttendanceCorrection(models.Model):
    """A change BKPSDM made to a check-in record: who, when, which field, from what to what."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="corrections")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("waktu koreksi"), auto_now_add=True)
    field = models.CharField(_("kolom"), max_length=30)
    old_value = models.TextField(_("nilai lama"), blank=True)
    new_value = models.TextField(_("nilai baru"), blank=True)
    note = models.TextField(_("alasan koreksi"))

    class Meta:
        verbose_name = _("koreksi presensi")
        verbose_name_plural = _("koreksi presensi")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.attendance_id} {self.field}"


class CoverageAlert(models.Model):
    """A service post with fewer people at the office than its minimum on a day.

    Opened by the coverage check (``attendance.coverage``: the morning beat task, and
    after an approved request removes someone for today), closed by the same check
    once the post is covered again, e.g. after a recall. One per post and day.
    """

    post = models.ForeignKey(
        ServicePost, on_delete=models.CASCADE, related_name="+", verbose_name=_("pos")
    )
    date = models.DateField(_("tanggal"))
    required = models.PositiveSmallIntegerField(_("minimum"))
    onsite = models.PositiveSmallIntegerField(_("di kantor"))
    opened_at = models.DateTimeField(_("dibuka"), auto_now_add=True)
    checked_at = models.DateTimeField(_("diperiksa"), auto_now=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = _("peringatan pos kurang")
        verbose_name_plural = _("peringatan pos kurang")
        ordering = ["-date", "post__code"]
        constraints = [
            models.UniqueConstraint(fields=["post", "date"], name="coverage_alert_one_per_post_day")
        ]

    def __str__(self):
        return f"{self.post_id} {self.date} {self.onsite}/{self.required}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

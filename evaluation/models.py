"""Daily aggregates: the evaluation pages read these, never the million raw rows."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opd.models import Opd, ServicePost
from scheduling.models import Mode, PolicyKind

# The modes a day is counted in (a holiday is no working day and is not counted).
DAY_MODES = (Mode.WFO, Mode.WFH, Mode.WFA, Mode.LEAVE)
REMOTE_MODES = (Mode.WFH, Mode.WFA)


class OpdDay(models.Model):
    """One OPD's working day in one mode, as the approved roster planned it and as the
    check-ins recorded it. Written only by ``services.refresh_days``."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    mode = models.CharField(
        _("mode"), max_length=7, choices=[(m.value, m.label) for m in DAY_MODES]
    )
    # People the approved roster puts in this mode, and of them those with no check-in.
    planned = models.PositiveIntegerField(default=0)
    unrecorded = models.PositiveIntegerField(default=0)
    # Check-in records of the day in this mode (present or marked absent).
    records = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    # Of the days present, those with any TL grade and those with any PSW grade (by
    # grade: ``GradeDay``).
    late = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    reports_submitted = models.PositiveIntegerField(default=0)
    reports_accepted = models.PositiveIntegerField(default=0)
    reports_returned = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rekap harian OPD")
        verbose_name_plural = _("rekap harian OPD")
        constraints = [
            models.UniqueConstraint(fields=["date", "opd", "mode"], name="opd_day_once"),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in DAY_MODES]), name="opd_day_mode_valid"
            ),
        ]

    def __str__(self):
        return f"{self.opd_id} {self.date} {self.mode}"


class GradeDay(models.Model):
    """How many of an OPD's check-ins of one day and mode got a TL or PSW grade
    (``TL1``... ``PSW4``, as the bands define them). Written with ``OpdDay``."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    mode = models.CharField(_("mode"), max_length=7)
    code = models.CharField(_("golongan"), max_length=6)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("golongan TL/PSW harian OPD")
        verbose_name_plural = _("golongan TL/PSW harian OPD")
        constraints = [
            models.UniqueConstraint(fields=["date", "opd", "mode", "code"], name="grade_day_once"),
        ]

    def __str__(self):
        return f"{self.opd_id} {self.date} {self.mode} {self.code}"


class PostDay(models.Model):
    """One service post on one working day of an approved roster: its staff not on
    leave, and of them those planned at the office. Written with ``OpdDay``; the home's
    coverage heat-map compares it with the post's minimum."""

    post = models.ForeignKey(ServicePost, on_delete=models.CASCADE, related_name="+")
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    present = models.PositiveIntegerField(default=0)
    onsite = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rekap harian pos")
        verbose_name_plural = _("rekap harian pos")
        constraints = [
            models.UniqueConstraint(fields=["date", "post"], name="post_day_once"),
        ]

    def __str__(self):
        return f"{self.post_id} {self.date}"


class Refresh(models.Model):
    """When the aggregates were last computed, and for which days (the pages say so)."""

    refreshed_at = models.DateTimeField(_("dihitung pada"))
    start = models.DateField()
    end = models.DateField()

    class Meta:
        verbose_name = _("perhitungan rekap")
        verbose_name_plural = _("perhitungan rekap")
        ordering = ["-refreshed_at"]
        get_latest_by = "refreshed_at"

    def __str__(self):
        return f"{self.start} - {self.end}"


class Scenario(models.Model):
    """A proposed policy BKPSDM studies before adopting it (kajian kesiapan): run over
    the current organisation, leave and holidays by ``services.run_scenario``, which
    stores only the figures (``result``), never a roster."""

    class State(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        RUNNING = "running", _("dihitung")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    name = models.CharField(_("nama skenario"), max_length=120, unique=True)
    mode = models.CharField(_("jenis"), max_length=12, choices=PolicyKind.choices)
    wfh_ratio = models.DecimalField(
        _("porsi WFH"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(1)],
        help_text=_("Untuk rotasi: bagian pegawai yang WFH pada hari rotasi (0,5 = 50:50)."),
    )
    weekdays = models.CharField(
        _("hari"),
        max_length=40,
        default="tue,wed,thu,fri",
        help_text=_("Contoh: tue,wed,thu,fri (kosong: Senin-Jumat)."),
    )
    max_remote_days_per_week = models.PositiveSmallIntegerField(
        _("maks. hari WFH/WFA per minggu"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    essential_opds = models.ManyToManyField(
        Opd,
        blank=True,
        related_name="+",
        verbose_name=_("OPD yang dianggap esensial"),
        help_text=_("Seluruh pegawainya tetap di kantor."),
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    computed_at = models.DateTimeField(_("dihitung pada"), null=True, blank=True)
    seconds = models.FloatField(_("lama hitung (detik)"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # The city-wide figures of ``result`` (proposal and in force), for the list of
    # scenarios without loading every OPD's.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("skenario kebijakan")
        verbose_name_plural = _("skenario kebijakan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="scenario_end_after_start"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="scenario_progress_range"),
        ]

    def __str__(self):
        return self.name

"""Daily aggregates: the evaluation pages read these, never the million raw rows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opd.models import Opd, ServicePost
from scheduling.models import Mode

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

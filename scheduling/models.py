"""Policies, holidays, leave and the weekly rosters built from them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opd.db import RowBoundJSONField
from opd.models import Employee, Opd

from . import roster as rules
from .calendar import format_weekdays, parse_weekdays, week_label
from .periods import first_overlap, format_period


class PolicyKind(models.TextChoices):
    ROTATION = rules.PolicyKind.ROTATION, _("Rotasi WFH/WFO")
    FIXED_DAYS = rules.PolicyKind.FIXED_DAYS, _("Hari WFH tetap")
    WFA = rules.PolicyKind.WFA, _("WFA (bekerja dari mana saja)")


class Policy(models.Model):
    name = models.CharField(_("nama"), max_length=120, unique=True)
    reference = models.CharField(
        _("nomor SE"), max_length=120, blank=True, help_text=_("Misalnya 150/KPG.03/BKD.")
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    mode = models.CharField(_("jenis"), max_length=12, choices=PolicyKind.choices)
    wfh_ratio = models.DecimalField(
        _("porsi WFH"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        help_text=_("Untuk rotasi: bagian pegawai yang WFH pada hari rotasi (0,5 = 50:50)."),
    )
    weekdays = models.CharField(
        _("hari"),
        max_length=40,
        default="mon,tue,wed,thu,fri",
        help_text=_(
            "Rotasi: hari berlakunya rotasi (hari lain semua WFO). Hari tetap: hari WFH. "
            "WFA: hari WFA. Contoh: tue,wed,thu,fri."
        ),
    )
    max_remote_days_per_week = models.PositiveSmallIntegerField(
        _("maks. hari WFH/WFA per minggu"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_(
            "Batas hari kerja dari luar kantor per pegawai per minggu (PermenPANRB 4/2025 "
            "Pasal 13), misalnya 2. Kosongkan bila tidak dibatasi."
        ),
    )
    approval_required = models.BooleanField(
        _("WFH perlu persetujuan"),
        default=False,
        help_text=_(
            "Pegawai dapat mengajukan hari WFH tambahan kepada Kepala OPD, yang berlaku "
            "setelah disetujui."
        ),
    )

    class Meta:
        verbose_name = _("kebijakan")
        verbose_name_plural = _("kebijakan")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="policy_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(wfh_ratio__gte=0, wfh_ratio__lte=1), name="policy_ratio_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=PolicyKind.values),
                name="policy_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(max_remote_days_per_week__isnull=True)
                | Q(max_remote_days_per_week__gte=1, max_remote_days_per_week__lte=5),
                name="policy_remote_cap_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({format_period(self)})"

    def clean(self):
        """Weekdays are known, the period runs forward and overlaps no other policy.

        The overlap rule is ``periods.overlaps``, the same one ``policies.csv`` is
        checked with; on PostgreSQL an exclusion constraint (migration 0002) also
        refuses an overlap that a concurrent writer slipped past this check.
        """
        try:
            self.weekdays = format_weekdays(parse_weekdays(self.weekdays or ""))
        except ValueError as error:
            raise ValidationError({"weekdays": str(error)}) from None
        if not (self.start and self.end):
            return
        if self.end < self.start:
            raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
        others = Policy.objects.exclude(pk=self.pk).only("name", "start", "end")
        clash = first_overlap(self, others.order_by("start"))
        if clash:
            raise ValidationError(
                _(
                    "Masa berlaku tumpang tindih dengan kebijakan %(name)s; satu hari hanya "
                    "boleh punya satu kebijakan."
                ),
                code="overlap",
                params={"name": str(clash)},
            )

    def as_rule(self) -> rules.PolicyRule:
        return self.rule_of(
            self.pk,
            self.start,
            self.end,
            self.mode,
            self.wfh_ratio,
            self.weekdays,
            self.max_remote_days_per_week,
        )

    @staticmethod
    def rule_of(pk, start, end, mode, wfh_ratio, weekdays, max_remote_days) -> rules.PolicyRule:
        """The planner's rule from a policy's stored columns (a model instance's, or a
        row the week loader reads without one)."""
        return rules.PolicyRule(
            id=pk,
            start=start,
            end=end,
            mode=mode,
            wfh_ratio=float(wfh_ratio),
            weekdays=parse_weekdays(weekdays),
            max_remote_days=max_remote_days,
        )


class Holiday(models.Model):
    """A day off on top of the national calendar: cuti bersama, regional days."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"


class Leave(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "tahunan", _("cuti tahunan")
        LONG = "besar", _("cuti besar")
        SICK = "sakit", _("cuti sakit")
        MATERNITY = "melahirkan", _("cuti melahirkan")
        IMPORTANT = "alasan_penting", _("cuti karena alasan penting")
        JOINT = "bersama", _("cuti bersama")
        UNPAID = "cltn", _("cuti di luar tanggungan negara")
        DUTY = "dinas_luar", _("dinas luar")
        PERMIT = "izin", _("izin")

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="leaves", verbose_name=_("pegawai")
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)

    class Meta:
        verbose_name = _("cuti")
        verbose_name_plural = _("cuti")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="leave_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["start", "end"], name="leave_dates")]

    def __str__(self):
        return f"{self.employee_id} {self.get_kind_display()} {self.start:%d-%m-%Y}"

    def clean(self):
        """The period runs forward and overlaps none of the same employee's other leave.

        One day is one kind of leave; two records for it would make the roster and the
        attendance month disagree on which. The overlap rule is ``periods.overlaps``,
        the same one ``leaves.csv`` is checked with; on PostgreSQL an exclusion
        constraint (migration 0003) also refuses an overlap that a concurrent writer
        slipped past this check.
        """
        if not (self.start and self.end):
            return
        if self.end < self.start:
            raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
        if self.employee_id is None:
            return
        others = (
            Leave.objects.filter(employee_id=self.employee_id)
            .exclude(pk=self.pk)
            .only("start", "end", "kind")
        )
        clash = first_overlap(self, others.order_by("start"))
        if clash:
            raise ValidationError(
                _(
                    "Cuti ini tumpang tindih dengan %(kind)s %(period)s milik pegawai yang "
                    "sama; satu hari hanya boleh tercatat dalam satu cuti. Ubah tanggalnya, "
                    "atau ubah cuti yang lama lebih dulu."
                ),
                code="overlap",
                params={"kind": clash.get_kind_display(), "period": format_period(clash)},
            )


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


class Roster(models.Model):
    """One OPD's plan for one ISO week; it counts for attendance once approved."""

    opd = models.ForeignKey(
        Opd, on_delete=models.CASCADE, related_name="rosters", verbose_name=_("OPD")
    )
    week_start = models.DateField(_("minggu (Senin)"))
    status = models.CharField(
        _("status"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    built_at = models.DateTimeField(_("dibangun"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    reject_reason = models.TextField(_("alasan penolakan"), blank=True)
    # The head's "Ajukan ke BKPSDM"; empty when BKPSDM decided a draft directly.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    shortfall_count = models.PositiveIntegerField(_("kekurangan petugas"), default=0)
    # [{"date", "post_code", "post_name", "required", "available"}, ...]
    shortfalls = models.JSONField(_("rincian kekurangan"), default=list, blank=True)
    # Days the weekly remote cap (rule 8) left the ratio unreached:
    # [{"date", "wanted", "planned", "capped", "cap"}, ...]
    ratio_gaps = models.JSONField(_("rasio tidak tercapai"), default=list, blank=True)
    # Fairness state after this week: {employee id: balance}; read by next week's build.
    balances = RowBoundJSONField(default=dict, blank=True)
    # Digest of the builder's input: a rebuild with the same input writes nothing.
    input_digest = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords(
        excluded_fields=["shortfalls", "ratio_gaps", "balances", "input_digest"],
        verbose_name=_("riwayat roster"),
    )

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("roster")
        ordering = ["-week_start", "opd__code"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "week_start"], name="roster_one_per_opd_week"),
            models.CheckConstraint(
                condition=Q(week_start__iso_week_day=1), name="roster_week_starts_monday"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RosterStatus.values), name="roster_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RosterStatus.REJECTED) | ~Q(reject_reason=""),
                name="roster_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[RosterStatus.DRAFT, RosterStatus.SUBMITTED])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="roster_decision_recorded",
            ),
        ]
        indexes = [models.Index(fields=["week_start", "status"], name="roster_week_status")]

    def __str__(self):
        return f"{self.opd.code} {self.week}"

    @property
    def week(self) -> str:
        return week_label(self.week_start)

    @property
    def can_rebuild(self) -> bool:
        """An approved roster is final: attendance has been judged against it."""
        return self.status != RosterStatus.APPROVED


class RosterPin(models.Model):
    """A head's adjustment of one person's day on a draft roster.

    Planner input, not an edit: every rebuild of the week plans everyone else around it
    (``roster.plan_week``'s pins), and the build's input digest includes it. Made only
    through ``services.adjust.adjust_day``, which checks it against the rules first.
    """

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="pins")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    mode = models.CharField(
        _("mode"),
        max_length=3,
        choices=[(rules.WFO, "WFO"), (rules.WFH, "WFH"), (rules.WFA, "WFA")],
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("riwayat penyesuaian"))

    class Meta:
        verbose_name = _("penyesuaian jadwal")
        verbose_name_plural = _("penyesuaian jadwal")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="pin_one_per_employee_day"),
            models.CheckConstraint(
                condition=Q(mode__in=[rules.WFO, rules.WFH, rules.WFA]), name="pin_mode_valid"
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.mode}"


class Mode(models.TextChoices):
    WFH = rules.WFH, _("WFH")
    WFA = rules.WFA, _("WFA")
    WFO = rules.WFO, _("WFO")
    LEAVE = rules.LEAVE, _("Cuti")
    HOLIDAY = rules.HOLIDAY, _("Libur")


def mode_label(code: str) -> str:
    """The mode as people read it (Cuti, Libur); exports keep the code (LEAVE, HOLIDAY)."""
    return str(Mode(code).label) if code in Mode.values else code


class RosterEntry(models.Model):
    """One person's mode on one working day of a roster.

    A week writes a quarter of a million of these rows at province scale, and
    PostgreSQL checks a foreign key row by row (one lookup and one row lock per row and
    key: 2.1 of a 50,000-employee build's 6 seconds). So the three references carry no
    database constraint (``db_constraint=False``) and are kept by the only writer, the
    build service (``services.build``), set-based and with the same guarantee: in the
    build's transaction the rosters are its own new or ``FOR UPDATE``-locked rows, and
    the employees and policies referenced are locked ``FOR KEY SHARE`` (what a foreign
    key check takes), so none can be deleted until the entries are committed. Deleting
    a roster or an employee still removes their entries and a policy in use still
    cannot be deleted (``on_delete`` is Django's, not the database's).
    """

    roster = models.ForeignKey(
        Roster, on_delete=models.CASCADE, related_name="entries", db_constraint=False
    )
    # The (employee, date) unique constraint is the lookup index; no separate FK index.
    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="roster_entries",
        db_index=False,
        db_constraint=False,
    )
    date = models.DateField()
    mode = models.CharField(max_length=7, choices=Mode.choices)
    reason = models.CharField(max_length=20)
    args = models.JSONField(default=dict, blank=True)
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("jadwal harian")
        verbose_name_plural = _("jadwal harian")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="entry_one_per_employee_day"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="entry_mode_valid"),
            models.CheckConstraint(
                condition=Q(date__iso_week_day__lte=5), name="entry_on_a_working_day"
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.mode}"


class RosterBuild(models.Model):
    """A request to build one week for many OPDs (the Celery fan-out), and its progress."""

    week_start = models.DateField(_("minggu (Senin)"))
    # The Celery task id: a redelivered task finds its build instead of starting anew.
    task_id = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField(_("BKPSDM diberi tahu"), null=True, blank=True)

    class Meta:
        verbose_name = _("pembangunan roster")
        verbose_name_plural = _("pembangunan roster")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{week_label(self.week_start)} ({self.requested_at:%d-%m-%Y %H:%M})"


class RosterBuildItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("menunggu")
        BUILT = "built", _("dibangun")
        UNCHANGED = "unchanged", _("tidak berubah")
        REFUSED = "refused", _("ditolak: sudah disetujui")
        FAILED = "failed", _("gagal")

    build = models.ForeignKey(RosterBuild, on_delete=models.CASCADE, related_name="items")
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["build", "opd"], name="build_item_once_per_opd"),
        ]

    def __str__(self):
        return f"{self.opd_id} {self.outcome}"


class RosterChange(models.Model):
    """One entry of a submitted or approved roster changed in place: the change log.

    Written only by ``services.changes.change_days``, the one path by which swaps,
    approved requests and recalls reach a roster after it was submitted, in the same
    transaction as the entry it describes.
    """

    class Kind(models.TextChoices):
        SWAP = "swap", _("tukar jadwal")
        REQUEST = "request", _("permohonan")
        RECALL = "recall", _("dipanggil ke kantor")

    roster = models.ForeignKey(
        Roster, on_delete=models.CASCADE, related_name="changes", verbose_name=_("roster")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("pegawai")
    )
    date = models.DateField(_("tanggal"))
    old_mode = models.CharField(_("mode lama"), max_length=7, choices=Mode.choices)
    new_mode = models.CharField(_("mode baru"), max_length=7, choices=Mode.choices)
    kind = models.CharField(_("jenis perubahan"), max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=20)
    args = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    changed_at = models.DateTimeField(_("diubah pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan jadwal")
        verbose_name_plural = _("log perubahan jadwal")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["date"], name="roster_change_date")]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.old_mode}->{self.new_mode}"


class Swap(models.Model):
    """An ASN's offer to trade modes on one day with a colleague of the same post (or
    both of the back office): proposed -> accepted/declined by the colleague ->
    approved/rejected by the head. Made and moved only by ``services.swaps``."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("menunggu rekan")
        ACCEPTED = "accepted", _("menunggu Kepala OPD")
        DECLINED = "declined", _("ditolak rekan")
        APPROVED = "approved", _("disetujui")
        REJECTED = "rejected", _("ditolak Kepala OPD")
        CANCELLED = "cancelled", _("dibatalkan")

    OPEN = (Status.PROPOSED, Status.ACCEPTED)

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    proposer = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("pengaju")
    )
    partner = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("rekan")
    )
    proposer_mode = models.CharField(max_length=3)
    partner_mode = models.CharField(max_length=3)
    note = models.CharField(_("alasan"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)
    answered_at = models.DateTimeField(_("dijawab rekan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tukar jadwal")
        verbose_name_plural = _("tukar jadwal")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer=models.F("partner")), name="swap_not_with_oneself"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "accepted",
                        "declined",
                        "approved",
                        "rejected",
                        "cancelled",
                    ]
                ),
                name="swap_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["opd", "status"], name="swap_opd_status")]

    def __str__(self):
        return f"{self.proposer_id}<->{self.partner_id} {self.date}"


def private_storage():
    """Uploaded attachments: outside ``static/`` and never served by URL, only by the
    view that checks who may see them."""
    return storages["private"]


class DayRequest(models.Model):
    """An ASN's request to their head: izin, sakit, cuti, dinas luar, or a WFA/WFH day.

    Decided only through ``services.requests``: an approved leave request becomes a
    ``Leave`` (and its approved roster days ``LEAVE``), an approved WFA/WFH day an entry
    change, both by ``services.changes.change_days``.
    """

    class Kind(models.TextChoices):
        PERMIT = "izin", _("izin")
        SICK = "sakit", _("sakit")
        LEAVE = "cuti", _("cuti")
        DUTY = "dinas_luar", _("dinas luar")
        WFA = "wfa", _("WFA")
        WFH = "wfh", _("WFH")

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu keputusan")
        APPROVED = "approved", _("disetujui")
        REJECTED = "rejected", _("ditolak")
        CANCELLED = "cancelled", _("dibatalkan")

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="day_requests", verbose_name=_("pegawai")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    leave_kind = models.CharField(
        _("jenis cuti"), max_length=20, choices=Leave.Kind.choices, blank=True
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    note = models.CharField(_("keterangan"), max_length=500, blank=True)
    attachment = models.FileField(
        _("lampiran"), upload_to="lampiran/%Y/%m/", storage=private_storage, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)
    leave = models.ForeignKey(
        Leave, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="request_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "cancelled"]),
                name="request_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["employee", "status"], name="request_employee_status")]

    def __str__(self):
        return f"{self.employee_id} {self.kind} {self.start}"


class CalendarFeed(models.Model):
    """A person's private calendar subscription (``/kalender/<token>.ics``).

    Only a SHA-256 hash of the token is kept: the address is shown once, when it is
    made. The token carries 256 random bits, so a plain hash behind a unique index is
    the lookup (a slow hash or a lookup prefix would only matter for guessable
    secrets). Turning the feed on again replaces the token, so the old address stops
    working; turning it off sets ``revoked_at``.
    """

    employee = models.OneToOneField(
        Employee,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("pegawai"),
    )
    token_hash = models.CharField(_("hash token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat pada"))
    revoked_at = models.DateTimeField(_("dimatikan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("langganan kalender")
        verbose_name_plural = _("langganan kalender")

    def __str__(self):
        return f"{self.employee_id} {self.created_at:%d-%m-%Y}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

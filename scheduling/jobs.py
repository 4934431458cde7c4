"""The automatic jobs (django-celery-beat crontabs) as BKPSDM reads and sets them.

Pure rules: which tasks are the project's jobs and what they are called in Bahasa,
the simple schedules the plain admin page offers (a day choice and a time, in WIB),
and when a crontab runs next. The admin page (``admin_jobs``) reads and writes the
``PeriodicTask``/``CrontabSchedule`` rows through these.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Job:
    task: str
    name: str
    description: str


# The beat tasks the migrations create, in the order of the working week.
JOBS = (
    Job(
        "scheduling.tasks.build_next_week",
        _("Bangun roster minggu depan"),
        _(
            "Membangun roster semua OPD untuk minggu berikutnya; BKPSDM menerima e-mail setelah "
            "selesai."
        ),
    ),
    Job(
        "attendance.tasks.mark_absent",
        _("Tandai tidak hadir (malam hari)"),
        _(
            "Menandai tidak hadir pegawai yang wajib hadir pada hari kerja sebelumnya tetapi "
            "tidak melakukan presensi."
        ),
    ),
    Job(
        "evaluation.tasks.refresh_evaluation",
        _("Rekap harian untuk evaluasi"),
        _("Menghitung ulang angka harian halaman evaluasi (setelah tidak hadir ditandai)."),
    ),
    Job(
        "attendance.tasks.remind_check_in",
        _("Pengingat presensi masuk"),
        _("Mengirim pengingat kepada pegawai yang wajib hadir tetapi belum presensi masuk."),
    ),
    Job(
        "attendance.tasks.check_coverage",
        _("Pemeriksaan pos kurang petugas"),
        _("Membandingkan petugas di kantor dengan minimum tiap pos dan memberi tahu kepala OPD."),
    ),
)
JOB_BY_TASK = {job.task: job for job in JOBS}

EVERY_DAY = "*"
WEEKDAYS = "1-5"
# crontab's day_of_week: 0 is Sunday.
DAY_CHOICES = (
    (EVERY_DAY, _("Setiap hari")),
    (WEEKDAYS, _("Senin–Jumat (hari kerja)")),
    ("1", _("Setiap Senin")),
    ("2", _("Setiap Selasa")),
    ("3", _("Setiap Rabu")),
    ("4", _("Setiap Kamis")),
    ("5", _("Setiap Jumat")),
    ("6", _("Setiap Sabtu")),
    ("0", _("Setiap Minggu")),
)
DAY_LABELS = dict(DAY_CHOICES)


@dataclass(frozen=True)
class Cron:
    """A crontab's five fields, as django-celery-beat stores them."""

    minute: str
    hour: str
    day_of_week: str
    day_of_month: str = "*"
    month_of_year: str = "*"

    def __str__(self):
        return (
            f"{self.minute} {self.hour} {self.day_of_month} {self.month_of_year} {self.day_of_week}"
        )


@dataclass(frozen=True)
class SimpleSchedule:
    day: str  # a key of DAY_CHOICES
    at: time

    def as_cron(self) -> Cron:
        return Cron(minute=str(self.at.minute), hour=str(self.at.hour), day_of_week=self.day)

    @property
    def label(self) -> str:
        return f"{DAY_LABELS[self.day]}, {self.at:%H:%M} WIB"


def simple_schedule(cron: Cron) -> SimpleSchedule | None:
    """The day choice and time a crontab amounts to, or None when it is something the
    plain page cannot show (several times a day, certain dates: the expert form's)."""
    if (cron.day_of_month, cron.month_of_year) != ("*", "*"):
        return None
    if cron.day_of_week not in DAY_LABELS:
        return None
    if not (cron.minute.isdigit() and cron.hour.isdigit()):
        return None
    minute, hour = int(cron.minute), int(cron.hour)
    if minute > 59 or hour > 23:
        return None
    return SimpleSchedule(cron.day_of_week, time(hour, minute))


def next_run(cron: Cron, after: datetime, zone: ZoneInfo = WIB) -> datetime | None:
    """The first moment strictly after ``after`` the crontab fires, in ``zone``; None
    for a crontab celery cannot read or that never fires (e.g. 31 February).

    All five fields must match (celery's rule, unlike Unix cron's day OR weekday)."""
    try:
        spec = crontab(
            minute=cron.minute,
            hour=cron.hour,
            day_of_week=cron.day_of_week,
            day_of_month=cron.day_of_month,
            month_of_year=cron.month_of_year,
        )
    except (ValueError, TypeError):
        return None
    hours, minutes = sorted(spec.hour), sorted(spec.minute)
    local = after.astimezone(zone)
    day = local.date()
    # Every date repeats its weekday within 28 years; eight years cover 29 February.
    for _offset in range(366 * 8):
        if (
            day.month in spec.month_of_year
            and day.day in spec.day_of_month
            and day.isoweekday() % 7 in spec.day_of_week
        ):
            for hour in hours:
                for minute in minutes:
                    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                    if moment > local:
                        return moment
        day += timedelta(days=1)
    return None


def keeps_last_run(cron: Cron, last_run: datetime | None, now: datetime) -> bool:
    """Whether a job's last run can stay recorded once its schedule becomes ``cron``.

    django-celery-beat runs a job when its next time after the last run has passed; a
    new time earlier in the week than the old one would then fire at once. The last
    run is kept only when the new schedule's next time after it is still to come;
    otherwise it is cleared and the scheduler counts from the moment of the change."""
    if last_run is None:
        return False
    following = next_run(cron, last_run)
    return following is not None and following > now

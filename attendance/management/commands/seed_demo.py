from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.config import forget_config
from attendance.demo import demo_attendance, demo_changes
from attendance.models import WorkingDay, WorkingHours
from attendance.services import mark_absent
from opd.models import Employee
from scheduling.calendar import current_week, week_label, working_days
from scheduling.demo import DEMO_PASSWORD, demo_dataset
from scheduling.models import Roster, RosterStatus
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.services.dataset import describe_counts, import_dataset

# Weeks built relative to the current one: nine past weeks (two months of history, so
# the recap, the savings trend, fairness and discipline show real figures), the current
# week (approved) and next week (a draft).
DEMO_WEEKS = tuple(range(-9, 2))
# Ramadan 1448 H, shorter hours (an example of a dated working-hours schedule).
RAMADAN = ("Ramadan 1448 H", date(2027, 2, 8), date(2027, 3, 9), time(8, 0), time(15, 0))


class Command(BaseCommand):
    help = "Load the Kota Bekasi demo (deterministic; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow running with WFH_ENV=production."
        )

    def handle(self, *args, force, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(_("seed_demo menolak berjalan di produksi tanpa --force."))
        today = timezone.localdate()
        dataset = demo_dataset(today)
        with transaction.atomic():
            report = import_dataset(files=dataset.files)
            if not report.ok:
                raise CommandError("\n".join(str(e) for e in report.errors))
            # One hash for every demo account: hashing 1,500 passwords one by one with
            # PBKDF2 would take minutes, and these accounts are for demonstration only.
            get_user_model().objects.filter(username__in=dataset.nips).update(
                password=make_password(DEMO_PASSWORD)
            )
            self._ramadan_hours()
        for name, counts in report.counts.items():
            self.stdout.write(f"{name}: {describe_counts(counts)}")

        approver = Employee.objects.get(nip=dataset.logins[0].nip).user
        current = current_week(today)
        for offset in DEMO_WEEKS:
            monday = current + timedelta(weeks=offset)
            outcomes = build_roster(week_start=monday, user=approver)
            if offset <= 0:
                drafts = Roster.objects.filter(week_start=monday, status=RosterStatus.DRAFT)
                approve_rosters(roster_ids=list(drafts.values_list("pk", flat=True)), user=approver)
                _as_decided_before(monday)
            built = sum(o.outcome == "built" for o in outcomes)
            state = _("disetujui") if offset <= 0 else _("draf, menunggu persetujuan")
            self.stdout.write(
                _("Roster {week}: {built} dibangun ({state}).").format(
                    week=week_label(monday), built=built, state=state
                )
            )

        # Attendance history on the past working days (never today: the demo accounts
        # check in themselves), then the nightly job's absences for those days.
        first = current + timedelta(weeks=DEMO_WEEKS[0])
        past = [
            day
            for offset in DEMO_WEEKS
            for day in working_days(current + timedelta(weeks=offset))
            if day < today
        ]
        made = demo_attendance(first, today - timedelta(days=1))
        absent = sum(mark_absent(day=day).absent for day in past)
        self.stdout.write(
            _("Presensi contoh: {made} hari tercatat, {absent} tidak hadir.").format(
                made=made, absent=absent
            )
        )
        logins = {login.label: login for login in dataset.logins}
        changes = demo_changes(
            today=today,
            head_nip=logins["Kepala OPD"].nip,
            asn_nip=logins["ASN (boleh WFH)"].nip,
        )
        if changes.short_post:
            self.stdout.write(
                _("Pos kurang petugas (sakit, menunggu dipanggil): {post}.").format(
                    post=changes.short_post
                )
            )
        if changes.request:
            self.stdout.write(_("Permohonan menunggu: {request}.").format(request=changes.request))
        if changes.swap:
            self.stdout.write(_("Tukar jadwal menunggu: {swap}.").format(swap=changes.swap))
        # The evaluation pages read daily aggregates, computed every night; now too.
        call_command("refresh_evaluation", "--from", first.isoformat(), stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(_("Data demo Kota Bekasi siap.")))
        self.stdout.write(
            _("Akun demo (kata sandi untuk semua: {password}):").format(password=DEMO_PASSWORD)
        )
        for login in dataset.logins:
            self.stdout.write(
                f"  {login.label:<20} NIP {login.nip}  {login.name} ({login.opd_code})"
            )

    def _ramadan_hours(self):
        name, start, end, begin, finish = RAMADAN
        hours, created = WorkingHours.objects.get_or_create(
            name=name, defaults={"start_date": start, "end_date": end}
        )
        if created:
            WorkingDay.objects.bulk_create(
                WorkingDay(
                    hours=hours,
                    weekday=weekday,
                    start=begin,
                    end=finish if weekday < 5 else time(15, 30),
                )
                for weekday in range(1, 6)
            )
        forget_config()


def _as_decided_before(monday: date) -> None:
    """A past or current week reads as it would have happened: built by the weekly job on
    the Thursday before at 20:00 WIB and approved on the Friday before at 09:30 WIB, not
    at the moment the demo was loaded (its history rows too)."""
    zone = timezone.get_current_timezone()
    built = datetime.combine(monday - timedelta(days=4), time(20, 0), tzinfo=zone)
    decided = datetime.combine(monday - timedelta(days=3), time(9, 30), tzinfo=zone)
    rosters = Roster.objects.filter(week_start=monday)
    rosters.update(built_at=built, decided_at=decided)
    history = Roster.history.filter(week_start=monday)
    history.filter(status=RosterStatus.DRAFT).update(history_date=built)
    history.exclude(status=RosterStatus.DRAFT).update(history_date=decided)

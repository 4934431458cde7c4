from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.services import AttendanceError, mark_absent, previous_working_day
from scheduling.calendar import DateTextError, parse_date


class Command(BaseCommand):
    help = "Mark a working day's no-shows as absent (default: the previous working day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="YYYY-MM-DD, a day that has passed")

    def handle(self, *args, day=None, **options):
        if day:
            try:
                target = parse_date(day)
            except DateTextError as error:
                raise CommandError(str(error)) from None
        else:
            target = previous_working_day(timezone.localdate())
        try:
            result = mark_absent(day=target)
        except AttendanceError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "{date}: {absent} pegawai ditandai tidak hadir, {missing} tanpa presensi pulang."
            ).format(
                date=target.isoformat(), absent=result.absent, missing=result.missing_check_out
            )
        )

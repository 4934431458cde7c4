from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.services import mark_absent, previous_working_day


class Command(BaseCommand):
    help = "Mark a working day's no-shows as absent (default: the previous working day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                day = _parse(date)
            except ValueError:
                raise CommandError(
                    _('Tanggal harus ditulis seperti 2026-12-08, bukan "{v}".').format(v=date)
                ) from None
        else:
            day = previous_working_day(timezone.localdate())
        result = mark_absent(day=day)
        self.stdout.write(
            _(
                "{date}: {absent} pegawai ditandai tidak hadir, {missing} tanpa presensi pulang."
            ).format(date=day.isoformat(), absent=result.absent, missing=result.missing_check_out)
        )


def _parse(text: str):
    return date.fromisoformat(text)

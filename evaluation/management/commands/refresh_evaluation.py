from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluation.services import refresh_days
from scheduling.calendar import DateTextError, parse_date


class Command(BaseCommand):
    help = "Recompute the daily aggregates of the evaluation pages (default: last 45 days)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")

    def handle(self, *args, start=None, end=None, **options):
        today = timezone.localdate()
        try:
            first = parse_date(start) if start else today - timedelta(days=45)
            last = parse_date(end) if end else today + timedelta(days=31)
        except DateTextError as error:
            raise CommandError(str(error)) from None
        if last < first:
            raise CommandError("--to harus sama dengan atau setelah --from.")
        rows = refresh_days(first, last)
        self.stdout.write(f"{rows} baris rekap harian untuk {first} s.d. {last}.")

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opd.batch import collector_paused
from scheduling.calendar import WeekError, parse_week
from scheduling.export import csv_text, json_text
from scheduling.selectors import week_rows


class Command(BaseCommand):
    help = "Print a week's roster as nip,date,mode rows (CSV or JSON), sorted by NIP and date."
    # The system checks cost a quarter of a second at every start; the scheduled
    # build and the export run against a deployed, already checked project.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2026-W50")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument(
            "--approved-only",
            action="store_true",
            help="Leave out draft rosters (rejected ones are never exported).",
        )

    def handle(self, *args, week, format, approved_only, **options):
        try:
            monday = parse_week(week)
        except WeekError as error:
            raise CommandError(str(error)) from None
        # A quarter of a million row tuples, none of them in a cycle.
        with collector_paused():
            rows, drafts = week_rows(monday, approved_only=approved_only)
            text = csv_text(rows) if format == "csv" else json_text(rows)
        if drafts:
            self.stderr.write(
                _("Catatan: {count} roster minggu ini masih draf (belum disetujui BKPSDM).").format(
                    count=drafts
                )
            )
        self.stdout.write(text, ending="")

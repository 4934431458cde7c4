from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opd.models import Opd
from scheduling.calendar import WeekError, parse_week, week_label
from scheduling.services.build import build_roster


class Command(BaseCommand):
    help = "Build (or rebuild) a week's draft rosters for every OPD, or one with --opd."
    # The system checks cost a quarter of a second at every start; the scheduled
    # build and the export run against a deployed, already checked project.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2026-W50")
        parser.add_argument("--opd", help="Only this OPD code")

    def handle(self, *args, week, opd, **options):
        try:
            monday = parse_week(week)
        except WeekError as error:
            raise CommandError(str(error)) from None
        opd_ids = None
        if opd:
            found = Opd.objects.filter(code=opd).values_list("id", flat=True).first()
            if found is None:
                raise CommandError(_('OPD "{code}" tidak ada.').format(code=opd))
            opd_ids = [found]
        outcomes = build_roster(week_start=monday, opd_ids=opd_ids)
        refused = [o for o in outcomes if o.outcome == "refused"]
        if opd and refused:
            raise CommandError(refused[0].message)
        built = sum(o.outcome == "built" for o in outcomes)
        unchanged = sum(o.outcome == "unchanged" for o in outcomes)
        self.stdout.write(
            _(
                "Minggu {week}: {built} roster dibangun, {unchanged} tidak berubah, "
                "{refused} sudah disetujui (tidak disentuh)."
            ).format(
                week=week_label(monday), built=built, unchanged=unchanged, refused=len(refused)
            )
        )
        for outcome in outcomes:
            if outcome.shortfalls:
                self.stdout.write(
                    _("  {opd}: {count} kekurangan petugas di pos pelayanan").format(
                        opd=outcome.opd_code, count=outcome.shortfalls
                    )
                )

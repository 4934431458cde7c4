from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from scheduling.demo import DEMO_PASSWORD, demo_dataset
from scheduling.services import describe_counts, import_dataset


class Command(BaseCommand):
    help = "Load the Kota Bekasi demo (deterministic; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow running with WFH_ENV=production."
        )

    def handle(self, *args, force, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(_("seed_demo menolak berjalan di produksi tanpa --force."))
        dataset = demo_dataset()
        with transaction.atomic():
            report = import_dataset(files=dataset.files)
            if not report.ok:
                raise CommandError("\n".join(str(e) for e in report.errors))
            # One hash for every demo account: hashing 1,500 passwords one by one with
            # PBKDF2 would take minutes, and these accounts are for demonstration only.
            get_user_model().objects.filter(username__in=dataset.nips).update(
                password=make_password(DEMO_PASSWORD)
            )
        for name, counts in report.counts.items():
            self.stdout.write(f"{name}: {describe_counts(counts)}")
        self.stdout.write(self.style.SUCCESS(_("Data demo Kota Bekasi siap.")))
        self.stdout.write(
            _("Akun demo (kata sandi untuk semua: {password}):").format(password=DEMO_PASSWORD)
        )
        for login in dataset.logins:
            self.stdout.write(
                f"  {login.label:<20} NIP {login.nip}  {login.name} ({login.opd_code})"
            )

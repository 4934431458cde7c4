from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scheduling.services.dataset import DATASET_FILES, describe_counts, import_dataset


class Command(BaseCommand):
    help = "Import a dataset folder of CSV files (all rows validated first; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder holding opds.csv, posts.csv, ...")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, write nothing."
        )

    def handle(self, *args, directory, dry_run, **options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(_("Folder {path} tidak ditemukan.").format(path=folder))
        files = {}
        for name in DATASET_FILES:
            path = folder / name
            if path.is_file():
                files[name] = path.read_bytes()
        if not files:
            raise CommandError(
                _("Tidak ada berkas dataset di {path}; yang dibaca: {names}.").format(
                    path=folder, names=", ".join(DATASET_FILES)
                )
            )
        for path in sorted(folder.glob("*.csv")):
            if path.name not in DATASET_FILES:
                self.stderr.write(
                    _("{name}: bukan berkas dataset, diabaikan.").format(name=path.name)
                )

        report = import_dataset(files=files, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            self._warn(report.warnings, self.stderr)
            raise CommandError(
                _("{count} kesalahan ditemukan; tidak ada data yang disimpan.").format(
                    count=len(report.errors)
                )
            )
        for name, counts in report.counts.items():
            self.stdout.write(f"{name}: {describe_counts(counts)}")
        # Warnings come after the counts, and only warnings still end with exit code 0.
        self._warn(report.warnings, self.stdout)
        if dry_run:
            self.stdout.write(
                _("Uji coba (--dry-run): semua baris valid, tidak ada yang disimpan.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Impor selesai.")))

    def _warn(self, warnings, stream):
        if not warnings:
            return
        for warning in warnings:
            stream.write(self.style.WARNING(str(warning)))
        stream.write(
            ngettext(
                "{count} peringatan: baris itu tetap diterima; periksa dan perbaiki bila perlu.",
                "{count} peringatan: baris-baris itu tetap diterima; periksa dan perbaiki bila "
                "perlu.",
                len(warnings),
            ).format(count=len(warnings))
        )

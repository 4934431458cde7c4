from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services.dataset import DATASET_FILES


def _field_name(file_name: str) -> str:
    return file_name.removesuffix(".csv")


class DatasetUploadForm(forms.Form):
    """One optional upload per dataset file; the import rules are the command's."""

    dry_run = forms.BooleanField(
        label=_("Uji coba saja (periksa tanpa menyimpan)"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DATASET_FILES:
            self.fields[_field_name(name)] = forms.FileField(label=name, required=False)

    def clean(self):
        cleaned = super().clean()
        limit = settings.IMPORT_MAX_FILE_BYTES
        files = {}
        for name in DATASET_FILES:
            upload = cleaned.get(_field_name(name))
            if not upload:
                continue
            if upload.size > limit:
                self.add_error(
                    _field_name(name),
                    _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": limit // 2**20},
                )
                continue
            files[name] = upload.read()
        if not files and not self.errors:
            raise forms.ValidationError(_("Pilih minimal satu berkas CSV."))
        cleaned["files"] = files
        return cleaned

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import REPORT_MAX_CHARS


class CheckInForm(forms.Form):
    """What a phone may send: the button pressed, where it is, the daily report, and
    whether the person confirmed an early check-out (see ``services.EarlyCheckOut``).

    The time, the date, the employee and the status are never read from the request.
    Coordinates are optional (a refused permission still checks in, flagged), but when
    sent they must be finite numbers in range.
    """

    action = forms.ChoiceField(
        label=_("Tombol"), choices=[("in", _("Presensi Masuk")), ("out", _("Presensi Pulang"))]
    )
    lat = forms.FloatField(label=_("Lintang"), min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(label=_("Bujur"), min_value=-180, max_value=180, required=False)
    accuracy = forms.FloatField(
        label=_("Akurasi lokasi"), min_value=0, max_value=1_000_000, required=False
    )
    report = forms.CharField(
        label=_("Laporan kinerja harian"),
        required=False,
        max_length=REPORT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang Anda hasilkan hari ini (wajib pada hari WFH/WFA)."),
    )

    # Sent only by the "Ya, pulang sekarang" button of an early check-out.
    confirm = forms.BooleanField(label=_("Ya, pulang sekarang"), required=False)

    error_messages = {
        "pair": _("Lintang dan bujur harus dikirim berdua."),
        "accuracy": _("Akurasi hanya berarti bila lokasi dikirim."),
    }

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if self.errors:
            return cleaned
        if (lat is None) != (lon is None):
            raise forms.ValidationError(self.error_messages["pair"], code="pair")
        if lat is None and cleaned.get("accuracy") is not None:
            raise forms.ValidationError(self.error_messages["accuracy"], code="accuracy")
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("accept", _("Terima")), ("return", _("Kembalikan"))]
    )
    comment = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResubmitForm(forms.Form):
    report = forms.CharField(
        label=_("Laporan yang diperbaiki"),
        max_length=REPORT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RecallForm(forms.Form):
    """One tap on "Panggil ke kantor": who and which day; the OPD comes from the URL."""

    employee = forms.IntegerField(label=_("Pegawai"), min_value=1)
    date = forms.DateField(label=_("Tanggal"), input_formats=["%Y-%m-%d"])

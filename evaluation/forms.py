from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from opd.models import Opd
from scheduling.calendar import FIRST_YEAR, LAST_YEAR, format_weekdays, parse_weekdays

from .models import Scenario
from .scenarios import MAX_WEEKS


class ScenarioForm(forms.ModelForm):
    """A proposed policy to study; every problem named on its field, in Bahasa Indonesia."""

    class Meta:
        model = Scenario
        fields = [
            "name",
            "mode",
            "wfh_ratio",
            "weekdays",
            "max_remote_days_per_week",
            "essential_opds",
            "start",
            "end",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["essential_opds"].queryset = Opd.objects.order_by("code")
        if not self.is_bound:
            self.initial.setdefault(
                "essential_opds",
                list(Opd.objects.filter(essential=True).values_list("pk", flat=True)),
            )

    def clean_weekdays(self):
        try:
            return format_weekdays(parse_weekdays(self.cleaned_data["weekdays"] or ""))
        except ValueError as error:
            raise forms.ValidationError(str(error).capitalize()) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Tahun harus antara {first} dan {last}.").format(
                        first=FIRST_YEAR, last=LAST_YEAR
                    ),
                )
        if start and end:
            if end < start:
                self.add_error("end", _("Tanggal sampai tidak boleh sebelum tanggal mulai."))
            elif end - start > timedelta(weeks=MAX_WEEKS):
                self.add_error(
                    "end",
                    _("Satu skenario paling lama {weeks} minggu.").format(weeks=MAX_WEEKS),
                )
        return cleaned

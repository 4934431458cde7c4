from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from opd.admin import ReadOnlyAdmin, messages, person_column

from .config import forget_config
from .models import (
    Attendance,
    AttendanceCorrection,
    AttendanceRules,
    Band,
    CoverageAlert,
    TppRules,
    WorkingDay,
    WorkingHours,
)
from .services import CORRECTABLE, AttendanceError, correct_attendance
from .texts import flag_text


class ConfigAdmin(admin.ModelAdmin):
    """Configuration read by the check-in path: drop this process's cached copy on save
    (other server processes pick the change up within a minute)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_config()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_config()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_config()


class WorkingDayInline(admin.TabularInline):
    model = WorkingDay
    extra = 0
    max_num = 5


@admin.register(WorkingHours)
class WorkingHoursAdmin(ConfigAdmin):
    list_display = ("name", "start_date", "end_date")
    inlines = [WorkingDayInline]


@admin.register(Band)
class BandAdmin(ConfigAdmin):
    list_display = ("code", "kind", "min_minutes", "max_minutes", "deduction_percent")
    list_editable = ("min_minutes", "max_minutes", "deduction_percent")
    list_filter = ("kind",)


@admin.register(AttendanceRules)
class AttendanceRulesAdmin(ConfigAdmin):
    list_display = ("__str__", "poor_accuracy_m", "home_radius_m", "checkout_jump_m")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TppRules)
class TppRulesAdmin(ConfigAdmin):
    list_display = (
        "__str__",
        "regulation",
        "absent_day_percent",
        "missing_report_percent",
        "monthly_cap_percent",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CorrectionForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib: mengapa data presensi ini diubah (tercatat bersama nama Anda)."),
    )

    class Meta:
        model = Attendance
        fields = CORRECTABLE

    # The record's rules (present needs a check-in, times on the record's date...) are
    # Attendance.clean(), which ModelForm validation runs; correct_attendance checks the
    # same again under the row lock.


class CorrectionInline(admin.TabularInline):
    model = AttendanceCorrection
    extra = 0
    can_delete = False
    fields = ("changed_at", "changed_by_name", "field", "old_value", "new_value", "note")
    readonly_fields = fields
    changed_by_name = person_column("changed_by", _("diubah oleh"), with_nip=True)

    def has_add_permission(self, request, obj=None):
        return False


class CodeFilter(admin.AllValuesFieldListFilter):
    """A TL/PSW code filter whose empty code has a name: Django would show it as a
    link without text (axe-core: link-name)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice["display"] = _("(tanpa kode)")
            yield choice


def _location(lat, lon, accuracy) -> str:
    if lat is None or lon is None:
        return "-"
    text = f"{lat}, {lon}"
    if accuracy is not None:
        text += " " + _("(akurasi ±%(metres)s m)") % {"metres": accuracy}
    return text


class OpdListFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("OPD")  # the field has no label of its own


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Check-in records: read-only, except a correction that logs who changed what."""

    form = CorrectionForm
    # Labels in Bahasa for the fields whose model has none (employee, opd, locations).
    list_display = (
        "date",
        "employee_column",
        "opd_column",
        "mode",
        "status",
        "check_in_at",
        "check_out_at",
        "tl_code",
        "psw_code",
        "flag_count",
        "report_status",
    )
    list_filter = (
        "mode",
        "status",
        ("tl_code", CodeFilter),
        ("psw_code", CodeFilter),
        "report_status",
        "opd__essential",
        ("opd", OpdListFilter),
    )
    list_select_related = ("employee", "opd")
    search_fields = ("employee__nip", "employee__name")
    date_hierarchy = "date"
    inlines = [CorrectionInline]
    readonly_fields = (
        "employee_column",
        "opd_column",
        "date",
        "from_approved_roster",
        "late_minutes",
        "early_minutes",
        "tl_code",
        "psw_code",
        "flag_list",
        "in_location",
        "out_location",
        "in_ip",
        "in_user_agent",
        "out_ip",
        "out_user_agent",
        "report",
        "report_status",
        "report_comment",
        "reviewed_by_name",
        "reviewed_at_column",
    )
    fieldsets = (
        (None, {"fields": ("employee_column", "opd_column", "date", "from_approved_roster")}),
        (_("Koreksi (tercatat)"), {"fields": (*CORRECTABLE, "note")}),
        (
            _("Hasil"),
            {"fields": ("late_minutes", "tl_code", "early_minutes", "psw_code", "flag_list")},
        ),
        (
            _("Lokasi dan perangkat"),
            {
                "fields": (
                    "in_location",
                    ("in_ip", "in_user_agent"),
                    "out_location",
                    ("out_ip", "out_user_agent"),
                )
            },
        ),
        (
            _("Laporan harian"),
            {
                "fields": (
                    "report",
                    "report_status",
                    "report_comment",
                    "reviewed_by_name",
                    "reviewed_at_column",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    reviewed_by_name = person_column("reviewed_by", _("ditinjau oleh"), with_nip=True)

    @admin.display(description=_("pegawai"), ordering="employee__name")
    def employee_column(self, obj):
        return format_html("{}<br><small>{}</small>", obj.employee.name, obj.employee.nip)

    @admin.display(description=_("OPD"), ordering="opd__code")
    def opd_column(self, obj):
        return obj.opd.code

    @admin.display(description=_("ditinjau pada"))
    def reviewed_at_column(self, obj):
        return obj.reviewed_at or "-"

    @admin.display(description=_("lokasi masuk"))
    def in_location(self, obj):
        return _location(obj.in_lat, obj.in_lon, obj.in_accuracy)

    @admin.display(description=_("lokasi pulang"))
    def out_location(self, obj):
        return _location(obj.out_lat, obj.out_lon, obj.out_accuracy)

    @admin.display(description=_("tanda"))
    def flag_count(self, obj):
        return len(obj.flags)

    @admin.display(description=_("tanda"))
    def flag_list(self, obj):
        return format_html_join("", "<div>{}</div>", ((flag_text(f),) for f in obj.flags)) or "-"

    def save_model(self, request, obj, form, change):
        # Not obj.save(): the service reads the stored row, logs each change and
        # grades lateness again from the corrected times.
        changes = {name: form.cleaned_data[name] for name in CORRECTABLE}
        try:
            correct_attendance(
                attendance=obj, changes=changes, user=request.user, note=form.cleaned_data["note"]
            )
        except AttendanceError as error:
            # Only when the row changed between the form's validation and this save.
            request.correction_refused = True
            messages.error(request, str(error))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "correction_refused", False):
            return
        super().message_user(request, message, level, *args, **kwargs)


@admin.register(CoverageAlert)
class CoverageAlertAdmin(ReadOnlyAdmin):
    """Posts found short of their minimum, city-wide: BKPSDM watches, heads act on
    their OPD day page. Read-only: the coverage check opens and closes them."""

    list_display = ("date", "opd_code", "post", "onsite", "required", "opened_at", "closed_at")
    list_filter = (
        ("closed_at", admin.EmptyFieldListFilter),
        "date",
        ("post__opd", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("post__opd",)
    search_fields = ("post__name", "post__code", "post__opd__code")
    date_hierarchy = "date"

    @admin.display(description=_("OPD"), ordering="post__opd__code")
    def opd_code(self, obj):
        return obj.post.opd.code

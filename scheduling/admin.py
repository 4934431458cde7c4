from datetime import date, datetime, timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, PeriodicTask, SolarSchedule
from kombu.exceptions import OperationalError as BrokerError
from simple_history.admin import SimpleHistoryAdmin

from attendance.downloads import BOM
from opd.access import is_bkpsdm
from opd.admin import PersonListFilter, ReadOnlyAdmin, messages, person_column, person_name

from .admin_jobs import ExpertCrontabAdmin, ExpertPeriodicTaskAdmin
from .calendar import WEEKDAY_CODES, WeekError, format_weekdays, parse_week, week_label, week_start
from .examples import EXAMPLES
from .forms import DatasetUploadForm
from .models import (
    DayRequest,
    Holiday,
    Leave,
    Policy,
    Roster,
    RosterBuild,
    RosterBuildItem,
    RosterChange,
    RosterStatus,
    Swap,
    mode_label,
)
from .reasons import reason_text
from .selectors import roster_grid
from .services.approval import approve_rosters, reject_rosters
from .services.build import StaleInput, build_roster
from .services.dataset import describe_counts, import_dataset

IMPORT_PERMISSIONS = ("opd.add_employee", "opd.change_employee", "opd.add_opd", "opd.change_opd")


def import_dataset_view(request):
    """Admin page: upload dataset CSV files; same validation and writes as the command."""
    if not (is_bkpsdm(request.user) and request.user.has_perms(IMPORT_PERMISSIONS)):
        raise PermissionDenied
    posted = request.method == "POST"
    form = DatasetUploadForm(request.POST, request.FILES) if posted else DatasetUploadForm()
    report = None
    if posted and form.is_valid():
        report = import_dataset(
            files=form.cleaned_data["files"], dry_run=form.cleaned_data["dry_run"]
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Impor dataset"),
        "form": form,
        "report": report,
        "examples": [(name, reverse("import-example", args=[name])) for name in EXAMPLES],
        "summaries": [
            (name, describe_counts(counts))
            for name, counts in (report.counts.items() if report else [])
        ],
    }
    return TemplateResponse(request, "admin/import_dataset.html", context)


def import_example_view(request, name):
    """An example file for the import page (``examples.EXAMPLES``), as a CSV download
    with a byte-order mark like every other CSV of the app, so Excel opens it as UTF-8."""
    if not (is_bkpsdm(request.user) and request.user.has_perms(IMPORT_PERMISSIONS)):
        raise PermissionDenied
    if name not in EXAMPLES:
        raise Http404
    response = HttpResponse(BOM + EXAMPLES[name], content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contoh-{name}"'
    return response


_REFUSALS = {
    "leave_periods_do_not_overlap": _(
        "Cuti lain pegawai ini pada tanggal yang sama baru saja disimpan oleh pengguna lain, "
        "jadi cuti ini tidak disimpan. Periksa daftar cuti pegawai ini lalu coba lagi."
    ),
    "policy_periods_do_not_overlap": _(
        "Kebijakan lain dengan masa berlaku yang tumpang tindih baru saja disimpan oleh "
        "pengguna lain, jadi kebijakan ini tidak disimpan. Periksa daftar kebijakan lalu "
        "coba lagi."
    ),
}


def constraint_name(error: IntegrityError) -> str:
    """The name of the constraint a write broke (PostgreSQL reports it; SQLite names it
    in the message, e.g. ``CHECK constraint failed: leave_end_after_start``)."""
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    return str(error).rpartition("constraint failed: ")[2].strip()


class DatabaseRefusalAdmin(admin.ModelAdmin):
    """Shows a write the database refuses as a form error on the same page, not a 500.

    Model validation runs first and names the problem; the database's constraints are
    the guard for what validation cannot see, such as a clashing row another BKPSDM
    user saved a moment earlier. When that guard fires, the page is validated and
    shown again with the refusal as a form error, so nothing is saved and the typed
    values stay (the clashing row has committed by then, so validation names it too).
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            name = constraint_name(error)
            request.database_refusal = _REFUSALS.get(name) or _(
                "Data tidak disimpan karena ditolak oleh basis data (aturan %(name)s). "
                "Periksa isian lalu coba lagi."
            ) % {"name": name or "-"}
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "database_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                self.add_error(None, refusal)
                return super().clean()

        return RefusedForm


WEEKDAY_CHOICES = [
    ("mon", _("Senin")),
    ("tue", _("Selasa")),
    ("wed", _("Rabu")),
    ("thu", _("Kamis")),
    ("fri", _("Jumat")),
]


class PolicyForm(forms.ModelForm):
    """Weekdays as checkboxes; every other rule, the overlap included, is Policy.clean()."""

    weekdays = forms.MultipleChoiceField(
        label=_("hari"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=Policy._meta.get_field("weekdays").help_text,
    )

    class Meta:
        model = Policy
        fields = (
            "name",
            "reference",
            "start",
            "end",
            "mode",
            "wfh_ratio",
            "weekdays",
            "max_remote_days_per_week",
            "approval_required",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekdays.split(",")

    def clean_weekdays(self):
        return format_weekdays(WEEKDAY_CODES[code] for code in self.cleaned_data["weekdays"])


@admin.register(Policy)
class PolicyAdmin(DatabaseRefusalAdmin):
    form = PolicyForm
    list_display = (
        "name",
        "reference",
        "start",
        "end",
        "mode",
        "wfh_ratio",
        "days",
        "max_remote_days_per_week",
        "approval_required",
    )
    list_filter = ("mode",)
    search_fields = ("name", "reference")

    @admin.display(description=_("hari"), ordering="weekdays")
    def days(self, policy):
        """The policy's weekdays by their names ("Selasa, Rabu, ..."), not the stored codes."""
        names = dict(WEEKDAY_CHOICES)
        return ", ".join(str(names[code]) for code in policy.weekdays.split(",") if code in names)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(Leave)
class LeaveAdmin(DatabaseRefusalAdmin):
    list_display = ("employee", "kind", "start", "end")
    list_filter = ("kind", "employee__opd")
    list_select_related = ("employee",)
    search_fields = ("employee__nip", "employee__name")
    autocomplete_fields = ("employee",)
    date_hierarchy = "start"


class WeekFilter(admin.SimpleListFilter):
    title = _("minggu")
    parameter_name = "week"

    def lookups(self, request, model_admin):
        weeks = (
            Roster.objects.order_by("-week_start").values_list("week_start", flat=True).distinct()
        )
        return [(week_label(w), week_label(w)) for w in weeks[:26]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            return queryset.filter(week_start=parse_week(self.value()))
        except WeekError:
            return queryset.none()


REBUILDABLE = (RosterStatus.DRAFT, RosterStatus.REJECTED)
User = get_user_model()


def history_value(field, value, names: dict[int, str]) -> str:
    """A past value of ``field`` in words: a status's name, a person's name, a time
    in WIB, a dash for nothing."""
    if value is None or value == "":
        return "–"
    if field.is_relation:
        return names.get(value, "–") if field.related_model is User else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return f"{date_format(timezone.localtime(value), 'D, j M Y H:i')} WIB"
    if isinstance(value, date):
        return date_format(value, "D, j M Y")
    return str(value)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=_("Dikirim ke OPD: apa yang harus diperbaiki sebelum roster dibangun ulang."),
    )


@admin.register(Roster)
class RosterAdmin(SimpleHistoryAdmin):
    # Six narrow columns (code and name share one): the list fits 1366 px beside the
    # filters; on a phone the table scrolls sideways inside its own box
    # (static/css/admin_roster.css).
    list_display = (
        "opd_column",
        "week_column",
        "status_column",
        "shortfall_column",
        "decision",
        "grid_link",
    )
    list_filter = (
        WeekFilter,
        "status",
        "opd__essential",
        ("opd", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("opd", "decided_by")
    search_fields = ("opd__code", "opd__name")
    ordering = ("-week_start", "opd__code")
    actions = ["approve", "reject"]
    object_history_list_template = "admin/scheduling/roster/history_list.html"
    history_list_display = ()
    fields = (
        "opd",
        "week_start",
        "status",
        "built_at",
        "submitted_by_name",
        "submitted_at",
        "decided_by_name",
        "decided_at",
        "reject_reason",
        "shortfall_count",
    )
    change_form_template = "admin/scheduling/roster/change_form.html"
    change_list_template = "admin/scheduling/roster/change_list.html"

    submitted_by_name = person_column("submitted_by", _("diajukan oleh"), with_nip=True)
    decided_by_name = person_column("decided_by", _("diputuskan oleh"), with_nip=True)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("OPD"), ordering="opd__code")
    def opd_column(self, obj):
        return format_html(
            '<strong>{}</strong><br><span class="opd-name">{}</span>', obj.opd.code, obj.opd.name
        )

    @admin.display(description=_("kurang petugas"), ordering="shortfall_count")
    def shortfall_column(self, obj):
        return obj.shortfall_count

    @admin.display(description=_("minggu"), ordering="week_start")
    def week_column(self, obj):
        return obj.week

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj):
        # Dark enough for 4.5:1 on the admin's white and grey rows (axe-core).
        colours = {
            "approved": "#146c43",
            "rejected": "#b02a37",
            "draft": "#7a5600",
            "submitted": "#0a58ca",
        }
        return format_html(
            '<strong style="color:{}">{}</strong>', colours[obj.status], obj.get_status_display()
        )

    @admin.display(description=_("diputuskan oleh"), ordering="decided_at")
    def decision(self, obj):
        if obj.decided_by is None:
            return "-"
        return format_html(
            "{}<br><small>{}</small>",
            person_name(obj.decided_by),
            date_format(timezone.localtime(obj.decided_at), "j M Y H:i") if obj.decided_at else "",
        )

    @admin.display(description=_("grid"))
    def grid_link(self, obj):
        url = reverse("admin:scheduling_roster_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("buka"))

    def revert_disabled(self, request, obj=None):
        # Decisions go through the approval services; a revert would write a past
        # status back without them.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each past version's changes as people read them: field labels and statuses in
        Indonesian, people by name, times in WIB (django-simple-history's own shows raw
        values, NIPs, UTC and "Deleted pengguna (pk=None)" for an empty person). One
        query for the names of everyone the page mentions."""
        records = list(historical_records)
        user_fields = [
            f.name for f in Roster._meta.fields if f.is_relation and f.related_model is User
        ]
        ids = {getattr(r, f"{name}_id") for r in records for name in user_fields}
        names = {
            user.pk: person_name(user)
            for user in User.objects.filter(pk__in=ids - {None}).only(
                "username", "first_name", "last_name"
            )
        }
        for record in records:
            record.history_user_name = (
                person_name(record.history_user) if record.history_user_id else _("sistem")
            )
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            newer.history_delta_changes = [
                {
                    "field": capfirst(Roster._meta.get_field(change.field).verbose_name),
                    "old": history_value(Roster._meta.get_field(change.field), change.old, names),
                    "new": history_value(Roster._meta.get_field(change.field), change.new, names),
                }
                for change in delta.changes
            ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        roster = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {}, show_save=False, show_save_and_continue=False)
        if roster is not None:
            extra["grid"] = roster_grid(roster.opd, roster.week_start)
            extra["reject_form"] = RejectForm()
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/setujui/",
                self.admin_site.admin_view(self.approve_one),
                name="scheduling_roster_approve",
            ),
            path(
                "<int:object_id>/tolak/",
                self.admin_site.admin_view(self.reject_one),
                name="scheduling_roster_reject",
            ),
            path(
                "<int:object_id>/bangun-ulang/",
                self.admin_site.admin_view(self.rebuild_one),
                name="scheduling_roster_rebuild",
            ),
            *super().get_urls(),
        ]

    def _report(self, request, result, done_message):
        if result.changed:
            messages.success(request, done_message % {"count": len(result.changed)})
        if result.skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d roster dilewati karena bukan draf.",
                    "%(count)d roster dilewati karena bukan draf.",
                    len(result.skipped),
                )
                % {"count": len(result.skipped)},
            )

    @admin.action(description=_("Setujui roster terpilih"), permissions=["change"])
    def approve(self, request, queryset):
        result = approve_rosters(
            roster_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self._report(request, result, _("%(count)d roster disetujui."))

    @admin.action(description=_("Tolak roster terpilih (dengan alasan)"), permissions=["change"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            result = reject_rosters(
                roster_ids=list(queryset.values_list("pk", flat=True)),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
            self._report(request, result, _("%(count)d roster ditolak."))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tolak roster"),
            "rosters": queryset.select_related("opd"),
            "form": form,
            "opts": self.opts,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/scheduling/roster/reject.html", context)

    def _decide_one(self, request, object_id, decide):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        roster = get_object_or_404(Roster, pk=object_id)
        if not self.has_change_permission(request, roster):
            raise PermissionDenied
        decide(roster)
        return redirect("admin:scheduling_roster_change", roster.pk)

    def approve_one(self, request, object_id):
        def decide(roster):
            result = approve_rosters(roster_ids=[roster.pk], user=request.user)
            self._report(request, result, _("%(count)d roster disetujui."))

        return self._decide_one(request, object_id, decide)

    def reject_one(self, request, object_id):
        def decide(roster):
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Alasan penolakan wajib diisi."))
                return
            result = reject_rosters(
                roster_ids=[roster.pk], user=request.user, reason=form.cleaned_data["reason"]
            )
            self._report(request, result, _("%(count)d roster ditolak."))

        return self._decide_one(request, object_id, decide)

    def rebuild_one(self, request, object_id):
        """Rebuild this one OPD's week (a draft or a rejected roster) through the same
        build service as the weekly build: the head's pins are kept. GET asks first."""
        roster = get_object_or_404(Roster.objects.select_related("opd"), pk=object_id)
        if not self.has_change_permission(request, roster):
            raise PermissionDenied
        back = redirect("admin:scheduling_roster_change", roster.pk)
        if roster.status not in REBUILDABLE:
            messages.error(
                request,
                _(
                    "Roster %(roster)s berstatus %(status)s; hanya roster draf atau ditolak "
                    "yang dapat dibangun ulang di sini."
                )
                % {"roster": roster, "status": roster.get_status_display()},
            )
            return back
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Bangun ulang roster %(roster)s?") % {"roster": roster},
                "roster": roster,
                "pins": roster.pins.count(),
                "opts": self.opts,
                "original": roster,
            }
            return TemplateResponse(request, "admin/scheduling/roster/rebuild.html", context)
        try:
            [outcome] = build_roster(
                week_start=roster.week_start, opd_ids=[roster.opd_id], user=request.user
            )
        except StaleInput as error:
            messages.error(request, str(error))
            return back
        names = {"opd": roster.opd.code, "week": roster.week}
        if outcome.outcome == "built":
            messages.success(
                request,
                ngettext(
                    "Roster %(opd)s minggu %(week)s dibangun ulang sebagai draf: %(count)d "
                    "kekurangan petugas. Penyesuaian kepala OPD tetap dipakai.",
                    "Roster %(opd)s minggu %(week)s dibangun ulang sebagai draf: %(count)d "
                    "kekurangan petugas. Penyesuaian kepala OPD tetap dipakai.",
                    outcome.shortfalls,
                )
                % {**names, "count": outcome.shortfalls},
            )
        elif outcome.outcome == "unchanged":
            messages.info(
                request,
                _(
                    "Roster %(opd)s minggu %(week)s tidak berubah: datanya sama seperti saat "
                    "terakhir dibangun."
                )
                % names,
            )
        else:
            messages.error(request, outcome.message)
        return back


class QueueBuildForm(forms.Form):
    week = forms.CharField(label=_("Minggu"), max_length=10, help_text=_("Contoh: 2026-W50"))

    def clean_week(self):
        try:
            return week_label(parse_week(self.cleaned_data["week"]))
        except WeekError as error:
            raise forms.ValidationError(str(error)) from None


class RosterBuildItemInline(admin.TabularInline):
    model = RosterBuildItem
    fields = ("opd", "outcome", "message", "finished_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RosterBuild)
class RosterBuildAdmin(admin.ModelAdmin):
    list_display = ("week_column", "requested_at", "requested_by_name", "progress", "notified_at")
    inlines = [RosterBuildItemInline]
    readonly_fields = ("week_start", "task_id", "requested_at", "requested_by", "notified_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("requested_by")
            .annotate(
                done=Count("items", filter=~Q(items__outcome=RosterBuildItem.Outcome.PENDING)),
                failed=Count("items", filter=Q(items__outcome=RosterBuildItem.Outcome.FAILED)),
                total=Count("items"),
            )
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("minggu"), ordering="week_start")
    def week_column(self, obj):
        return week_label(obj.week_start)

    requested_by_name = person_column("requested_by", _("diminta oleh"))

    @admin.display(description=_("selesai"))
    def progress(self, obj):
        text = f"{obj.done}/{obj.total}"
        if obj.failed:
            return _("%(done)s (%(failed)d gagal)") % {"done": text, "failed": obj.failed}
        return text

    def add_view(self, request, form_url="", extra_context=None):
        """Queue a week's build (every OPD) instead of typing a record by hand."""
        from .tasks import queue_week_build

        if not self.has_add_permission(request):
            raise PermissionDenied
        next_week = week_label(week_start(timezone.localdate()) + timedelta(weeks=1))
        form = QueueBuildForm(request.POST or None, initial={"week": next_week})
        if request.method == "POST" and form.is_valid():
            week = form.cleaned_data["week"]
            try:
                queue_week_build.delay(week, request.user.pk)
            except (BrokerError, ConnectionError, OSError):
                messages.error(
                    request,
                    _(
                        "Antrean tugas (Redis) tidak dapat dihubungi, jadi roster minggu %(week)s "
                        "belum dibangun. Coba lagi nanti, atau jalankan di server: "
                        "python manage.py build_roster --week %(week)s"
                    )
                    % {"week": week},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Pembangunan roster minggu %(week)s sudah masuk antrean; BKPSDM akan "
                        "menerima e-mail setelah selesai."
                    )
                    % {"week": week},
                )
                return redirect("admin:scheduling_rosterbuild_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bangun roster"),
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/scheduling/rosterbuild/queue.html", context)


@admin.register(RosterChange)
class RosterChangeAdmin(ReadOnlyAdmin):
    """The change log: every swap, approved request and recall that changed a submitted
    or approved roster, filterable by kind, OPD, day and who made it. Read-only: the
    log is written by ``services.changes`` with the entry it describes."""

    list_display = (
        "date",
        "opd_code",
        "employee",
        "change_column",
        "kind",
        "why",
        "note",
        "changed_by_name",
        "changed_at",
    )
    list_filter = (
        "kind",
        ("roster__opd", admin.RelatedOnlyFieldListFilter),
        "date",
        ("changed_by", PersonListFilter),
    )
    list_select_related = ("roster__opd", "employee", "changed_by")
    # The record page names the person too (a raw field would show their NIP).
    exclude = ("changed_by",)
    readonly_fields = ("changed_by_name",)
    search_fields = ("employee__nip", "employee__name", "note")
    date_hierarchy = "date"

    @admin.display(description=_("OPD"), ordering="roster__opd__code")
    def opd_code(self, obj):
        return obj.roster.opd.code

    changed_by_name = person_column("changed_by", _("diubah oleh"))

    @admin.display(description=_("perubahan"))
    def change_column(self, obj):
        return f"{mode_label(obj.old_mode)} → {mode_label(obj.new_mode)}"

    @admin.display(description=_("alasan"))
    def why(self, obj):
        return reason_text(obj.reason, obj.args)


@admin.register(DayRequest)
class DayRequestAdmin(ReadOnlyAdmin):
    """ASN requests (izin, sakit, cuti, dinas luar, WFA, WFH), read-only: they are
    submitted and decided on the pages (``services.requests``), never edited here. The
    attachment is not linked: it is served only by the page that checks who may see it."""

    list_display = (
        "employee",
        "opd_code",
        "kind",
        "leave_kind",
        "start",
        "end",
        "status",
        "decided_by_name",
        "decided_at",
        "created_at",
    )
    list_filter = (
        "status",
        "kind",
        ("employee__opd", admin.RelatedOnlyFieldListFilter),
        "start",
    )
    list_select_related = ("employee__opd", "decided_by")
    search_fields = ("employee__nip", "employee__name")
    date_hierarchy = "start"
    exclude = ("attachment", "decided_by")
    readonly_fields = ("attachment_link", "decided_by_name")

    @admin.display(description=_("OPD"), ordering="employee__opd__code")
    def opd_code(self, obj):
        return obj.employee.opd.code

    decided_by_name = person_column("decided_by", _("diputuskan oleh"))

    @admin.display(description=_("lampiran"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("scheduling:request-attachment", args=[obj.pk]),
            _("Unduh lampiran"),
        )


@admin.register(Swap)
class SwapAdmin(ReadOnlyAdmin):
    """Swap requests between two colleagues, read-only: they are proposed, answered and
    decided on the pages (``services.swaps``), never edited here; an approved one is
    also in the change log."""

    list_display = (
        "date",
        "opd_code",
        "proposer",
        "partner",
        "modes",
        "status",
        "decided_by_name",
        "decided_at",
        "created_at",
    )
    list_filter = ("status", ("opd", admin.RelatedOnlyFieldListFilter), "date")
    list_select_related = ("opd", "proposer", "partner", "decided_by")
    exclude = ("decided_by",)
    readonly_fields = ("decided_by_name",)
    search_fields = ("proposer__nip", "proposer__name", "partner__nip", "partner__name")
    date_hierarchy = "date"

    @admin.display(description=_("OPD"), ordering="opd__code")
    def opd_code(self, obj):
        return obj.opd.code

    decided_by_name = person_column("decided_by", _("diputuskan oleh"))

    @admin.display(description=_("mode (pengaju → rekan)"))
    def modes(self, obj):
        return f"{mode_label(obj.proposer_mode)} ⇄ {mode_label(obj.partner_mode)}"


# BKPSDM edits the weekly build's time (a crontab) in django-celery-beat's admin; the
# sunrise/sunset and one-off clocked schedules it also offers have no use here.
admin.site.unregister(SolarSchedule)
admin.site.unregister(ClockedSchedule)
# Experts keep django-celery-beat's full forms; their lists and the crontab's meaning
# are in Bahasa (the plain page is admin_jobs.automatic_jobs_view).
admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, ExpertPeriodicTaskAdmin)
admin.site.unregister(CrontabSchedule)
admin.site.register(CrontabSchedule, ExpertCrontabAdmin)

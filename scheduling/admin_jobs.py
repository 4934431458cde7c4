"""The plain admin page for the automatic jobs: per job its day and time in WIB, on/off,
last and next run. Saving writes django-celery-beat's PeriodicTask and CrontabSchedule
(Asia/Jakarta); the raw django-celery-beat forms stay in the admin for experts."""

from dataclasses import dataclass
from datetime import datetime, time

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabScheduleAdmin
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from opd.access import is_bkpsdm

from .jobs import (
    DAY_CHOICES,
    JOB_BY_TASK,
    JOBS,
    WIB,
    Cron,
    Job,
    SimpleSchedule,
    keeps_last_run,
    next_run,
    simple_schedule,
)

VIEW_PERMISSIONS = ("django_celery_beat.view_periodictask",)
CHANGE_PERMISSIONS = (
    "django_celery_beat.change_periodictask",
    "django_celery_beat.add_crontabschedule",
)
ORDER = {job.task: position for position, job in enumerate(JOBS)}


def wib(moment: datetime | None) -> str:
    """A moment as people read it here: ``Kam, 10 Des 2026 20:00 WIB``."""
    if moment is None:
        return ""
    return f"{date_format(moment.astimezone(WIB), 'D, j M Y H:i')} WIB"


def cron_of(task: PeriodicTask) -> Cron | None:
    schedule = task.crontab
    if schedule is None:
        return None
    return Cron(
        minute=schedule.minute,
        hour=schedule.hour,
        day_of_week=schedule.day_of_week,
        day_of_month=schedule.day_of_month,
        month_of_year=schedule.month_of_year,
    )


HOURS = [(f"{h:02d}", f"{h:02d}") for h in range(24)]
MINUTES = [(f"{m:02d}", f"{m:02d}") for m in range(60)]


class JobForm(forms.Form):
    """A day choice, an hour and a minute (selects: no 12-hour clock on a phone set to
    English, nothing to type), and on/off."""

    day = forms.ChoiceField(
        label=gettext_lazy("Hari"),
        choices=[("", gettext_lazy("— pilih hari —")), *DAY_CHOICES],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Pilihan hari tidak dikenal.")},
    )
    hour = forms.ChoiceField(
        label=gettext_lazy("Jam (WIB)"),
        choices=[("", "--"), *HOURS],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Jam tidak valid: pilih 00 sampai 23.")},
    )
    minute = forms.ChoiceField(
        label=gettext_lazy("Menit"),
        choices=[("", "--"), *MINUTES],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Menit tidak valid: pilih 00 sampai 59.")},
    )
    enabled = forms.BooleanField(label=gettext_lazy("Aktif"), required=False)

    def __init__(self, *args, custom: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.custom = custom  # the crontab is one the plain page cannot show

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        day, hour, minute = data.get("day"), data.get("hour"), data.get("minute")
        if not (day or hour or minute) and self.custom:
            data["schedule"] = None  # keep the expert's crontab, change on/off only
            return data
        if not day:
            self.add_error("day", _("Pilih hari jadwal ini berjalan."))
        if not hour:
            self.add_error("hour", _("Pilih jam jadwal ini berjalan."))
        if not minute:
            self.add_error("minute", _("Pilih menit jadwal ini berjalan."))
        if day and hour and minute:
            data["schedule"] = SimpleSchedule(day, time(int(hour), int(minute)))
        return data


@dataclass
class JobRow:
    job: Job
    task: PeriodicTask
    form: JobForm
    schedule: SimpleSchedule | None
    cron: Cron | None
    last_run: str
    next_run: str


def _row(task: PeriodicTask, now: datetime, data=None) -> JobRow:
    cron = cron_of(task)
    schedule = simple_schedule(cron) if cron else None
    initial = {"enabled": task.enabled}
    if schedule:
        initial |= {
            "day": schedule.day,
            "hour": f"{schedule.at.hour:02d}",
            "minute": f"{schedule.at.minute:02d}",
        }
    coming = next_run(cron, now) if cron and task.enabled else None
    return JobRow(
        job=JOB_BY_TASK[task.task],
        task=task,
        form=JobForm(data, prefix=f"job{task.pk}", initial=initial, custom=schedule is None),
        schedule=schedule,
        cron=cron,
        last_run=wib(task.last_run_at),
        next_run=wib(coming),
    )


def _crontab_for(cron: Cron) -> CrontabSchedule:
    fields = {
        "minute": cron.minute,
        "hour": cron.hour,
        "day_of_week": cron.day_of_week,
        "day_of_month": cron.day_of_month,
        "month_of_year": cron.month_of_year,
        "timezone": "Asia/Jakarta",
    }
    found = CrontabSchedule.objects.filter(**fields).order_by("pk").first()
    return found or CrontabSchedule.objects.create(**fields)


def save_job(task: PeriodicTask, *, schedule: SimpleSchedule | None, enabled: bool) -> None:
    """Write one job's schedule and on/off; the row is locked while it is rewritten."""
    now = timezone.now()
    with transaction.atomic():
        task = PeriodicTask.objects.select_for_update().get(pk=task.pk)
        old = task.crontab_id
        if schedule is not None:
            cron = schedule.as_cron()
            if cron != cron_of(task):
                task.crontab = _crontab_for(cron)
                task.interval = task.solar = task.clocked = None
                if not keeps_last_run(cron, task.last_run_at, now):
                    task.last_run_at = None
        task.enabled = enabled
        task.save()
        # The old crontab goes when no other task uses it (the expert list stays short).
        if old and old != task.crontab_id and not PeriodicTask.objects.filter(crontab_id=old):
            CrontabSchedule.objects.filter(pk=old).delete()


def automatic_jobs_view(request):
    """Admin page: BKPSDM sets when the automatic jobs run, in WIB."""
    if not (is_bkpsdm(request.user) and request.user.has_perms(VIEW_PERMISSIONS)):
        raise PermissionDenied
    can_change = request.user.has_perms(CHANGE_PERMISSIONS)
    now = timezone.now()
    tasks = sorted(
        PeriodicTask.objects.filter(task__in=list(JOB_BY_TASK)).select_related("crontab"),
        key=lambda t: (ORDER[t.task], t.name),
    )
    posted = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        posted = request.POST.get("job", "")
    rows = [_row(task, now, request.POST if posted == str(task.pk) else None) for task in tasks]
    if posted is not None:
        row = next((r for r in rows if str(r.task.pk) == posted), None)
        if row is None:
            messages.error(request, _("Tugas otomatis yang dipilih tidak ditemukan."))
        elif row.form.is_valid():
            save_job(
                row.task,
                schedule=row.form.cleaned_data["schedule"],
                enabled=row.form.cleaned_data["enabled"],
            )
            row.task.refresh_from_db()
            saved = _row(row.task, timezone.now())
            state = _("aktif") if saved.task.enabled else _("mati")
            when = saved.schedule.label if saved.schedule else str(saved.cron)
            text = _("Jadwal “%(job)s” disimpan: %(when)s, %(state)s.") % {
                "job": row.job.name,
                "when": when,
                "state": state,
            }
            if saved.next_run:
                text += " " + _("Berjalan berikutnya %(moment)s.") % {"moment": saved.next_run}
            messages.success(request, text)
            return redirect("automatic-jobs")
        else:
            messages.error(
                request,
                _("Jadwal “%(job)s” tidak disimpan; perbaiki isian yang ditandai.")
                % {"job": row.job.name},
            )
    context = {
        **admin.site.each_context(request),
        "title": _("Jadwal tugas otomatis"),
        "rows": rows,
        "can_change": can_change,
        "now": wib(now),
    }
    return TemplateResponse(request, "admin/automatic_jobs.html", context)


def schedule_text(schedule: CrontabSchedule | None) -> str:
    """A crontab in Bahasa: the plain page's words when it is a day and a time,
    otherwise the cron expression with its time zone."""
    if schedule is None:
        return "-"
    cron = Cron(
        minute=schedule.minute,
        hour=schedule.hour,
        day_of_week=schedule.day_of_week,
        day_of_month=schedule.day_of_month,
        month_of_year=schedule.month_of_year,
    )
    simple = simple_schedule(cron)
    if simple is not None and str(schedule.timezone) == "Asia/Jakarta":
        return simple.label
    return _("cron %(cron)s (zona waktu %(zone)s)") % {"cron": cron, "zone": schedule.timezone}


class TaskPathFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("tugas Celery")  # the field's own label is not translatable


class ExpertPeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    """django-celery-beat's full form, for experts, with a list in Bahasa (its own list
    shows raw cron fields and English column names)."""

    list_display = ("name", "enabled", "schedule_column", "last_run_at", "total_run_count")
    list_select_related = ("crontab",)
    list_filter = ("enabled", "one_off", ("task", TaskPathFilter), "last_run_at")
    change_list_template = "admin/djcelery/expert_change_list.html"

    @admin.display(description=gettext_lazy("jadwal"))
    def schedule_column(self, obj):
        if obj.crontab_id:
            return schedule_text(obj.crontab)
        return str(obj.scheduler)

    @admin.display(description=gettext_lazy("arti jadwal"))
    def crontab_translation(self, obj):
        return schedule_text(obj.crontab)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The expert form's help beside the crontab select, in Bahasa.
        extra_context = dict(extra_context or {})
        extra_context["readable_crontabs"] = {
            crontab.pk: schedule_text(crontab) for crontab in CrontabSchedule.objects.all()
        }
        return admin.ModelAdmin.changeform_view(
            self, request, object_id, form_url, extra_context=extra_context
        )


class ExpertCrontabAdmin(BeatCrontabScheduleAdmin):
    list_display = ("__str__", "meaning")
    fields = (
        "meaning",
        "minute",
        "hour",
        "day_of_month",
        "month_of_year",
        "day_of_week",
        "timezone",
    )
    readonly_fields = ("meaning",)

    @admin.display(description=gettext_lazy("arti"))
    def meaning(self, obj):
        return schedule_text(obj) if obj.pk else "-"

from datetime import time

from django.db import migrations

from opd.roles import grant_bkpsdm


def defaults(apps, schema_editor):
    hours_model = apps.get_model("attendance", "WorkingHours")
    day_model = apps.get_model("attendance", "WorkingDay")
    band_model = apps.get_model("attendance", "Band")
    rules_model = apps.get_model("attendance", "AttendanceRules")
    # Perpres 21/2023: 37.5 hours a week over five days (breaks excluded):
    # Monday-Thursday 07:30-16:00, Friday 07:30-16:30 (longer Friday prayer break).
    hours, created = hours_model.objects.get_or_create(name="Jam kerja normal")
    if created:
        for weekday in range(1, 6):
            day_model.objects.create(
                hours=hours, weekday=weekday, start=time(7, 30),
                end=time(16, 30) if weekday == 5 else time(16, 0),
            )
    for kind in ("TL", "PSW"):
        for number, (low, high) in enumerate(((1, 30), (31, 60), (61, 90), (91, None)), start=1):
            band_model.objects.get_or_create(
                kind=kind, code=f"{kind}{number}", defaults={"min_minutes": low, "max_minutes": high}
            )
    rules_model.objects.get_or_create(id=1)


def nightly_absence_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = crontab_model.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )
    task_model.objects.get_or_create(
        name="Tandai tidak hadir hari kerja sebelumnya",
        defaults={"task": "attendance.tasks.mark_absent", "crontab": crontab},
    )


def bkpsdm_permissions(apps, schema_editor):
    crud = ("view", "add", "change", "delete")
    grant_bkpsdm(
        apps,
        "attendance",
        [f"{a}_{m}" for m in ("workinghours", "workingday", "band") for a in crud]
        + ["view_attendancerules", "change_attendancerules", "view_attendance",
           "change_attendance", "view_attendancecorrection"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("opd", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(defaults, migrations.RunPython.noop),
        migrations.RunPython(nightly_absence_schedule, migrations.RunPython.noop),
        migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop),
    ]

from django.db import migrations


def reminder_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = crontab_model.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="1-5",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Jakarta",
    )
    task_model.objects.get_or_create(
        name="Pengingat presensi masuk",
        defaults={"task": "attendance.tasks.remind_check_in", "crontab": crontab},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0003_evidence_and_mode_choices"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(reminder_schedule, migrations.RunPython.noop)]

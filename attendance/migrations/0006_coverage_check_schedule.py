from django.db import migrations


def coverage_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = crontab_model.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="1-5",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Jakarta",
    )
    task_model.objects.get_or_create(
        name="Pemeriksaan pos kurang petugas",
        defaults={"task": "attendance.tasks.check_coverage", "crontab": crontab},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0005_coveragealert"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(coverage_schedule, migrations.RunPython.noop)]

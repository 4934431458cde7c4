"""The plain page for the automatic jobs: WIB day and time, on/off, last and next run."""

import re
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.jobs import WIB, Cron, SimpleSchedule, keeps_last_run, next_run, simple_schedule

pytestmark = pytest.mark.django_db
URL = "automatic-jobs"
# Thursday 3 December 2026, 14:00 WIB.
THURSDAY = datetime(2026, 12, 3, 14, 0, tzinfo=WIB)
BUILD = "scheduling.tasks.build_next_week"


@pytest.fixture
def bkpsdm(login):
    employee = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    return login(employee.user)


def weekly_build():
    return PeriodicTask.objects.select_related("crontab").get(task=BUILD)


def form_data(task, **values):
    data = {"job": str(task.pk)}
    data |= {f"job{task.pk}-{name}": value for name, value in values.items()}
    return data


def test_next_run_of_a_weekly_crontab_is_the_coming_weekday_in_wib():
    thursday_evening = Cron(minute="0", hour="20", day_of_week="4")
    assert next_run(thursday_evening, THURSDAY) == datetime(2026, 12, 3, 20, 0, tzinfo=WIB)
    after = datetime(2026, 12, 3, 20, 0, tzinfo=WIB)
    assert next_run(thursday_evening, after) == datetime(2026, 12, 10, 20, 0, tzinfo=WIB)
    # 01:30 WIB is the previous evening in UTC; the answer is still in WIB.
    nightly = Cron(minute="30", hour="1", day_of_week="*")
    utc_evening = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)  # 02:00 WIB on Friday
    assert next_run(nightly, utc_evening) == datetime(2026, 12, 5, 1, 30, tzinfo=WIB)
    weekdays = Cron(minute="0", hour="8", day_of_week="1-5")
    friday_noon = datetime(2026, 12, 4, 12, 0, tzinfo=WIB)
    assert next_run(weekdays, friday_noon) == datetime(2026, 12, 7, 8, 0, tzinfo=WIB)
    assert (
        next_run(
            Cron(minute="0", hour="0", day_of_week="*", day_of_month="31", month_of_year="2"),
            THURSDAY,
        )
        is None
    )
    assert next_run(Cron(minute="99", hour="0", day_of_week="*"), THURSDAY) is None


def test_only_a_day_choice_and_one_time_is_a_simple_schedule():
    assert simple_schedule(Cron("0", "20", "4")) == SimpleSchedule("4", time(20, 0))
    assert simple_schedule(Cron("30", "7", "1-5")) == SimpleSchedule("1-5", time(7, 30))
    assert simple_schedule(Cron("*/15", "7", "1-5")) is None
    assert simple_schedule(Cron("0", "8,12", "*")) is None
    assert simple_schedule(Cron("0", "8", "*", day_of_month="1")) is None
    assert simple_schedule(Cron("0", "8", "2,4")) is None


def test_a_new_time_that_would_fire_at_once_clears_the_last_run():
    last_run = datetime(2026, 11, 26, 20, 0, tzinfo=WIB)  # last Thursday's build
    # Thursday 19:00: the next time after last week's run is this evening, still ahead.
    assert keeps_last_run(Cron("0", "19", "4"), last_run, THURSDAY)
    # Thursday 21:30: last week's 21:30 came after the run and has passed, so the
    # scheduler would run it at once; so would last Tuesday.
    assert not keeps_last_run(Cron("30", "21", "4"), last_run, THURSDAY)
    assert not keeps_last_run(Cron("0", "20", "2"), last_run, THURSDAY)
    assert not keeps_last_run(Cron("0", "19", "4"), None, THURSDAY)


@time_machine.travel(THURSDAY, tick=False)
def test_jobs_page_shows_each_job_in_bahasa_with_wib_time_last_and_next_run(bkpsdm):
    task = weekly_build()
    task.last_run_at = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 20:00 WIB
    task.save()
    body = bkpsdm.get(reverse(URL)).content.decode()
    for name in (
        "Bangun roster minggu depan",
        "Tandai tidak hadir (malam hari)",
        "Rekap harian untuk evaluasi",
        "Pengingat presensi masuk",
        "Pemeriksaan pos kurang petugas",
    ):
        assert name in body
    assert "Setiap Kamis, 20:00 WIB" in body
    assert "Setiap hari, 01:30 WIB" in body
    assert "Senin–Jumat (hari kerja), 07:30 WIB" in body
    assert "Kam, 26 Nov 2026 20:00 WIB" in body  # last run, in WIB not UTC
    assert "Kam, 3 Des 2026 20:00 WIB" in body  # next run of the weekly build
    assert "Jum, 4 Des 2026 01:30 WIB" in body  # next nightly absence marking
    assert reverse("admin:django_celery_beat_periodictask_changelist") in body


@time_machine.travel(THURSDAY, tick=False)
def test_saving_a_new_day_and_time_rewrites_the_crontab_in_jakarta_time(bkpsdm):
    task = weekly_build()
    response = bkpsdm.post(
        reverse(URL), form_data(task, day="5", hour="21", minute="30", enabled="on")
    )
    assert response.status_code == 302
    task = weekly_build()
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "21", "5")
    assert (task.crontab.day_of_month, task.crontab.month_of_year) == ("*", "*")
    assert str(task.crontab.timezone) == "Asia/Jakarta"
    assert task.enabled
    page = bkpsdm.get(reverse(URL)).content.decode()
    assert "Setiap Jumat, 21:30 WIB" in page and "Jum, 4 Des 2026 21:30 WIB" in page
    # Other jobs kept their schedules.
    nightly = PeriodicTask.objects.get(task="attendance.tasks.mark_absent").crontab
    assert (nightly.minute, nightly.hour) == ("30", "1")


@time_machine.travel(THURSDAY, tick=False)
def test_switching_a_job_off_keeps_its_time_and_shows_it_does_not_run(bkpsdm):
    task = weekly_build()
    bkpsdm.post(reverse(URL), form_data(task, day="4", hour="20", minute="00"))
    task = weekly_build()
    assert not task.enabled and (task.crontab.hour, task.crontab.minute) == ("20", "0")
    assert "tidak berjalan (mati)" in bkpsdm.get(reverse(URL)).content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"day": "4", "hour": "25", "minute": "00"}, "Jam tidak valid"),
        ({"day": "4", "hour": "2x", "minute": "00"}, "Jam tidak valid"),
        ({"day": "4", "hour": "20", "minute": "60"}, "Menit tidak valid"),
        ({"day": "4", "hour": "", "minute": "00"}, "Pilih jam"),
        ({"day": "4", "hour": "20", "minute": ""}, "Pilih menit"),
        ({"day": "", "hour": "20", "minute": "00"}, "Pilih hari"),
        ({"day": "8", "hour": "20", "minute": "00"}, "Pilihan hari tidak dikenal"),
    ],
)
def test_a_bad_day_or_time_is_refused_in_bahasa_and_nothing_is_written(bkpsdm, values, message):
    task = weekly_build()
    crontabs = list(CrontabSchedule.objects.values_list("pk", "minute", "hour", "day_of_week"))
    response = bkpsdm.post(reverse(URL), form_data(task, enabled="on", **values))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "tidak disimpan" in body
    after = weekly_build()
    assert (after.crontab_id, after.enabled, after.date_changed) == (
        task.crontab_id,
        task.enabled,
        task.date_changed,
    )
    assert list(CrontabSchedule.objects.values_list("pk", "minute", "hour", "day_of_week")) == (
        crontabs
    )


def test_an_expert_crontab_is_shown_as_is_and_kept_when_only_switched_off(bkpsdm):
    task = weekly_build()
    task.crontab = CrontabSchedule.objects.create(
        minute="*/15", hour="8-16", day_of_week="1-5", timezone="Asia/Jakarta"
    )
    task.save()
    body = bkpsdm.get(reverse(URL)).content.decode()
    assert "Jadwal khusus (*/15 8-16 * * 1-5)" in body
    bkpsdm.post(reverse(URL), form_data(task, day="", hour="", minute=""))
    after = weekly_build()
    assert not after.enabled and after.crontab.minute == "*/15"


def test_an_unknown_job_is_refused_with_a_message(bkpsdm):
    response = bkpsdm.post(reverse(URL), {"job": "999999"})
    assert response.status_code == 200
    assert "tidak ditemukan" in response.content.decode()


def test_jobs_page_runs_a_fixed_number_of_queries(bkpsdm, django_assert_num_queries):
    bkpsdm.get(reverse(URL))  # session and permission caches warm
    with django_assert_num_queries(5):
        assert bkpsdm.get(reverse(URL)).status_code == 200
    for number in range(3):
        PeriodicTask.objects.create(
            name=f"Bangun roster tambahan {number}",
            task=BUILD,
            crontab=CrontabSchedule.objects.create(minute="0", hour=str(number), timezone="UTC"),
        )
    with django_assert_num_queries(5):
        assert bkpsdm.get(reverse(URL)).status_code == 200


def test_the_admin_index_links_to_the_jobs_page(bkpsdm):
    assert reverse(URL) in bkpsdm.get(reverse("admin:index")).content.decode()


def test_staff_without_the_periodic_task_permission_cannot_open_it(login):
    employee = EmployeeFactory(role=Role.BKPSDM)
    employee.user.groups.clear()
    assert login(employee.user).get(reverse(URL)).status_code == 403


def visible_text(body: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_expert_periodic_task_list_speaks_bahasa(bkpsdm):
    body = visible_text(
        bkpsdm.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    )
    for label in (
        "Tugas berkala",
        "Aktif",
        "Terakhir berjalan",
        "Jumlah kali berjalan",
        "Setiap Kamis, 20:00 WIB",
        "Aktifkan tugas terpilih",
        "Berdasarkan tugas Celery",
        "Jadwal tugas otomatis",
    ):
        assert label in body, label
    for english in (
        "Periodic task",
        "Scheduler",
        "Last Run Datetime",
        "Task Name",
        "Enable selected tasks",
        "(m/h/dM/MY/d)",
        "Diadakan",
    ):
        assert english not in body, english


def test_the_expert_forms_have_indonesian_labels_and_help(bkpsdm):
    task = weekly_build()
    form = visible_text(
        bkpsdm.get(
            reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
        ).content.decode()
    )
    for label in ("Nama singkat tugas ini", "Jadwal crontab", "Argumen posisi", "Arti jadwal"):
        assert label in form, label
    for english in ("Short Description", "Crontab Schedule", "Positional Arguments", "Schedule"):
        assert english not in form, english
    crontab = visible_text(
        bkpsdm.get(
            reverse("admin:django_celery_beat_crontabschedule_change", args=[task.crontab_id])
        ).content.decode()
    )
    assert "Hari dalam minggu" in crontab and "Minggu 0 atau 7, Senin 1" in crontab
    assert "Day(s) Of The Week" not in crontab and "At 08:00 PM" not in crontab
    listing = visible_text(
        bkpsdm.get(reverse("admin:django_celery_beat_crontabschedule_changelist")).content.decode()
    )
    assert "Setiap Kamis, 20:00 WIB" in listing and "At 08:00 PM" not in listing


def test_the_login_lockout_admin_has_no_untranslated_axes_labels(bkpsdm):
    from django.test import Client

    Client().post(reverse("login"), {"username": "197001012000011001", "password": "salah"})
    body = visible_text(bkpsdm.get(reverse("admin:axes_accessattempt_changelist")).content.decode())
    assert "Upaya akses" in body and "Terkunci" in body and "Sisa upaya" in body
    assert "Locked Out" not in body and "Attempt Remaining" not in body

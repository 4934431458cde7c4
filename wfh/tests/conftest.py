"""Fixtures shared by the cross-cutting tests (permission matrix, security)."""

import pytest
from django.test import Client
from django.urls import reverse

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory


@pytest.fixture
def world():
    """Two OPDs, one person per role, a built and a queued week, a policy, a leave, a
    holiday: every admin page has an object to open."""
    from datetime import date

    from django.utils import timezone
    from django_celery_beat.models import IntervalSchedule

    from attendance.models import Attendance
    from scheduling.models import Holiday, Leave, Roster
    from scheduling.services.build import build_roster
    from scheduling.services.queued import start_week_build
    from scheduling.tests.factories import PolicyFactory

    opd = OpdFactory()
    other = OpdFactory()
    post = ServicePostFactory(opd=opd)
    world = {
        "anonymous": None,
        "asn": EmployeeFactory(opd=opd, post=post).user,
        "head": EmployeeFactory(opd=opd, role=Role.HEAD).user,
        "other_head": EmployeeFactory(opd=other, role=Role.HEAD).user,
        "bkpsdm": EmployeeFactory(opd=other, role=Role.BKPSDM).user,
    }
    PolicyFactory()
    Holiday.objects.create(date=date(2026, 3, 10), name="HUT Kota Bekasi")
    Leave.objects.create(
        employee=world["asn"].employee, start=date(2026, 12, 8), end=date(2026, 12, 8)
    )
    build_roster(week_start=date(2026, 12, 7))
    start_week_build(week_start=date(2026, 12, 14), task_id="matrix")
    IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    world["roster"] = Roster.objects.get(opd=opd)
    world["attendance"] = Attendance.objects.create(
        employee=world["asn"].employee,
        opd=opd,
        date=date(2026, 12, 8),
        mode="WFH",
        check_in_at=timezone.now(),
        report="Laporan",
        report_status="pending",
    )
    # A pending sick request of the ASN, with an attachment (a PNG's first bytes).
    from django.core.files.base import ContentFile

    from scheduling.models import DayRequest

    world["day_request"] = DayRequest(
        employee=world["asn"].employee, kind="sakit", start=date(2026, 12, 9), end=date(2026, 12, 9)
    )
    world["day_request"].attachment.save(
        "surat.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32), save=True
    )
    # A short post's alert, for its admin pages.
    from attendance.models import CoverageAlert

    CoverageAlert.objects.create(post=post, date=date(2026, 12, 8), required=1, onsite=0)
    # One line of the change log, so its admin pages have a row to open.
    from scheduling.models import RosterChange

    RosterChange.objects.create(
        roster=world["roster"],
        employee=world["asn"].employee,
        date=date(2026, 12, 9),
        old_mode="WFO",
        new_mode="WFH",
        kind=RosterChange.Kind.REQUEST,
        reason="requested",
        args={"mode": "WFH"},
    )
    # Two proposed swaps of the ASN with a colleague of their post: one offered to the
    # ASN, one the ASN proposed.
    from scheduling.models import Swap

    colleague = EmployeeFactory(opd=opd, post=post)
    for key, proposer, partner in (
        ("swap_offered", colleague, world["asn"].employee),
        ("swap_proposed", world["asn"].employee, colleague),
    ):
        world[key] = Swap.objects.create(
            opd=opd,
            date=date(2026, 12, 9),
            proposer=proposer,
            partner=partner,
            proposer_mode="WFO",
            partner_mode="WFH",
        )
    # A month's bill, for the cost admin.
    from opd.models import MonthlyCost

    MonthlyCost.objects.create(opd=opd, month=date(2026, 11, 1), amount=120_000_000)
    # A readiness scenario, computed.
    from evaluation.models import Scenario
    from evaluation.scenarios import run_scenario

    world["scenario"] = Scenario.objects.create(
        name="Kamis WFH",
        mode="fixed_days",
        weekdays="thu",
        start=date(2026, 12, 7),
        end=date(2026, 12, 11),
    )
    run_scenario(world["scenario"].pk)
    # An API key and a line of its log, for their admin pages.
    from api.models import ApiKey, ApiRequest

    key = ApiKey(name="K-Mob", scopes=["schedule:read"])
    key.new_secret()
    key.save()
    ApiRequest.objects.create(key_name="K-Mob", method="GET", path="/api/v1/schedule/", status=200)
    # A successful and a failed login, so django-axes' admin pages have rows to open.
    world["asn"].set_password("Benar-Sekali-1")
    world["asn"].save()
    visitor = Client()
    for password in ("Benar-Sekali-1", "salah"):
        visitor.post(reverse("login"), {"username": world["asn"].username, "password": password})
    return world


@pytest.fixture
def browser(transactional_db):
    """Chromium for one browser journey (test_journey*.py), started after the test
    database is restored and stopped before it is flushed: while Playwright's event
    loop runs in this thread, Django hands out a different connection, and the restore
    would be skipped."""
    import os

    from django.db import connections

    from .live import CHROMIUM, CHROMIUM_ARGS, need_chromium

    need_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM
    # calls (setup and checks) are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    # The connection Django opened inside Playwright's event-loop context.
    connections.close_all()
    playwright.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

"""Installable on a phone, in the browser: the service worker shows the offline page
when a page cannot be reached, and a check-in made offline fails: it is never kept to
be sent later (the server's time is the record)."""

import shutil
from pathlib import Path

import pytest

from attendance.models import Attendance
from opd.tests.factories import EmployeeFactory

from .live import served
from .test_journeys import TUESDAY_MORNING, give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AFTER = Path("/work/shots/after")


def test_offline_a_page_shows_the_offline_page_and_a_check_in_post_fails(browser, tmp_path):
    from playwright.sync_api import Error, expect

    asn = EmployeeFactory(name="Dadang Rahman")
    give_password(asn)
    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        page = context.new_page()
        log_in(page, server, asn.nip)
        page.goto(f"{server.url}/presensi/")
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == f"{server.url}/"
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        cached = page.evaluate(
            "caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
            ".then(c => c.keys())))).then(lists => lists.flat().map(r => new URL(r.url).pathname))"
        )
        assert "/offline/" in cached
        assert all(path.startswith("/static/") or path == "/offline/" for path in cached), cached

        context.set_offline(True)
        page.goto(f"{server.url}/presensi/riwayat/")
        expect(page.get_by_role("heading", name="Tidak ada koneksi internet")).to_be_visible()
        expect(page.get_by_text("jam server yang menjadi catatan resmi")).to_be_visible()
        # The shell came from the cache: the page is styled (the navbar's blue, app.css).
        colour = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
        assert colour == "rgb(10, 88, 202)"
        shot(page, "pwa-offline-phone")
        AFTER.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(AFTER / "offline-phone.png"), full_page=True)

        # A check-in sent offline fails at once, and nothing is stored to send later.
        failed = page.evaluate(
            "fetch('/presensi/', {method: 'POST', body: new URLSearchParams({action: 'in'})})"
            ".then(() => 'sent', error => error.name)"
        )
        assert failed == "TypeError"
        # A form POST: the browser's own network error, the worker did not answer it.
        with (
            pytest.raises(Error, match="ERR_INTERNET_DISCONNECTED"),
            page.expect_navigation(timeout=5000),
        ):
            page.evaluate(
                "(() => { const f = document.createElement('form'); f.method = 'post';"
                " f.action = '/presensi/'; document.body.append(f); f.submit(); })()"
            )
        context.set_offline(False)
        page.goto(f"{server.url}/presensi/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert not Attendance.objects.filter(employee=asn).exists()
        context.close()
    shutil.rmtree(tmp_path, ignore_errors=True)

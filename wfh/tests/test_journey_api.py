"""Browser journey: BKPSDM creates the attendance app's key in the admin, copies the
secret shown once, the key works, and is revoked. Screenshots in artifacts/journeys/."""

import json
import urllib.request

import pytest

from api.models import ApiKey

from .live import served
from .test_journey_admin import DESK, PHONE, bkpsdm_with_password, page_overflow
from .test_journeys import log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _status(url: str, secret: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 - our test server
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("viewport", ["phone", "desk"])
def test_bkpsdm_creates_a_key_sees_its_secret_once_and_revokes_it(browser, tmp_path, viewport):
    from playwright.sync_api import expect

    bkpsdm = bkpsdm_with_password()
    size = PHONE if viewport == "phone" else DESK
    with served(tmp_path, moment="2026-12-03T10:00:00+07:00") as server:
        page = browser.new_page(viewport=size, is_mobile=viewport == "phone")
        log_in(page, server, bkpsdm.nip)
        page.goto(f"{server.url}/admin/api/apikey/add/")
        page.get_by_label("Nama").fill("K-Mob")
        page.get_by_label("baca jadwal (roster disetujui)").check()
        page.get_by_label("kirim data cuti").check()
        shot(page, f"api-key-add-{viewport}")
        page.get_by_role("button", name="Simpan", exact=True).click()
        message = page.locator(".messagelist li", has_text="Kunci API untuk K-Mob")
        expect(message).to_contain_text("tidak akan ditampilkan lagi")
        secret = message.locator("code").inner_text()
        assert secret.startswith("wfh_")
        if viewport == "phone":
            assert page_overflow(page) == 0
        shot(page, f"api-key-secret-once-{viewport}")
        schedule = f"{server.url}/api/v1/schedule/?week=2026-W50"
        assert _status(schedule, secret) == 200

        page.goto(f"{server.url}/admin/api/apikey/")
        expect(page.get_by_text(secret)).to_have_count(0)
        page.locator("input[name=_selected_action]").first.check()
        page.locator("select[name=action]").select_option("revoke")
        page.locator(".actions button[name=index]").click()
        expect(page.locator(".messagelist")).to_contain_text("1 kunci API dicabut.")
        shot(page, f"api-key-revoked-{viewport}")
        assert _status(schedule, secret) == 401
    assert not ApiKey.objects.get(name="K-Mob").active

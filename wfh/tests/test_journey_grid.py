"""Browser journey (issue 11): the head reads this week's roster grid on a phone.

The day header and the name column stay in view while the grid scrolls, today's column
is marked, and a tapped cell's reason opens beside the cell, not under the table.
"""

from datetime import date

import pytest

from opd.models import Employee, Opd
from opd.tests.factories import EmployeeFactory
from scheduling.services.build import build_roster

from .live import ARTIFACTS, served
from .test_journeys import TUESDAY_MORNING, give_password, load_dataset, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def box_of(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box


def test_head_scrolls_the_grid_on_a_phone_and_reads_a_tapped_cells_reason(browser, tmp_path):
    from playwright.sync_api import expect

    load_dataset()
    # Enough people that the grid scrolls inside its box on a phone.
    opd = Opd.objects.get(code="DISKOMINFO")
    for i in range(30):
        EmployeeFactory(opd=opd, name=f"Pegawai Tambahan {i:02d}")
    build_roster(week_start=date(2026, 12, 7))  # this week: Tuesday 8 Dec is today
    head = Employee.objects.get(nip="197603142005121370")
    give_password(head)

    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        page = context.new_page()
        log_in(page, server, head.nip)
        page.goto(f"{server.url}/roster/DISKOMINFO/2026-W50/")
        shot(page, "grid-phone")

        # Today's column says so in words, for eyes and screen readers.
        today = page.locator('thead th[aria-current="date"]')
        expect(today).to_have_count(1)
        expect(today).to_contain_text("Sel")
        expect(today).to_contain_text("hari ini")
        # The coverage of the posts is readable before any person's row.
        expect(page.locator("#coverage-summary")).to_be_visible()
        expect(page.locator("tbody tr").first).to_contain_text("Di kantor: Command Center")

        wrap = page.locator(".roster-wrap")
        wrap.scroll_into_view_if_needed()
        frame = box_of(wrap)
        assert frame["height"] <= 0.75 * PHONE["height"]  # a box of its own, not the page
        wrap.evaluate("w => { w.scrollTop = 900; w.scrollLeft = 400; }")
        assert wrap.evaluate("w => w.scrollTop") > 800
        assert wrap.evaluate("w => w.scrollLeft") > 20  # as far right as it goes

        # The day header stays at the top of the box, the names at its left edge.
        corner = box_of(page.locator("thead th.name-col"))
        header = box_of(today)
        assert abs(corner["y"] - frame["y"]) <= 2 and abs(header["y"] - frame["y"]) <= 2
        assert abs(corner["x"] - frame["x"]) <= 2
        visible_row = page.locator("tbody tr", has_text="Pegawai Tambahan 15")
        name = box_of(visible_row.locator("th.name-col"))
        assert abs(name["x"] - frame["x"]) <= 2
        assert frame["y"] < name["y"] < frame["y"] + frame["height"]

        # Tap today's cell of that row: the reason opens right next to it.
        cell = visible_row.locator("button.cell").nth(1)
        cell.tap()
        popover = page.locator("#reason-box")
        expect(popover).to_be_visible()
        expect(popover).to_have_attribute("role", "dialog")
        expect(cell).to_have_attribute("aria-expanded", "true")
        expect(popover).to_contain_text("Pegawai Tambahan 15 · Sel, 8 Des")
        expect(popover).to_contain_text(cell.get_attribute("data-reason"))
        spot, pop = box_of(cell), box_of(popover)
        assert pop["x"] >= 0 and pop["x"] + pop["width"] <= PHONE["width"]
        assert pop["y"] >= 0 and pop["y"] + pop["height"] <= PHONE["height"]
        gap = max(pop["y"] - (spot["y"] + spot["height"]), spot["y"] - (pop["y"] + pop["height"]))
        assert 0 <= gap <= 12, f"popover {gap:.0f}px from its cell"
        folder = ARTIFACTS / "journeys"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "grid-tapped-phone.png"))
        # The header and names did not move for the tap.
        assert abs(box_of(today)["y"] - frame["y"]) <= 2

        # Esc closes it and gives the focus back to the cell; Enter opens it again.
        page.keyboard.press("Escape")
        expect(popover).to_be_hidden()
        expect(cell).to_be_focused()
        expect(cell).to_have_attribute("aria-expanded", "false")
        page.keyboard.press("Enter")
        expect(popover).to_be_visible()
        popover.get_by_role("button", name="Tutup").click()
        expect(popover).to_be_hidden()
        page.keyboard.press("Space")
        expect(popover).to_be_visible()
        # A tap elsewhere closes it too.
        page.locator("h1").tap()
        expect(popover).to_be_hidden()
        context.close()

        # On a desk the same popover opens beside the clicked cell.
        desk = browser.new_page(viewport={"width": 1366, "height": 900})
        log_in(desk, server, head.nip)
        desk.goto(f"{server.url}/roster/DISKOMINFO/2026-W50/")
        cell = (
            desk.locator("tbody tr", has_text="Pegawai Tambahan 03").locator("button.cell").nth(3)
        )
        cell.click()
        expect(desk.locator("#reason-box")).to_contain_text("Pegawai Tambahan 03 · Kam, 10 Des")
        desk.screenshot(path=str(folder / "grid-tapped-desk.png"))
        desk.close()

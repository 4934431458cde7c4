"""axe-core in the browser on every page each role can open (issue 11, item 7).

The pages come from the permission matrix (``test_permissions.MATRIX``): every GET the
role is allowed to see with a 200, so a new page is checked as soon as it gets its row.
BKPSDM also gets the main admin pages. No violation of impact "serious" or "critical"
is allowed. axe-core is vendored in ``vendor/axe-core`` (MPL-2.0, see its LICENSE).
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from .live import ARTIFACTS, served
from .test_journeys import shot
from .test_permissions import MATRIX

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# A download whose file the served app cannot open here (the upload was stored by the
# test process); every other file is recognised by its Content-Type.
FILES = {"scheduling:request-attachment"}
# Third-party pages axe is not run on: the API docs are Swagger UI as shipped by
# drf-spectacular-sidecar (its operation summaries nest buttons, its method labels are
# white on light colours, drf-spectacular's template has no lang). Integrators read the
# same content in the schema (/api/v1/schema/), which the docs only render.
THIRD_PARTY = {"api:docs"}
ADMIN_PAGES = (
    ("admin:index", None),
    ("admin:opd_employee_changelist", None),
    ("admin:scheduling_roster_changelist", None),
    ("admin:attendance_attendance_changelist", None),
    ("admin:opd_employee_change", lambda world: [world["asn"].employee.pk]),
    ("admin:scheduling_roster_change", lambda world: [world["roster"].pk]),
    ("import-dataset", None),
)


def pages_of(role: str, world) -> list[str]:
    """Every GET page of the matrix this role opens with a 200 (+ the admin's, for
    BKPSDM). Files (CSV, XLSX, the manifest, the worker) are sorted out by their
    Content-Type when they are fetched."""
    urls = []
    for name, (kwargs_of, method, expected) in sorted(MATRIX.items()):
        if method == "get" and expected[role] == 200 and name not in FILES | THIRD_PARTY:
            urls.append(reverse(name, kwargs=kwargs_of(world) if kwargs_of else None))
    if role == "bkpsdm":
        for name, args_of in ADMIN_PAGES:
            url = reverse(name, args=args_of(world) if args_of else None)
            if url not in urls:
                urls.append(url)
    return urls


def shots_of(role: str, world) -> dict[str, str]:
    """A few pages whose colours axe made darker, kept as screenshots to look at."""
    week = {"code": world["head"].employee.opd.code, "week": "2026-W50"}
    return {
        "asn": {reverse("attendance:check-in"): "check-in"},
        "head": {reverse("scheduling:roster-week", kwargs=week): "roster-week"},
        "bkpsdm": {reverse("admin:scheduling_roster_changelist"): "admin-rosters"},
    }[role]


def session_cookie(user, server) -> dict:
    client = Client()
    client.force_login(user, backend="opd.auth.EmployeeBackend")
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}


def describe(page_url: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation['impact']}) on {page_url}: {violation['help']}\n"
            f"    targets: {targets[:8]}"
        )
    return lines


@pytest.mark.parametrize("role", ["asn", "head", "bkpsdm"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page_of_the_role(
    browser, tmp_path, world, role
):
    failures, checked = [], []
    with served(tmp_path) as server:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
        context.add_cookies([session_cookie(world[role], server)])
        page = context.new_page()
        for url in pages_of(role, world):
            answer = context.request.get(server.url + url, max_redirects=0)
            assert answer.status == 200, (role, url, answer.status)
            if not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            page.goto(server.url + url)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "axe.run(document, {resultTypes: ['violations'], iframes: false})"
            )
            blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
            failures += describe(url, blocking)
            if url in shots_of(role, world):
                shot(page, f"a11y-{role}-{shots_of(role, world)[url]}")
            checked.append(url)
        context.close()
    report = ARTIFACTS / "accessibility"
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{role}.txt").write_text(
        f"{len(checked)} pages checked\n" + "\n".join(checked) + "\n\n" + "\n".join(failures)
    )
    print(f"{role}: {len(checked)} pages checked by axe")
    assert len(checked) >= {"asn": 8, "head": 20, "bkpsdm": 30}[role], checked
    assert not failures, "\n".join(failures)

"""Permission matrix: every role against every URL of the URL configuration.

The test enumerates the URL patterns, so a new page that is not in ``MATRIX`` fails
``test_every_url_is_in_the_matrix`` until someone decides who may see it. Admin URLs
are covered generically: nobody but BKPSDM staff ever gets past the admin login.
"""

import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scheduling.feeds import turn_on

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "asn", "head", "other_head", "bkpsdm")
LOGIN = "login"  # redirected to /accounts/login/
ADMIN_LOGIN = "admin-login"  # redirected to the admin's login
ANY_REDIRECT = "redirect"


def _opd_code(world):
    return {"code": world["head"].employee.opd.code}


def _employee_id(world):
    return {"object_id": world["asn"].employee.pk}


def _opd_week(world):
    return {"code": world["head"].employee.opd.code, "week": "2026-W50"}


def _roster_id(world):
    return {"object_id": world["roster"].pk}


def _own_record(world):
    return {"pk": world["attendance"].pk}


def _opd_record(world):
    return {"code": world["head"].employee.opd.code, "pk": world["attendance"].pk}


def _opd_month(world):
    return {"code": world["head"].employee.opd.code, "month": "2026-12"}


def _day_request(world):
    return {"pk": world["day_request"].pk}


def _opd_request(world):
    return {"code": world["head"].employee.opd.code, "pk": world["day_request"].pk}


def _swap_offered_to_asn(world):
    return {"pk": world["swap_offered"].pk}


def _swap_of_asn(world):
    return {"pk": world["swap_proposed"].pk}


def _opd_swap(world):
    return {"code": world["head"].employee.opd.code, "pk": world["swap_proposed"].pk}


def _example_file(world):
    return {"name": "employees.csv"}


def _month(world):
    return {"month": "2026-12"}


def _scenario(world):
    return {"pk": world["scenario"].pk}


def _calendar_token(world):
    return {"token": turn_on(world["asn"].employee)}


def _asn_nip(world):
    return {"nip": world["asn"].employee.nip}


def expect(anonymous, asn, head, other_head, bkpsdm):
    return dict(zip(ROLES, (anonymous, asn, head, other_head, bkpsdm), strict=True))


def _password_reset(world):
    return {"uidb64": "MQ", "token": "bad-token"}


ALL_200 = expect(200, 200, 200, 200, 200)
# The machine API takes a key, never a session: a signed-in person without a key gets
# 401 like anyone (no redirect to a login page a program cannot use).
API_KEY_ONLY = expect(401, 401, 401, 401, 401)
SIGNED_IN = expect(LOGIN, 200, 200, 200, 200)
ADMIN_ONLY = expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)
OWN_OPD = expect(LOGIN, 403, 200, 404, 200)
REDIRECT = ANY_REDIRECT

# page name: (URL kwargs from the world, method, expected answer per role)
# fmt: off
MATRIX = {
    #                                                           anonymous    asn          head         other_head   bkpsdm
    "home":                            (None, "get",     expect(LOGIN,       REDIRECT,    REDIRECT,    REDIRECT,    REDIRECT)),
    "opd:profile":                     (None, "get",     SIGNED_IN),
    "opd:opd-list":                    (None, "get",     expect(LOGIN,       403,         200,         200,         200)),
    "opd:opd-detail":                  (_opd_code, "get", OWN_OPD),
    "scheduling:my-schedule":          (None, "get",     SIGNED_IN),
    # The viewer's own calendar feed: no URL names another person's.
    "scheduling:calendar-feed":        (None, "get",     SIGNED_IN),
    "scheduling:calendar-feed-on":     (None, "post",    expect(LOGIN,       REDIRECT,    REDIRECT,    REDIRECT,    REDIRECT)),
    "scheduling:calendar-feed-off":    (None, "post",    expect(LOGIN,       REDIRECT,    REDIRECT,    REDIRECT,    REDIRECT)),
    # Swaps: an ASN answers only swaps offered to them and cancels only their own; the
    # head of the OPD (or BKPSDM) decides; a POST without a choice writes nothing.
    "scheduling:swaps":                (None, "get",     SIGNED_IN),
    "scheduling:swap-answer":          (_swap_offered_to_asn, "post", expect(LOGIN, REDIRECT, 404,     404,         404)),
    "scheduling:swap-cancel":          (_swap_of_asn, "post", expect(LOGIN, REDIRECT,   404,         404,         404)),
    "scheduling:opd-swaps":            (_opd_code, "get", OWN_OPD),
    "scheduling:opd-swap-decide":      (_opd_swap, "post", expect(LOGIN,     403,         REDIRECT,    404,         REDIRECT)),
    "scheduling:roster-index":         (None, "get",     expect(LOGIN,       403,         REDIRECT,    REDIRECT,    200)),
    "scheduling:roster-week":          (_opd_week, "get", OWN_OPD),
    "scheduling:roster-csv":           (_opd_week, "get", OWN_OPD),
    # Only the head of the OPD adjusts and submits its draft (BKPSDM decides in the admin).
    "scheduling:roster-adjust":        (_opd_week, "post", expect(LOGIN,       403,         REDIRECT,    404,         403)),
    "scheduling:roster-submit":        (_opd_week, "post", expect(LOGIN,       403,         REDIRECT,    404,         403)),
    "scheduling:roster-xlsx":          (_opd_week, "get", OWN_OPD),
    # Requests: an ASN acts on their own; the attachment goes to the person, their
    # head and BKPSDM; the head of the OPD (or BKPSDM) decides.
    "scheduling:requests":             (None, "get",     SIGNED_IN),
    "scheduling:request-cancel":       (_day_request, "post", expect(LOGIN,   REDIRECT,    404,         404,         404)),
    "scheduling:request-attachment":   (_day_request, "get", expect(LOGIN,   200,         200,         404,         200)),
    "scheduling:opd-requests":         (_opd_code, "get", OWN_OPD),
    "scheduling:opd-request-decide":   (_opd_request, "post", expect(LOGIN,  403,         REDIRECT,    404,         REDIRECT)),
    "attendance:check-in":             (None, "get",     SIGNED_IN),
    # Public by design with a valid token: calendar apps cannot log in, so the random
    # token in the address is the credential; an unknown or revoked one answers 404.
    "attendance:calendar-ics":         (_calendar_token, "get", ALL_200),
    "attendance:mine":                 (None, "get",     SIGNED_IN),
    "attendance:resubmit":             (_own_record, "get", expect(405,       405,         405,         405,         405)),
    "attendance:opd-index":            (None, "get",     expect(LOGIN,       403,         REDIRECT,    REDIRECT,    200)),
    "attendance:opd-today":            (_opd_code, "get", OWN_OPD),
    "attendance:review":               (_opd_record, "get", expect(405,       405,         405,         405,         405)),
    # Bulk accept with nothing ticked: the head and BKPSDM are sent back with a message.
    "attendance:accept-reports":       (_opd_code, "post", expect(LOGIN,       403,         REDIRECT,    404,         REDIRECT)),
    # A recall with no one named: the head and BKPSDM are sent back with a message.
    "attendance:recall":               (_opd_code, "post", expect(LOGIN,       403,         REDIRECT,    404,         REDIRECT)),
    "attendance:recap":                (_opd_month, "get", OWN_OPD),
    "attendance:recap-csv":            (_opd_month, "get", OWN_OPD),
    "attendance:recap-xlsx":           (_opd_month, "get", OWN_OPD),
    "notifications:list":              (None, "get",     SIGNED_IN),
    "notifications:mark-all-read":     (None, "get",     expect(405,         405,         405,         405,         405)),
    "notifications:reminders":         (None, "get",     expect(405,         405,         405,         405,         405)),
    # Evaluation: BKPSDM sees every OPD, a head their own (the index pages list theirs).
    "evaluation:home":                 (None, "get",     expect(LOGIN,       403,         200,         200,         200)),
    "evaluation:savings":              (None, "get",     expect(LOGIN,       403,         200,         200,         200)),
    "evaluation:fairness":             (None, "get",     expect(LOGIN,       403,         200,         200,         200)),
    "evaluation:fairness-opd":         (_opd_code, "get", OWN_OPD),
    "evaluation:discipline":           (None, "get",     expect(LOGIN,       403,         200,         200,         200)),
    # Readiness scenarios: BKPSDM's study before a policy is adopted.
    "evaluation:scenarios":            (None, "get",     expect(LOGIN,       403,         403,         403,         200)),
    "evaluation:scenario":             (_scenario, "get", expect(LOGIN,      403,         403,         403,         200)),
    "evaluation:scenario-xlsx":        (_scenario, "get", expect(LOGIN,      403,         403,         403,         200)),
    "evaluation:scenario-compare":     (None, "get",     expect(LOGIN,       403,         403,         403,         200)),
    # The finance office's file: every employee, so BKPSDM only.
    "evaluation:tpp-csv":              (_month, "get",   expect(LOGIN,       403,         403,         403,         200)),
    "evaluation:tpp-xlsx":             (_month, "get",   expect(LOGIN,       403,         403,         403,         200)),
    "evaluation:ladder":               (None, "get",     expect(LOGIN,       403,         200,         200,         200)),
    "import-dataset":                  (None, "get",     ADMIN_ONLY),
    "import-example":                  (_example_file, "get", ADMIN_ONLY),
    "automatic-jobs":                  (None, "get",     ADMIN_ONLY),
    "admin:opd_employee_password":     (_employee_id, "get", ADMIN_ONLY),
    "admin:scheduling_roster_approve": (_roster_id, "get", expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 405)),
    "admin:scheduling_roster_reject":  (_roster_id, "get", expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 405)),
    # A draft roster: GET asks for confirmation, the rebuild itself is a POST.
    "admin:scheduling_roster_rebuild": (_roster_id, "get", ADMIN_ONLY),
    # Django's auth pages: open to everyone, or to any logged-in person.
    "login":                           (None, "get",     ALL_200),
    "logout":                          (None, "get",     expect(405,         405,         405,         405,         405)),
    "password_change":                 (None, "get",     SIGNED_IN),
    "password_change_done":            (None, "get",     SIGNED_IN),
    "password_reset":                  (None, "get",     ALL_200),
    "password_reset_done":             (None, "get",     ALL_200),
    "password_reset_confirm":          (_password_reset, "get", ALL_200),
    "password_reset_complete":         (None, "get",     ALL_200),
    # Installable app (issue 11): public, nothing personal in them.
    "manifest":                        (None, "get",     ALL_200),
    "service-worker":                  (None, "get",     ALL_200),
    "offline":                         (None, "get",     ALL_200),
    # The API (api/tests test keys, scopes and OPDs); its schema and docs hold no data.
    "api:schedule":                    (None, "get",     API_KEY_ONLY),
    "api:person-schedule":             (_asn_nip, "get", API_KEY_ONLY),
    "api:reports":                     (_asn_nip, "get", API_KEY_ONLY),
    "api:attendance":                  (None, "get",     API_KEY_ONLY),
    "api:recap":                       (None, "get",     API_KEY_ONLY),
    "api:leaves":                      (None, "post",    API_KEY_ONLY),
    "api:employees":                   (None, "post",    API_KEY_ONLY),
    "api:schema":                      (None, "get",     ALL_200),
    "api:docs":                        (None, "get",     ALL_200),
    "set_language":                    (None, "get",     expect(REDIRECT,    REDIRECT,    REDIRECT,    REDIRECT,    REDIRECT)),
}
# fmt: on


def named_patterns(patterns=None, namespace=""):
    """(name, pattern) for every named URL, following includes and namespaces."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def admin_names():
    """Names of the admin site's own URLs (model pages and the like)."""
    return {f"admin:{name}" for name, _ in named_patterns(admin_site.get_urls())}


def check(client, world, role, url, method, expected):
    if world[role] is not None:
        client.force_login(world[role], backend="opd.auth.EmployeeBackend")
    response = getattr(client, method)(url)
    got = response.status_code
    if expected == LOGIN:
        assert got == 302 and response.url.startswith(reverse("login")), (role, url)
    elif expected == ADMIN_LOGIN:
        assert got == 302 and response.url.startswith(reverse("admin:login")), (role, url, got)
    elif expected == ANY_REDIRECT:
        assert got == 302, (role, url, got)
    else:
        assert got == expected, (role, url, got)
    client.logout()


def test_every_url_is_in_the_matrix():
    every = {name for name, _ in named_patterns()}
    assert every - admin_names() - set(MATRIX) == set(), "pages without a permission row"
    assert set(MATRIX) - every == set(), "matrix rows for pages that no longer exist"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_answers_each_role_as_the_matrix_says(client, world, name):
    kwargs_of, method, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
    for role in ROLES:
        check(client, world, role, url, method, expected[role])


def admin_urls():
    """Every admin URL, with an existing object's id where the pattern needs one."""
    app_labels = sorted({model._meta.app_label for model in admin_site._registry})
    for name, pattern in named_patterns(admin_site.get_urls()):
        full = f"admin:{name}"
        if full in MATRIX or name in {"logout", "login", "view_on_site", "autocomplete"}:
            continue
        keys = set(pattern.pattern.regex.groupindex)
        if name.endswith("_simple_history"):
            # django-simple-history's view of one past version: (object id, version id).
            model = next(m for m in admin_site._registry if name.startswith(m._meta.db_table))
            obj = model.objects.order_by("pk").first()
            yield full, reverse(full, args=[obj.pk, obj.history.first().history_id])
        elif not keys:
            yield full, reverse(full)
        elif keys == {"app_label"}:
            for label in app_labels:
                yield full, reverse(full, kwargs={"app_label": label})
        else:
            # Model pages (change, delete, history, password): named app_model_action.
            (key,) = keys
            (model,) = [
                m
                for m in admin_site._registry
                if name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")
            ]
            obj = model.objects.order_by("pk").first()
            assert obj is not None, f"the world has no {model.__name__} for {full}"
            yield full, reverse(full, kwargs={key: obj.pk})


def test_admin_is_for_bkpsdm_only(client, world):
    urls = list(admin_urls())
    assert len(urls) > 20
    for name, url in urls:
        for role in ("anonymous", "asn", "head", "other_head"):
            check(client, world, role, url, "get", ADMIN_LOGIN)
        client.force_login(world["bkpsdm"], backend="opd.auth.EmployeeBackend")
        got = client.get(url).status_code
        # BKPSDM may lack a model permission (raw auth users): 403 or 404, never a crash.
        assert got in (200, 302, 403, 404), (name, url, got)
        client.logout()


def test_bkpsdm_cannot_manage_raw_login_accounts(client, world):
    """Raw user admin could grant superuser; BKPSDM works through employees instead."""
    client.force_login(world["bkpsdm"], backend="opd.auth.EmployeeBackend")
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    for model in ("opd", "servicepost", "employee"):
        assert client.get(reverse(f"admin:opd_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:opd_{model}_add")).status_code == 200
    employee = world["asn"].employee
    assert client.get(reverse("admin:opd_employee_change", args=[employee.pk])).status_code == 200


def readme_admin_pages_for_bkpsdm():
    """Every admin path the README's page table gives BKPSDM (``holiday/`` after
    ``/admin/scheduling/policy/`` is ``/admin/scheduling/holiday/``)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    paths = []
    for line in readme.splitlines():
        cells = line.split(" | ")
        if not line.startswith("| `/admin/") or len(cells) < 3 or cells[1] != "BKPSDM":
            continue
        last = None
        for path in re.findall(r"`([^`]+/)`", cells[0]):
            if path.startswith("/admin/"):
                last = path
            elif last is not None:
                path = last.rstrip("/").rsplit("/", 1)[0] + "/" + path
            else:
                continue
            paths.append(path)
    return paths


def test_every_admin_page_the_readme_gives_bkpsdm_opens_for_a_bkpsdm_account(client, world):
    # A BKPSDM account is staff with the BKPSDM group's permissions, not a superuser:
    # a page the README promises must be granted by a migration, or it answers 403.
    pages = readme_admin_pages_for_bkpsdm()
    assert "/admin/opd/monthlycost/" in pages and len(pages) >= 20
    client.force_login(world["bkpsdm"], backend="opd.auth.EmployeeBackend")
    assert not world["bkpsdm"].is_superuser
    answers = {path: client.get(path).status_code for path in pages}
    assert {path: code for path, code in answers.items() if code != 200} == {}

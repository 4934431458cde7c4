"""Each endpoint runs a fixed number of queries whatever the data size, and the API
app is imported by nobody (imports run one way: api -> opd/scheduling/attendance)."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from opd.tests.factories import EmployeeFactory

from .conftest import Api

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _queries(django_assert_max_num_queries, api, url, params, n):
    with django_assert_max_num_queries(n) as captured:
        response = api.get(url, **params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name,args,params",
    [
        ("api:schedule", None, {"week": "2026-W50"}),
        ("api:person-schedule", "nip", {"start": "2026-12-07", "end": "2026-12-11"}),
        ("api:attendance", None, {"opd": "DISDIK", "date": "2026-12-08"}),
        ("api:recap", None, {"opd": "DISDIK", "month": "2026-12"}),
        ("api:reports", "nip", {"month": "2026-12"}),
    ],
)
def test_an_endpoint_runs_as_many_queries_for_more_people(
    org, make_key, django_assert_max_num_queries, name, args, params
):
    _key, secret = make_key()
    api = Api(secret)
    url = reverse(name, args=[org["people"][0].nip] if args else None)
    api.get(url, **params)  # the key's first use writes last_used_at (once a minute)
    few = _queries(django_assert_max_num_queries, api, url, params, 20)
    for _ in range(10):
        EmployeeFactory(opd=org["opd"])
    assert _queries(django_assert_max_num_queries, api, url, params, 20) == few


def test_no_other_app_imports_the_api():
    importers = []
    for app in ("opd", "scheduling", "attendance", "notifications", "evaluation"):
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                if any(n == "api" or n.startswith("api.") for n in names):
                    importers.append(str(path.relative_to(ROOT)))
    assert importers == []

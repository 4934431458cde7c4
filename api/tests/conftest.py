"""Fixtures of the API tests: an OPD with an approved next week, keys, a client."""

from datetime import date

import pytest
from django.test import Client

from api.models import ApiKey, Scope
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory

ALL_SCOPES = [scope.value for scope in Scope]
NEXT_MONDAY = date(2026, 12, 7)  # today is Thursday 3 December 2026


@pytest.fixture
def org(db):
    """Two OPDs: six people in one (a post of two), two in the other; next week built
    and approved for both."""
    from scheduling.models import Roster
    from scheduling.services.approval import approve_rosters
    from scheduling.services.build import build_roster
    from scheduling.tests.factories import PolicyFactory

    PolicyFactory()
    opd = OpdFactory(code="DISDIK")
    other = OpdFactory(code="DINKES")
    post = ServicePostFactory(opd=opd)
    people = [EmployeeFactory(opd=opd, post=post if n < 2 else None) for n in range(6)]
    strangers = [EmployeeFactory(opd=other) for _ in range(2)]
    bkpsdm = EmployeeFactory(opd=other, role=Role.BKPSDM).user
    build_roster(week_start=NEXT_MONDAY)
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm)
    return {"opd": opd, "other": other, "people": people, "strangers": strangers, "bkpsdm": bkpsdm}


@pytest.fixture
def make_key(org):
    def make(scopes=ALL_SCOPES, opd=None, name="K-Mob"):
        key = ApiKey(name=name, scopes=list(scopes), opd=opd, created_by=org["bkpsdm"])
        secret = key.new_secret()
        key.save()
        return key, secret

    return make


class Api:
    """A test client that sends a key (or none) with every request."""

    def __init__(self, secret: str | None = None, header: str = "bearer"):
        self.client = Client()
        self.headers = {}
        if secret is not None:
            self.headers = (
                {"Authorization": f"Bearer {secret}"}
                if header == "bearer"
                else {"X-Api-Key": secret}
            )

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path, body):
        return self.client.post(path, body, content_type="application/json", headers=self.headers)


def rows(response) -> list[dict]:
    """The rows of a (streamed) week schedule."""
    import json

    return json.loads(b"".join(response.streaming_content))["rows"]

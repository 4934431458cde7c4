"""schemathesis against the live OpenAPI schema, in-process through the WSGI app, with
a key of every scope: no 500s, and every answer matches the schema (body, status code,
content type). The example count is bounded so it runs in well under two minutes."""

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiRequest
from wfh.wsgi import application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EXAMPLES = 20  # per operation and mode (valid and invalid input)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def test_connection():
    """The WSGI app closes the database connection after each request (Django's test
    client stops it doing so); here it would close the test's own transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(postgres, org, test_connection):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def secret(make_key, settings):
    settings.API_RATE_LIMIT = "100000/min"
    _key, secret = make_key()
    return secret


def test_every_endpoint_answers_as_its_schema_says(api_schema, secret):
    # schemathesis.pytest.from_fixture does not run under pytest 9 (it reads
    # Function._nodeid), so each operation's strategy is driven with hypothesis here.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 7
    headers = {"Authorization": f"Bearer {secret}"}
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        answers_as_documented()
    # It did reach the data: answers with data and refusals of bad input, both logged.
    statuses = set(ApiRequest.objects.values_list("status", flat=True))
    assert {200, 400} <= statuses, statuses

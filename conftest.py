"""Fixtures shared by every app's tests.

Services: tests about the database (constraints, locks, concurrency) or the queue ask
for the ``postgres`` / ``redis_broker`` fixtures. On a laptop without the service they
skip; under ``CI=true`` a missing service fails the run instead.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(what: str):
    message = f"{what} is not available"
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    # PBKDF2 with a million rounds would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_storage(tmp_path_factory, monkeypatch):
    """Uploaded attachments go to a temporary folder, never into the repository. The
    model field holds its storage instance (built when the model was imported), so
    the field's storage is replaced, not only the setting."""
    from django.core.files.storage import FileSystemStorage

    from scheduling.models import DayRequest

    location = tmp_path_factory.mktemp("private")
    monkeypatch.setattr(
        DayRequest._meta.get_field("attachment"),
        "storage",
        FileSystemStorage(location=location, base_url=None),
    )
    yield location


@pytest.fixture(autouse=True)
def _indonesian():
    """Every test starts in the default language, whatever an earlier request activated."""
    from django.utils import translation

    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker on purpose."""
    from wfh.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        _missing("PostgreSQL (set DATABASE_URL=postgres://...)")


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def redis_broker():
    url = broker_url()
    if not url.startswith("redis://"):
        _missing("Redis (set CELERY_BROKER_URL=redis://...)")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
    except OSError:
        _missing(f"Redis at {parsed.hostname}:{parsed.port or 6379}")
    return url


@pytest.fixture
def login(client):
    """Log ``client`` in as a user without a password round-trip."""

    def _login(user):
        client.force_login(user, backend="opd.auth.EmployeeBackend")
        return client

    return _login

"""bin/test says which database the tests use, and uses that one.

``bin/test --check-services`` runs only the service detection of the real script.
"""

import os
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from .live import ROOT, free_port


def check_services(database_url: str, *, ci: bool = False) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
    )
    if ci:
        environment["CI"] = "true"
    return subprocess.run(
        [str(ROOT / "bin" / "test"), "--check-services"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def server_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.mark.usefixtures("postgres")
def test_a_missing_database_on_a_reachable_server_is_created_and_used():
    name = f"wfh_bintest_{uuid.uuid4().hex[:8]}"
    try:
        result = check_services(server_url(name), ci=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"== PostgreSQL: database {name} on " in result.stdout
        assert "created: it did not exist" in result.stdout
        assert "SQLite" not in result.stdout
        psycopg.connect(server_url(name), connect_timeout=3).close()

        again = check_services(server_url(name))
        assert again.returncode == 0
        assert f"== PostgreSQL: database {name} on " in again.stdout
        assert "created" not in again.stdout
    finally:
        with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def test_an_unreachable_server_means_sqlite_on_a_laptop():
    result = check_services(f"postgres://postgres@127.0.0.1:{free_port()}/wfh")
    assert result.returncode == 0, result.stderr
    assert "not reachable" in result.stdout
    assert "tests run on SQLite; PostgreSQL-only tests skip" in result.stdout


def test_an_unreachable_server_fails_under_ci():
    result = check_services(f"postgres://postgres@127.0.0.1:{free_port()}/wfh", ci=True)
    assert result.returncode == 1
    assert "not reachable" in result.stderr
    assert "CI=true requires PostgreSQL" in result.stderr
    assert "SQLite" not in result.stdout + result.stderr

"""Settings come from the environment; production refuses unsafe values."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    """Run manage.py in a clean environment holding only ``env``."""
    return python("manage.py", *args, **env)


def python(*args, **env):
    """Run Python with ``args`` in a clean environment holding only ``env``."""
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**overrides):
    return {
        "WFH_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "wfh.bekasikota.go.id",
        "CSRF_TRUSTED_ORIGINS": "https://wfh.bekasikota.go.id",
        "DATABASE_URL": "postgres://wfh@db.internal:5432/wfh",
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        **overrides,
    }


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret", ["", "django-insecure-development-only-never-use-this-key-in-production", "short"]
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = manage("check", **production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = manage("check", **production_env(DEBUG="true"))
    assert result.returncode != 0 and "DEBUG must be off" in result.stderr


def test_empty_environment_runs_on_embedded_defaults():
    probe = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
        " s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE, s.USE_TZ)"
    )
    result = manage("shell", "-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-7:] == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "False",
        "Asia/Jakarta",
        "id",
        "True",
    ]


def test_env_example_lists_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "wfh" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRUSTED_PROXIES": "127.0.0.1,nginx.local"}, "TRUSTED_PROXIES: 'nginx.local'"),
        ({"SESSION_AGE_STAFF_SECONDS": "0"}, "SESSION_AGE_*_SECONDS must be positive"),
    ],
)
def test_malformed_proxy_and_session_settings_refuse_to_start(env, message):
    result = manage("check", **env)
    assert result.returncode != 0 and message in result.stderr


def test_a_command_line_process_does_not_load_the_workbook_or_schema_libraries():
    # build_roster and export_roster run as processes of their own (the scheduled build,
    # the benchmark's budgets include process start): openpyxl and drf-spectacular's
    # schema machinery cost each of them 0.2 s, and neither writes a workbook or a schema.
    script = (
        "import django, sys; django.setup();"
        "from django.core.management import load_command_class as load;"
        "load('scheduling', 'build_roster'); load('scheduling', 'export_roster');"
        "print(sorted(m for m in ('openpyxl', 'drf_spectacular.plumbing') if m in sys.modules))"
    )
    done = python("-c", script, DJANGO_SETTINGS_MODULE="wfh.settings")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

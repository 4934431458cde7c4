"""The app as deployed: production settings seen from outside, and what reaches the logs.

A gunicorn server runs with ``WFH_ENV=production`` behind a pretend TLS proxy
(``X-Forwarded-Proto: https``), after ``collectstatic`` as a deployment would.
"""

import http.client
import logging
import os
import re
import secrets
import subprocess
import sys
from datetime import date

import pytest
import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from attendance.tests.conftest import assign
from opd.tests.factories import EmployeeFactory, OpdFactory

from .live import ROOT, served

pytestmark = [
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
HOST = "wfh.bekasikota.go.id"
PASSWORD = "Rahasia-Sekali-2026"  # noqa: S105 - test account


@pytest.fixture
def production(tmp_path):
    env = {
        "WFH_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )
    employee = EmployeeFactory(opd=OpdFactory())
    employee.user.password = PBKDF2PasswordHasher().encode(
        PASSWORD, get_random_string(22), iterations=1000
    )
    employee.user.save(update_fields=["password"])
    with served(tmp_path, env=env, access_log=True) as server:
        yield server, employee


def call(server, method, path, *, https=True, host=HOST, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    all_headers = {"Host": host, **(headers or {})}
    if https:
        all_headers["X-Forwarded-Proto"] = "https"
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    text = response.read().decode(errors="replace")
    connection.close()
    return response, text


def test_security_headers_and_cookies_in_production(production):
    server, employee = production
    response, page = call(server, "GET", "/accounts/login/")
    assert response.status == 200
    assert (
        response.getheader("Strict-Transport-Security")
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    csrf_cookie = response.getheader("Set-Cookie")
    assert "csrftoken=" in csrf_cookie and "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie
    assert "SameSite=Lax" in csrf_cookie
    # Static files are the hashed, compressed copies collectstatic made.
    assert re.search(r"/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css", page)

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = csrf_cookie.split(";")[0]
    response, _ = call(
        server,
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&username={employee.nip}&password={PASSWORD}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"https://{HOST}/accounts/login/",
            "Origin": f"https://{HOST}",
        },
    )
    assert response.status == 302
    session_cookie = [c for c in response.msg.get_all("Set-Cookie") if c.startswith("sessionid=")][
        0
    ]
    assert (
        "Secure" in session_cookie
        and "HttpOnly" in session_cookie
        and "SameSite=Lax" in session_cookie
    )


def test_plain_http_is_redirected_to_https(production):
    server, _ = production
    response, _ = call(server, "GET", "/accounts/login/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_unknown_host_is_400(production):
    server, _ = production
    response, text = call(server, "GET", "/accounts/login/", host="evil.example")
    assert response.status == 400
    assert "DisallowedHost" not in text and "Traceback" not in text


def test_debug_pages_are_never_shown(production):
    server, _ = production
    response, text = call(server, "GET", "/tidak-ada/")
    assert response.status == 404
    assert "Halaman tidak ditemukan" in text
    for debug in ("Using the URLconf", "Django tried these URL patterns", "DEBUG = True"):
        assert debug not in text


def test_passwords_and_session_ids_never_reach_the_server_log(production):
    server, employee = production
    response, page = call(server, "GET", "/accounts/login/")
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"https://{HOST}",
        "Referer": f"https://{HOST}/accounts/login/",
    }
    for password in ("Salah-Ketik-123", PASSWORD):
        response, _text = call(
            server,
            "POST",
            "/accounts/login/",
            headers=headers,
            body=f"csrfmiddlewaretoken={token}&username={employee.nip}&password={password}",
        )
    session = [c for c in response.msg.get_all("Set-Cookie") if c.startswith("sessionid=")][0]
    session_id = session.split(";")[0].split("=", 1)[1]
    response, _ = call(
        server, "GET", "/presensi/", headers={"Cookie": f"{cookie}; sessionid={session_id}"}
    )
    assert response.status == 200
    log = server.log()
    assert "POST /accounts/login/" in log  # the access log is on
    for secret in ("Salah-Ketik-123", PASSWORD, session_id, cookie.split("=", 1)[1]):
        assert secret not in log


@time_machine.travel("2026-12-08 07:15 +0700", tick=False)
def test_passwords_and_session_ids_never_reach_the_app_loggers(caplog):
    employee = EmployeeFactory(opd=OpdFactory(office_lat=-6.2383, office_lon=106.992))
    assign(employee, date(2026, 12, 8), "WFO", reason="rotation_wfo")
    employee.user.set_password(PASSWORD)
    employee.user.save()
    client = Client()
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("login"), {"username": employee.nip, "password": "Salah-Ketik-123"})
        client.post(reverse("login"), {"username": employee.nip, "password": PASSWORD})
        session_id = client.cookies["sessionid"].value
        client.post(
            reverse("attendance:check-in"), {"action": "in", "lat": "-6.2383", "lon": "106.992"}
        )
        client.post(reverse("logout"))
    assert "AXES" in caplog.text  # the login handlers did log
    for secret in ("Salah-Ketik-123", PASSWORD, session_id):
        assert secret not in caplog.text

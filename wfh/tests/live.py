"""The app served for real: gunicorn in a subprocess on 127.0.0.1, on the test database.

Browser journeys, fault and header tests talk to it over HTTP. It runs the production
code; only its clock is set (``serve.py``) so that a test can be "Tuesday 07:20" on
any day CI runs. Each server is stopped by its own process-group id.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import (
    HTTPCookieProcessor,
    HTTPRedirectHandler,
    Request,
    build_opener,
    urlopen,
)

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database pytest-django created (PostgreSQL)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False  # not a test, despite its name


class AppServer:
    def __init__(self, process: subprocess.Popen, port: int, output: Path):
        self.process, self.port, self.output = process, port, output
        self.url = f"http://127.0.0.1:{port}"

    def log(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_server(
    tmp: Path,
    *,
    moment: str | None = None,
    env: dict | None = None,
    workers: int = 2,
    access_log: bool = False,
) -> AppServer:
    port = free_port()
    output = tmp / f"server-{port}.log"
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": "",
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    gunicorn = [
        "wfh.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        # gunicorn 27's control socket lives at one path per user; servers started side
        # by side (tests, benchmarks) would fight over it, and none of them needs it.
        "--no-control-socket",
    ]
    if access_log:
        gunicorn += ["--access-logfile", "-"]
    if moment:
        command = [
            sys.executable,
            str(ROOT / "wfh" / "tests" / "serve.py"),
            moment,
            "--",
            *gunicorn,
        ]
    else:
        command = [sys.executable, "-m", "gunicorn", *gunicorn]
    with open(output, "w") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = AppServer(process, port, output)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited:\n{server.log()}")
        try:
            with urlopen(f"{server.url}/accounts/login/", timeout=2):
                return server
        except HTTPError:
            return server  # any HTTP answer means it is up (production refuses this Host)
        except (URLError, OSError):
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"the app server did not answer in 40 s:\n{server.log()}")


@contextmanager
def served(tmp: Path, **options):
    server = start_server(tmp, **options)
    try:
        yield server
    finally:
        server.stop()


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
        pytest.skip(message)


class HttpClient:
    """A person without a browser: cookies, the CSRF token of the last page, no JS.

    Redirects are not followed, so a test sees each answer the server gives.
    """

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, server: AppServer, timeout: float = 30):
        self.base, self.timeout, self.token = server.url, timeout, ""
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), _NoRedirect())

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        body = urlencode(data).encode() if data is not None else None
        request = Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except HTTPError as error:
            response = error
        text = response.read().decode(errors="replace")
        match = self.TOKEN.search(text)
        if match:
            self.token = match.group(1)
        return response.status, text, response.headers

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        return self.request("POST", path, {"csrfmiddlewaretoken": self.token, **data}, **kwargs)

    def log_in(self, nip: str, password: str) -> None:
        self.get("/accounts/login/")
        status, _text, headers = self.post(
            "/accounts/login/", {"username": nip, "password": password}
        )
        assert status == 302, f"login of {nip} failed: {status}"


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_worker(
    broker: str, queue: str, log: Path, *, concurrency: int = 1, env: dict | None = None
) -> subprocess.Popen:
    """A real Celery worker on the test database, consuming one queue of its own."""
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
        "EMAIL_URL": "consolemail://",
        **(env or {}),
    }
    pool = ["--pool", "solo"] if concurrency == 1 else ["--pool", "prefork", "-c", str(concurrency)]
    with open(log, "w") as sink:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "wfh",
                "worker",
                *pool,
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """End a process started with start_new_session, and its children, by its group id."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

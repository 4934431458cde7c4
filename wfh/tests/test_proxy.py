"""deploy/nginx/wfh.conf in front of gunicorn: slow clients no longer starve the workers.

gunicorn's sync workers serve one connection each; 50 clients sending their headers at
one byte per second hold all three, and a check-in waits in the queue behind them. The
test runs the same slow clients against gunicorn alone (a request does not get through)
and against nginx, started from the deployment file with only TLS swapped for plain HTTP
on a free loopback port (the check-in goes through in well under 2 s).

Everything runs on 127.0.0.1, is bounded in time and is ended by its own PID.
"""

import getpass
import re
import shutil
import socket
import subprocess
import threading
import time
from datetime import date
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest

from attendance.models import Attendance
from attendance.tests.conftest import assign
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.tests.factories import PolicyFactory

from .live import IN_CI, ROOT, HttpClient, free_port, served, stop_process
from .test_faults import PASSWORD, TUESDAY_MORNING, give_password, wait_until

NGINX = "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx" / "wfh.conf"
SLOW_CLIENTS = 50
SLOW_CLIENTS_LIMIT = 20.0  # seconds any slow client may live, whatever happens
TLS_ONLY = re.compile(r"^( *)# tls-only begin\n.*?^\1# tls-only end\n", re.DOTALL | re.MULTILINE)


def need_nginx() -> None:
    if not Path(NGINX).exists():
        message = f"{NGINX} is not installed (apt-get install nginx-light)"
        if IN_CI:
            pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
        pytest.skip(message)


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{SITE.name} no longer has exactly one {old!r}"
    return text.replace(old, new)


def render_test_config(tmp: Path, *, port: int, upstream: int, static: Path) -> Path:
    """deploy/nginx/wfh.conf with TLS swapped for plain HTTP on 127.0.0.1:<port>, the
    upstream and static directory of this test, and everything else as deployed."""
    site = SITE.read_text()
    blocks = TLS_ONLY.findall(site)
    assert blocks == ["", "    "], "the tls-only markers of wfh.conf have moved"
    site = TLS_ONLY.sub(
        lambda m: f"{m.group(1)}listen 127.0.0.1:{port};\n" if m.group(1) else "", site
    )
    site = replace_once(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};")
    site = replace_once(site, "alias /srv/wfh/staticfiles/;", f"alias {static}/;")
    for directive in (
        "proxy_request_buffering on;",
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Real-IP $remote_addr;",
        "proxy_set_header Host $host;",
    ):
        assert directive in site, directive
    user = getpass.getuser()
    config = tmp / "nginx.conf"
    config.write_text(
        f"""
{"user root;" if user == "root" else ""}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{site}
}}
"""
    )
    return config


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def start_nginx(tmp: Path, config: Path, port: int) -> subprocess.Popen:
    command = [NGINX, "-p", str(tmp), "-e", str(tmp / "nginx-error.log"), "-c", str(config)]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=20)
    assert check.returncode == 0, check.stderr
    with open(tmp / "nginx-output.log", "w") as sink:
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    if not wait_until(lambda: answers(port) or process.poll() is not None, 10):
        stop_process(process)
        pytest.fail("nginx did not start")
    assert process.poll() is None, (tmp / "nginx-error.log").read_text()
    return process


class SlowClients:
    """Connections that send a request header one byte per second and never finish it.

    One thread drips the bytes into every connection; each lives at most ``limit``
    seconds, and all are closed when the ``with`` block ends.
    """

    HEADER = b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100

    def __init__(self, port: int, count: int = SLOW_CLIENTS, limit: float = SLOW_CLIENTS_LIMIT):
        self.port, self.count, self.limit = port, count, limit
        self.sockets: list[socket.socket] = []
        self.closed_by_server: set[int] = set()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._drip, daemon=True)

    def __enter__(self):
        for _ in range(self.count):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            sock.sendall(self.HEADER[:1])
            sock.setblocking(False)
            self.sockets.append(sock)
        self.started = time.monotonic()
        self.thread.start()
        return self

    def _drip(self) -> None:
        sent = 1
        while not self.stop.wait(1.0) and time.monotonic() - self.started < self.limit:
            byte = self.HEADER[sent : sent + 1]
            sent += 1
            for index, sock in enumerate(self.sockets):
                if index in self.closed_by_server:
                    continue
                try:
                    sock.recv(4096, socket.MSG_PEEK)  # b"": the server closed; data: it answered
                    with self.lock:
                        self.closed_by_server.add(index)
                    continue
                except BlockingIOError:
                    pass  # nothing from the server: still waiting for our header
                except OSError:
                    with self.lock:
                        self.closed_by_server.add(index)
                    continue
                try:
                    sock.send(byte)
                except OSError:
                    with self.lock:
                        self.closed_by_server.add(index)

    def still_open(self) -> int:
        with self.lock:
            return self.count - len(self.closed_by_server)

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def check_in_through(server, nip: str) -> tuple[float, float]:
    """Log in and check in as a person does; (seconds for login, seconds for check-in)."""
    person = HttpClient(server, timeout=30)
    started = time.monotonic()
    person.log_in(nip, PASSWORD)
    status, page, _ = person.get("/presensi/")
    assert status == 200 and "Presensi Masuk" in page
    logged_in = time.monotonic()
    status, _, headers = person.post(
        "/presensi/", {"action": "in", "lat": "-6.2383", "lon": "106.992", "accuracy": "9"}
    )
    done = time.monotonic()
    assert (status, headers["Location"]) == (302, "/presensi/")
    return logged_in - started, done - logged_in


class Proxy:
    """What check_in_through needs of a server: a base URL."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}"


@pytest.mark.fault
@pytest.mark.usefixtures("postgres")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_slow_clients_starve_gunicorn_alone_but_not_behind_nginx(tmp_path):
    need_nginx()
    PolicyFactory()
    opd = OpdFactory(code="DISKOMINFO", office_lat=-6.2383, office_lon=106.992)
    asn = EmployeeFactory(opd=opd)
    assign(asn, date(2026, 12, 8), "WFO")
    give_password(asn)
    static = tmp_path / "staticfiles"
    (static / "css").mkdir(parents=True)
    (static / "css" / "proxy-probe.css").write_text("body{color:#123456}")

    with served(
        tmp_path, moment=TUESDAY_MORNING, workers=3, env={"TRUSTED_PROXIES": "127.0.0.1"}
    ) as app:
        port = free_port()
        config = render_test_config(tmp_path, port=port, upstream=app.port, static=static)
        nginx = start_nginx(tmp_path, config, port)
        try:
            with urlopen(f"http://127.0.0.1:{port}/static/css/proxy-probe.css", timeout=5) as r:
                assert r.read() == b"body{color:#123456}"  # nginx's own file, not the app's

            # 1. Behind nginx: the slow clients wait at nginx; the check-in goes through.
            with SlowClients(port) as slow:
                time.sleep(2)  # let them settle on their connections
                login_s, check_in_s = check_in_through(Proxy(port), asn.nip)
                holding = slow.still_open()
                print(
                    f"\nbehind nginx with {SLOW_CLIENTS} slow clients holding {holding}: "
                    f"login {login_s:.3f} s, check-in {check_in_s:.3f} s"
                )
                assert holding == SLOW_CLIENTS, "the slow clients were not all holding on"
                assert check_in_s < 2, f"check-in took {check_in_s:.1f} s behind nginx"
                assert Attendance.objects.filter(employee=asn, check_in_at__isnull=False).exists()
                # nginx drops them itself once client_header_timeout (10 s) has passed.
                assert wait_until(lambda: slow.still_open() == 0, 15, step=0.5), (
                    f"nginx still holds {slow.still_open()} slow clients"
                )
                print(f"nginx dropped them all after {time.monotonic() - slow.started:.1f} s")

            # 2. gunicorn alone: the same slow clients hold all three workers.
            with SlowClients(app.port) as slow:
                time.sleep(2)
                started = time.monotonic()
                with pytest.raises((TimeoutError, URLError)) as error:
                    urlopen(f"{app.url}/accounts/login/", timeout=5).close()
                waited = time.monotonic() - started
                print(f"gunicorn alone: a login page request gave up after {waited:.1f} s")
                reason = getattr(error.value, "reason", error.value)
                assert isinstance(reason, TimeoutError), f"not a timeout: {error.value!r}"
                assert slow.still_open() == SLOW_CLIENTS
        finally:
            stop_process(nginx)
    assert Attendance.objects.filter(employee=asn).count() == 1


@pytest.mark.fault
def test_the_deployed_tls_config_is_valid_for_nginx(tmp_path):
    """nginx -t on deploy/nginx/wfh.conf as shipped, with a throw-away certificate at
    the placeholder paths' place (nginx -t opens the certificate files)."""
    need_nginx()
    openssl = shutil.which("openssl")
    if openssl is None:
        if IN_CI:
            pytest.fail("openssl is not installed, and CI=true requires it", pytrace=False)
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=wfh.example.go.id", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    site = SITE.read_text()
    site = replace_once(site, "/etc/ssl/wfh/fullchain.pem", str(cert))
    site = replace_once(site, "/etc/ssl/wfh/privkey.pem", str(key))
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n"
        f"include /etc/nginx/mime.types;\n{site}\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr

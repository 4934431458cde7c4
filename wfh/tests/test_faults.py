"""Fault tests: what a Pemda server room will see. Run only these with ``bin/test -m fault``.

Every process a test starts (redis-server, a Celery worker, the app server, a TCP
proxy in front of PostgreSQL) runs on 127.0.0.1, is bounded in time and is ended by
its own PID.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string

from attendance.models import Attendance
from attendance.tests.conftest import assign
from opd.models import Employee, Opd, Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory, valid_nip
from scheduling import tasks
from scheduling.models import Roster, RosterBuild, RosterEntry
from scheduling.services.build import build_roster
from scheduling.tests.factories import PolicyFactory

from .live import (
    IN_CI,
    HttpClient,
    free_port,
    served,
    start_worker,
    stop_process,
    test_database_url,
)

pytestmark = [
    pytest.mark.fault,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TUESDAY_MORNING = "2026-12-08T07:20:00+07:00"
PASSWORD = "Jalan-Juanda-100"  # noqa: S105 - test accounts
W51 = date(2026, 12, 14)


def give_password(employee: Employee) -> None:
    employee.user.password = PBKDF2PasswordHasher().encode(
        PASSWORD, get_random_string(22), iterations=1000
    )
    employee.user.save(update_fields=["password"])


def wait_until(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


@pytest.fixture
def own_redis():
    """A redis-server of this test's own on a spare port, killed by its PID."""
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is not installed, and CI=true requires it", pytrace=False)
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def answers():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    assert wait_until(answers, 10), "redis-server did not start"
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        process.kill()
        process.wait(timeout=5)


def test_redis_down_login_check_in_roster_and_admin_still_work(own_redis, tmp_path):
    redis, broker = own_redis
    PolicyFactory()
    opd = OpdFactory(code="DISKOMINFO", office_lat=-6.2383, office_lon=106.992)
    asn = EmployeeFactory(opd=opd)
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    assign(asn, date(2026, 12, 8), "WFO", reason="rotation_wfo")
    for person in (asn, head, bkpsdm):
        give_password(person)

    with served(tmp_path, moment=TUESDAY_MORNING, env={"CELERY_BROKER_URL": broker}) as server:
        redis.kill()  # the broker dies; the app must not notice except where it queues
        redis.wait(timeout=5)

        person = HttpClient(server)
        person.log_in(asn.nip, PASSWORD)
        status, page, _ = person.get("/presensi/")
        assert status == 200 and "Presensi Masuk" in page
        status, _, headers = person.post(
            "/presensi/", {"action": "in", "lat": "-6.2383", "lon": "106.992", "accuracy": "9"}
        )
        assert (status, headers["Location"]) == (302, "/presensi/")
        assert Attendance.objects.filter(employee=asn).exists()

        chief = HttpClient(server)
        chief.log_in(head.nip, PASSWORD)
        status, page, _ = chief.get("/roster/DISKOMINFO/2026-W50/")
        assert status == 200 and "Dinas" in page

        staff = HttpClient(server)
        staff.log_in(bkpsdm.nip, PASSWORD)
        status, page, _ = staff.get("/admin/")
        assert status == 200 and "Tugas BKPSDM" in page
        staff.get("/admin/scheduling/rosterbuild/add/")
        started = time.monotonic()
        status, page, _ = staff.post("/admin/scheduling/rosterbuild/add/", {"week": "2026-W51"})
        elapsed = time.monotonic() - started
        assert status == 200
        assert "Antrean tugas (Redis) tidak dapat dihubungi" in page
        assert elapsed < 5, f"queueing took {elapsed:.1f} s with Redis down"
    assert not RosterBuild.objects.exists()


def bulk_staff(opd: Opd, count: int, offset: int) -> None:
    """Many employees at once (factories would take minutes for ten thousand)."""
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(username=valid_nip(offset + i)) for i in range(count)
    )
    Employee.objects.bulk_create(
        Employee(nip=u.username, name=f"Pegawai {u.username[-4:]}", opd=opd, user=u) for u in users
    )


def roster_is_whole(roster: Roster) -> bool:
    staff = Employee.objects.filter(opd=roster.opd, active=True).count()
    return roster.entries.count() == staff * 5


def test_worker_killed_mid_build_leaves_no_half_written_roster(redis_broker, tmp_path):
    from wfh.celery import app

    PolicyFactory()
    big = OpdFactory(code="A-BESAR")  # built first (OPDs go in code order), and slowly
    bulk_staff(big, 12_000, offset=100_000)
    for code in ("B-KECIL", "C-KECIL"):
        opd = OpdFactory(code=code)
        EmployeeFactory.create_batch(4, opd=opd, post=ServicePostFactory(opd=opd, min_onsite=1))
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    worker = start_worker(redis_broker, queue, tmp_path / "worker.log")
    try:
        app.conf.task_always_eager = False
        tasks.queue_week_build.apply_async(args=["2026-W51"], queue=queue)

        def writing():
            # The build holds its advisory lock only while it writes, inside its transaction.
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
                return cursor.fetchone()[0] > 0

        assert wait_until(writing, 60, step=0.01), "the build never started writing"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        app.conf.task_always_eager = True
        stop_process(worker)

    # The killed transaction rolled back: whatever exists is whole, the rest is absent.
    # PostgreSQL notices the dead client when its backend next talks to it: after the
    # statement in flight finishes, which on a loaded machine can take several seconds.
    assert wait_until(lambda: not writing(), 60), "the killed build still holds its lock"
    rosters = list(Roster.objects.filter(week_start=W51))
    assert all(roster_is_whole(r) for r in rosters)
    assert not Roster.objects.filter(opd=big, week_start=W51).exists()
    assert RosterEntry.objects.filter(roster__week_start=W51).count() == sum(
        r.entries.count() for r in rosters
    )
    # Running the build again completes the week.
    outcomes = build_roster(week_start=W51)
    assert {o.outcome for o in outcomes} <= {"built", "unchanged"}
    rosters = list(Roster.objects.filter(week_start=W51))
    assert len(rosters) == 3 and all(roster_is_whole(r) for r in rosters)


def test_three_builds_at_once_and_a_duplicate_delivery_give_one_roster(redis_broker, tmp_path):
    from wfh.celery import app

    PolicyFactory()
    for index, code in enumerate(("DISKOMINFO", "BAPPEDA", "DISDIK", "DPPKB")):
        opd = OpdFactory(code=code)
        EmployeeFactory.create_batch(3, opd=opd, post=ServicePostFactory(opd=opd, min_onsite=1))
        bulk_staff(opd, 300, offset=150_000 + index * 1000)
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    worker = start_worker(redis_broker, queue, tmp_path / "worker.log", concurrency=3)
    try:
        app.conf.task_always_eager = False
        ids = [f"build-{uuid.uuid4().hex}" for _ in range(3)]
        for task_id in (*ids, ids[0]):  # the first one is delivered twice
            tasks.queue_week_build.apply_async(args=["2026-W51"], queue=queue, task_id=task_id)
        done = wait_until(
            lambda: (
                RosterBuild.objects.count() == 3
                and not RosterBuild.objects.filter(notified_at__isnull=True).exists()
            ),
            90,
            step=0.5,
        )
        assert done, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        app.conf.task_always_eager = True
        stop_process(worker)

    rosters = Roster.objects.filter(week_start=W51)
    assert rosters.count() == Opd.objects.count() == 4
    assert all(roster_is_whole(r) for r in rosters)
    pairs = Counter(RosterEntry.objects.values_list("employee_id", "date"))
    assert set(pairs.values()) == {1}
    outcomes = Counter(
        item
        for build in RosterBuild.objects.all()
        for item in build.items.values_list("outcome", flat=True)
    )
    assert outcomes["failed"] == 0 and outcomes["built"] >= 4


class TcpProxy:
    """127.0.0.1:<port> -> PostgreSQL, which a test can cut and restore."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.links: list[socket.socket] = []
        self.upstream_ports: set[int] = set()
        self.listener = None
        self.open = False

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        self.open = True
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        """PostgreSQL becomes unreachable: no new connections, open ones dropped."""
        self.open = False
        _close(self.listener)
        for link in self.links:
            _close(link)
        self.links.clear()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if not self.open:
                _close(client)
                return
            upstream = socket.create_connection(self.target)
            self.upstream_ports.add(upstream.getsockname()[1])
            self.links += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    """shutdown() first: it wakes a thread blocked on the socket, which close() alone
    does not on Linux (the socket would stay open, and so would PostgreSQL's session)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def test_postgresql_unreachable_gives_a_clean_503_then_recovers(tmp_path):
    settings_dict = connection.settings_dict
    proxy = TcpProxy((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    proxy.start()
    asn = EmployeeFactory(opd=OpdFactory())
    give_password(asn)
    url = test_database_url().replace(f":{settings_dict['PORT'] or 5432}/", f":{proxy.port}/")
    try:
        with served(
            tmp_path,
            moment=TUESDAY_MORNING,
            workers=1,
            env={"DATABASE_URL": url, "DATABASE_CONNECT_TIMEOUT": "2"},
        ) as server:
            person = HttpClient(server, timeout=20)
            person.log_in(asn.nip, PASSWORD)
            assert person.get("/presensi/")[0] == 200

            proxy.cut()
            for path in ("/presensi/", "/jadwal/", "/admin/"):
                started = time.monotonic()
                status, body, headers = person.get(path)
                assert status == 503, (path, status, body[:500])
                assert "Layanan sedang tidak tersedia" in body
                for leak in ("Traceback", "OperationalError", "psycopg", 'File "'):
                    assert leak not in body
                assert headers["Retry-After"] == "30"
                assert time.monotonic() - started < 10

            proxy.start()
            # CONN_HEALTH_CHECKS: the dead persistent connection is replaced, no restart.
            status, body, _ = person.get("/presensi/")
            assert status == 200 and "Presensi" in body
            # Operators get the cause in the server log; people only ever saw the 503 page.
            assert "database unavailable: OperationalError" in server.log()
    finally:
        proxy.cut()

    def proxied_sessions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE client_port = ANY(%s)",
                [list(proxy.upstream_ports)],
            )
            return cursor.fetchone()[0]

    # The proxied sessions end asynchronously; let them, so the test database can be dropped.
    assert wait_until(lambda: proxied_sessions() == 0, 10)

"""Benchmark: 50,000 "jadwal minggu depan disetujui" notices, queued and mailed.

    python benchmarks/notify_load.py [--employees 50000] [--opds 500]
        [--database-url URL] [--broker redis://127.0.0.1:6379/14]

1. Creates a fresh PostgreSQL database (default wfh_notify on 127.0.0.1) with
   ``--employees`` people, each with a login and an e-mail address, in ``--opds`` OPDs,
   and one approved roster per OPD for 2026-W50.
2. Starts an SMTP server on 127.0.0.1 (aiosmtpd, in this process) that counts what it
   receives, and one real Celery worker (solo pool: one process) on Redis, with
   ``EMAIL_URL`` pointing at that server.
3. Times ``notify_rosters_approved`` for every roster, the task BKPSDM's approval
   queues: one notice per employee written and one mail task per roster queued.
4. Waits until the SMTP server has received one message per employee (at most 15
   minutes), and prints the delivery time and rate. Checks that every notice is marked
   as mailed and nobody got two messages.

Budget (issue 9): the 50,000 notices queued in <= 10 s, and delivered by one worker;
the rate is reported. Ends by stopping the worker and the SMTP server and dropping the
database.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import ROOT, recreate_database  # noqa: E402

W50 = date(2026, 12, 7)
QUEUE_BUDGET_SECONDS = 10
DELIVERY_TIMEOUT_SECONDS = 900


class Counting:
    """The SMTP server's handler: counts messages per recipient."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recipients: Counter = Counter()
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        now = time.perf_counter()
        with self.lock:
            self.first = self.first or now
            self.last = now
            self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def setup(employees: int, opds: int) -> list[int]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from opd.models import Employee, Opd
    from scheduling.models import Roster

    call_command("migrate", "--noinput", verbosity=0)
    offices = Opd.objects.bulk_create(
        Opd(code=f"OPD{i:04d}", name=f"Dinas {i}") for i in range(opds)
    )
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        (
            user_model(username=f"1985{n:014d}", email=f"asn{n}@bekasikota.go.id")
            for n in range(employees)
        ),
        batch_size=5000,
    )
    Employee.objects.bulk_create(
        (
            Employee(nip=f"1985{n:014d}", name=f"Pegawai {n}", opd=offices[n % opds], user=user)
            for n, user in enumerate(users)
        ),
        batch_size=5000,
    )
    bkpsdm = users[0]
    now = timezone.now()
    rosters = Roster.objects.bulk_create(
        Roster(
            opd=opd,
            week_start=W50,
            status="approved",
            built_at=now,
            decided_by=bkpsdm,
            decided_at=now,
        )
        for opd in offices
    )
    return [r.pk for r in rosters]


def start_worker(queue: str, log: Path) -> subprocess.Popen:
    with open(log, "w") as sink:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "wfh",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--opds", type=int, default=500)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wfh_notify")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    options = parser.parse_args()

    from aiosmtpd.controller import Controller

    port = free_port()
    inbox = Counting()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    queue = f"notify-bench-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DATABASE_URL": options.database_url,
            "DJANGO_SETTINGS_MODULE": "wfh.settings",
            "CELERY_BROKER_URL": options.broker,
            "CELERY_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    recreate_database(options.database_url)
    worker = None
    smtp.start()
    try:
        roster_ids = setup(options.employees, options.opds)
        print(f"setup: {options.employees} employees with addresses, {len(roster_ids)} rosters")
        worker = start_worker(queue, Path(tempfile.gettempdir()) / f"{queue}.log")
        from scheduling.tasks import notify_rosters_approved

        start = time.perf_counter()
        created = notify_rosters_approved(roster_ids)
        queued = time.perf_counter() - start
        print(
            f"queued: {created} notices written and {len(roster_ids)} mail tasks queued "
            f"in {queued:.2f} s"
        )
        deadline = time.monotonic() + DELIVERY_TIMEOUT_SECONDS
        while time.monotonic() < deadline and sum(inbox.recipients.values()) < created:
            time.sleep(0.5)
        delivered = sum(inbox.recipients.values())
        spent = time.perf_counter() - start
        from notifications.models import Notification

        mailed = Notification.objects.filter(emailed_at__isnull=False).count()
        doubled = sum(1 for n in inbox.recipients.values() if n > 1)
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        smtp.stop()
        from django.db import connections

        connections.close_all()
        recreate_database(options.database_url, drop_only=True)

    print(
        f"delivered: {delivered} messages to the SMTP server in {spent:.1f} s after the "
        f"approval ({delivered / spent:.0f} per second, one worker); notices marked as mailed: "
        f"{mailed}; recipients with two messages: {doubled}"
    )
    ok = queued <= QUEUE_BUDGET_SECONDS and delivered == created == mailed and not doubled
    print(
        f"budget: queued in <= {QUEUE_BUDGET_SECONDS} s, every notice delivered once -> "
        + ("OK" if ok else "NOT MET")
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
